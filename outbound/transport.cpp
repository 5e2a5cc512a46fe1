#include "outbound/transport.hpp"

namespace fl::outbound {

std::string_view to_string(send_result::kind k) {
  switch (k) {
    case send_result::kind::accepted:
      return "accepted";
    case send_result::kind::retryable:
      return "retryable";
    case send_result::kind::permanent:
      return "permanent";
    case send_result::kind::unknown_outcome:
      return "unknown_outcome";
  }
  return "unknown";
}

std::string_view to_string(lookup_result::kind k) {
  switch (k) {
    case lookup_result::kind::found:
      return "found";
    case lookup_result::kind::not_found:
      return "not_found";
    case lookup_result::kind::failed:
      return "failed";
  }
  return "unknown";
}

}  // namespace fl::outbound
