#include "domain/directory_error.hpp"

namespace fl::domain {

std::string_view to_string(directory_errc code) {
  switch (code) {
    case directory_errc::invalid_id:
      return "invalid_id";
    case directory_errc::blank_name:
      return "blank_name";
    case directory_errc::too_long:
      return "too_long";
    case directory_errc::invalid_text:
      return "invalid_text";
    case directory_errc::invalid_phone:
      return "invalid_phone";
    case directory_errc::already_registered:
      return "already_registered";
    case directory_errc::not_registered:
      return "not_registered";
    case directory_errc::unknown_status:
      return "unknown_status";
    case directory_errc::missing_job:
      return "missing_job";
    case directory_errc::invalid_position:
      return "invalid_position";
    case directory_errc::phone_taken:
      return "phone_taken";
    case directory_errc::invalid_time:
      return "invalid_time";
  }
  return "unknown";
}

}  // namespace fl::domain
