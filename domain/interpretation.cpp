#include "domain/interpretation.hpp"

#include <array>
#include <utility>

namespace fl::domain {

namespace {

template <typename E, std::size_t N>
std::optional<E> find_name(const std::array<std::pair<std::string_view, E>, N>& names,
                           std::string_view name) {
  for (const auto& [n, e] : names)
    if (n == name) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<std::string_view, ticket_intent>, 7> intent_names{{
    {"start_ticket", ticket_intent::start_ticket},
    {"complete_ticket", ticket_intent::complete_ticket},
    {"provide_details", ticket_intent::provide_details},
    {"query_address", ticket_intent::query_address},
    {"status", ticket_intent::status},
    {"help", ticket_intent::help},
    {"unknown", ticket_intent::unknown},
}};

constexpr std::array<std::pair<std::string_view, salt_unit>, 2> unit_names{{
    {"yards", salt_unit::yards},
    {"tons", salt_unit::tons},
}};

constexpr std::array<std::pair<std::string_view, interpretation_confidence>, 3> confidence_names{{
    {"high", interpretation_confidence::high},
    {"medium", interpretation_confidence::medium},
    {"low", interpretation_confidence::low},
}};

}  // namespace

std::string_view to_string(ticket_intent i) {
  for (const auto& [n, e] : intent_names)
    if (e == i) return n;
  return "unknown";
}

std::optional<ticket_intent> parse_ticket_intent(std::string_view name) {
  return find_name(intent_names, name);
}

std::string_view to_string(salt_unit u) {
  return u == salt_unit::tons ? "tons" : "yards";
}

std::optional<salt_unit> parse_salt_unit(std::string_view name) {
  return find_name(unit_names, name);
}

std::string_view to_string(interpretation_confidence c) {
  for (const auto& [n, e] : confidence_names)
    if (e == c) return n;
  return "low";
}

std::optional<interpretation_confidence> parse_interpretation_confidence(std::string_view name) {
  return find_name(confidence_names, name);
}

std::string_view to_string(interpreter_kind k) {
  return k == interpreter_kind::claude ? "claude" : "rules";
}

std::optional<interpreter_kind> parse_interpreter_kind(std::string_view name) {
  if (name == "rules") return interpreter_kind::rules;
  if (name == "claude") return interpreter_kind::claude;
  return std::nullopt;
}

}  // namespace fl::domain
