#pragma once

// What the contractor directory's route tests share: bodies, and the texts
// queued for a contractor read back through the messages API.

#include <thread>

#include "tests/server/dispatch_test_support.hpp"

namespace fl::testing {

inline nlohmann::json contractor_body(const std::string& id, const std::string& name,
                                      const std::string& phone) {
  return {{"id", id}, {"name", name}, {"phone", phone}};
}

inline nlohmann::json property_body(const std::string& id, const std::string& name,
                                    const std::string& address) {
  return {{"id", id}, {"name", name}, {"address", address}};
}

/// The texts queued for a contractor (`{body, trigger}`), oldest first, once
/// the read side has `position`.
inline nlohmann::json contractor_texts(const tenant_client& c, const std::string& contractor_id,
                                       std::uint64_t position = 0) {
  auto j = c.get("/api/v1/sms/messages?limit=500&contractor_id=" + contractor_id +
                 "&min_position=" + std::to_string(position));
  nlohmann::json out = nlohmann::json::array();
  for (auto it = j["items"].rbegin(); it != j["items"].rend(); ++it)
    if ((*it)["direction"] == "outbound") out.push_back(*it);
  return out;
}

/// Polls the contractor's texts until there are `n` (for texts a timer or a
/// restart sends, on the server's own time), at most ~8 s.
inline nlohmann::json await_contractor_texts(const tenant_client& c,
                                             const std::string& contractor_id, std::size_t n) {
  nlohmann::json texts;
  for (int i = 0; i < 160; ++i) {
    texts = contractor_texts(c, contractor_id, c.s.app().store().last_position());
    if (texts.size() >= n) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return texts;
}

inline const std::string seed_walmart_text =
    "\xF0\x9F\x93\x8D New Assignment!\n\nProperty: Walmart Parking Lot\n"
    "Address: 123 Main Street, Anytown, ST 12345\n\n"
    "Reply START when you begin work.\nReply HELP for commands.";

}  // namespace fl::testing
