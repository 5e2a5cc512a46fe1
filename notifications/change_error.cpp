#include "notifications/change_error.hpp"

namespace fl::notifications {

std::string_view to_string(change_errc code) {
  switch (code) {
    case change_errc::rejected:
      return "rejected";
    case change_errc::unavailable:
      return "unavailable";
  }
  return "unknown";
}

}  // namespace fl::notifications
