#pragma once

// Shared by the conversation state machine's tests: a context with fixed
// texts and counting ids, and helpers that decide and evolve like the actor.

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "domain/conversation.hpp"

namespace fl::testing::conversation {

using namespace fl::domain;

inline constexpr const char* party = "+15551234567";
inline constexpr const char* tenant_main = "+15557654321";
inline constexpr const char* tenant_other = "+15557650000";
inline constexpr const char* opt_out_text =
    "You have been unsubscribed from Acme HVAC texts. Reply START to resubscribe.";
inline constexpr const char* opt_in_text =
    "You are resubscribed to Acme HVAC texts. Reply STOP to stop.";
inline constexpr const char* help_text = "Acme HVAC: (555) 765-4321. Reply STOP to unsubscribe.";

// A context whose message ids count up from msg_1.
inline conversation_context make_context() {
  conversation_context ctx;
  ctx.now = from_micros(1'790'000'000'000'000);
  ctx.party_phone = party;
  ctx.default_sender = tenant_main;
  ctx.opt_out_message = opt_out_text;
  ctx.opt_in_message = opt_in_text;
  ctx.help_message = help_text;
  ctx.new_message_id = [n = 0]() mutable { return "msg_" + std::to_string(++n); };
  return ctx;
}

inline events::sms_received inbound(std::string body, std::string to = tenant_main, int n = 1) {
  events::sms_received e;
  e.message_sid = "SM" + std::string(31, '0') + std::to_string(n);
  e.account_sid = "AC0123456789abcdef0123456789abcdef";
  e.from = party;
  e.to = std::move(to);
  e.body = std::move(body);
  return e;
}

// Decides `cmd`, requires success, evolves the state with the events (as the
// actor does after the append) and returns them.
inline std::vector<events::event> run(conversation_state& s, const conversation_command& cmd,
                                      conversation_context& ctx) {
  auto decided = decide(s, cmd, ctx);
  if (!decided) FAIL("decide refused: " << decided.error().message);
  for (const auto& e : *decided) evolve(s, e, ctx.now);
  return *decided;
}

inline conversation_errc error_of(const conversation_state& s, const conversation_command& cmd,
                                  const conversation_context& ctx) {
  auto decided = decide(s, cmd, ctx);
  REQUIRE_FALSE(decided);
  CHECK_FALSE(decided.error().message.empty());
  return decided.error().code;
}

template <class T>
inline const T& as(const events::event& e) {
  REQUIRE(std::holds_alternative<T>(e));
  return std::get<T>(e);
}

// A state with one sent message: msg_1 from `tenant_main`, sid `sid`.
inline conversation_state with_sent_message(conversation_context& ctx, const std::string& sid) {
  conversation_state s;
  run(s, send_sms{"Your technician is on the way.", "enroute", {}, {}, {}}, ctx);
  run(s, record_sent{"msg_1", sid}, ctx);
  return s;
}

// What the state holds in memory, its own size and the heap it owns.
inline std::size_t footprint(const conversation_state& s) {
  auto str = [](const std::string& x) { return x.capacity() > 15 ? x.capacity() + 1 : 0; };
  std::size_t n = sizeof(s) + str(s.our_number);
  n += s.pending.capacity() * sizeof(outbound_message);
  for (const auto& m : s.pending)
    n += str(m.message_id) + str(m.from) + str(m.to) + str(m.body) + str(m.trigger);
  n += s.in_flight.capacity() * sizeof(tracked_message);
  for (const auto& m : s.in_flight) n += str(m.message_sid) + str(m.message_id);
  n += s.finished.capacity() * sizeof(finished_message);
  return n;
}

}  // namespace fl::testing::conversation
