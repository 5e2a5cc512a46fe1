#include "events/decode_error.hpp"

namespace fl::events {

std::string_view to_string(decode_errc code) {
  switch (code) {
    case decode_errc::malformed:
      return "malformed";
    case decode_errc::unknown_type:
      return "unknown_type";
    case decode_errc::unsupported_version:
      return "unsupported_version";
    case decode_errc::missing_field:
      return "missing_field";
    case decode_errc::wrong_type:
      return "wrong_type";
    case decode_errc::unknown_field:
      return "unknown_field";
  }
  return "unknown";
}

}  // namespace fl::events
