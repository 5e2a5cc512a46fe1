#include "storage/store_error.hpp"

namespace fl::storage {

std::string_view to_string(store_errc code) {
  switch (code) {
    case store_errc::version_conflict:
      return "version_conflict";
    case store_errc::io_error:
      return "io_error";
    case store_errc::corruption:
      return "corruption";
    case store_errc::locked:
      return "locked";
    case store_errc::newer_format:
      return "newer_format";
    case store_errc::not_a_store:
      return "not_a_store";
    case store_errc::closed:
      return "closed";
    case store_errc::invalid_argument:
      return "invalid_argument";
    case store_errc::not_found:
      return "not_found";
  }
  return "unknown";
}

}  // namespace fl::storage
