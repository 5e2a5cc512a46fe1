#include "domain/interpretation.hpp"

#include <array>

namespace fl::domain {

namespace {

template <class E, std::size_t N>
std::optional<E> parse_name(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 7> intent_names{
    "start_ticket", "complete_ticket", "provide_details", "query_address", "status",
    "help",         "unknown"};
constexpr std::array<std::string_view, 2> unit_names{"yards", "tons"};
constexpr std::array<std::string_view, 3> confidence_names{"high", "medium", "low"};
constexpr std::array<std::string_view, 2> interpreter_names{"rules", "claude"};

}  // namespace

std::string_view to_string(ticket_intent i) {
  return intent_names[static_cast<std::size_t>(i)];
}
std::optional<ticket_intent> parse_ticket_intent(std::string_view name) {
  return parse_name<ticket_intent>(intent_names, name);
}
std::string_view to_string(salt_unit u) {
  return unit_names[static_cast<std::size_t>(u)];
}
std::optional<salt_unit> parse_salt_unit(std::string_view name) {
  return parse_name<salt_unit>(unit_names, name);
}
std::string_view to_string(interpretation_confidence c) {
  return confidence_names[static_cast<std::size_t>(c)];
}
std::optional<interpretation_confidence> parse_interpretation_confidence(std::string_view name) {
  return parse_name<interpretation_confidence>(confidence_names, name);
}
std::string_view to_string(interpreter_kind k) {
  return interpreter_names[static_cast<std::size_t>(k)];
}

}  // namespace fl::domain
