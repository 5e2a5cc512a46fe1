#include "events/event.hpp"

namespace fl::events {

std::string_view type_name_of(const event& e) {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::type_name; }, e);
}

int schema_version_of(const event& e) {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::schema_version; }, e);
}

}  // namespace fl::events
