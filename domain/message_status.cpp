#include "domain/message_status.hpp"

#include <array>

namespace fl::domain {

namespace {

struct entry {
  std::string_view name;
  message_status status;
  int rank;  // order in a message's life
};

constexpr std::array<entry, 10> table{{
    {"accepted", message_status::accepted, 0},
    {"scheduled", message_status::scheduled, 0},
    {"queued", message_status::queued, 1},
    {"sending", message_status::sending, 2},
    {"sent", message_status::sent, 3},
    {"delivered", message_status::delivered, 4},
    {"undelivered", message_status::undelivered, 4},
    {"failed", message_status::failed, 4},
    {"canceled", message_status::canceled, 4},
    {"read", message_status::read, 5},
}};

const entry& entry_of(message_status s) {
  for (const auto& e : table)
    if (e.status == s) return e;
  return table[0];
}

}  // namespace

std::string_view to_string(message_status s) {
  return entry_of(s).name;
}

std::optional<message_status> parse_message_status(std::string_view name) {
  for (const auto& e : table)
    if (e.name == name) return e.status;
  return std::nullopt;
}

bool is_final(message_status s) {
  return s == message_status::delivered || s == message_status::undelivered ||
         s == message_status::failed || s == message_status::canceled;
}

bool status_advances(std::optional<message_status> current, message_status incoming) {
  if (!current) return true;
  if (*current == incoming) return false;
  if (incoming == message_status::read)
    return *current == message_status::delivered || !is_final(*current);
  if (is_final(*current) || *current == message_status::read) return false;
  return entry_of(incoming).rank > entry_of(*current).rank;
}

}  // namespace fl::domain
