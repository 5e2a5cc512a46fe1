// The conversation state machine. Inbound texts and the compliance keywords (STOP, START, HELP).

#include <catch2/catch.hpp>

#include "tests/domain/conversation_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::conversation;
using namespace std::chrono_literals;

TEST_CASE("an inbound text is recorded as sms_received and sets the conversation's number",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  auto sms = inbound("Is the tech still coming at 3?", tenant_other);
  auto out = run(s, receive_sms{sms}, ctx);
  REQUIRE(out.size() == 1);
  CHECK(as<events::sms_received>(out[0]) == sms);
  CHECK(s.our_number == tenant_other);
  CHECK(s.version == 1);
  CHECK_FALSE(s.opted_out);
  CHECK(s.pending.empty());
}

TEST_CASE("a STOP text opts the number out and queues the confirmation", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  auto out = run(s, receive_sms{inbound("STOP")}, ctx);
  REQUIRE(out.size() == 3);
  CHECK(std::holds_alternative<events::sms_received>(out[0]));
  CHECK(as<events::opted_out>(out[1]) == events::opted_out{party, "keyword", "STOP"});
  const auto& q = as<events::sms_queued>(out[2]);
  CHECK(q.message_id == "msg_1");
  CHECK(q.from == tenant_main);
  CHECK(q.to == party);
  CHECK(q.body == opt_out_text);
  CHECK(q.trigger == "opt_out");
  CHECK(q.encoding == "gsm7");
  CHECK(q.segments == 1);
  CHECK(s.opted_out);
  REQUIRE(s.pending.size() == 1);
  CHECK(s.pending[0].message_id == "msg_1");
}

TEST_CASE("an opt-out keyword is recorded as typed, trimmed and upper-cased", "[conversation]") {
  auto ctx = make_context();
  for (auto [typed, recorded] :
       {std::pair{" stop\n", "STOP"}, std::pair{"Unsubscribe", "UNSUBSCRIBE"},
        std::pair{"\tcancel ", "CANCEL"}}) {
    conversation_state s;
    auto out = run(s, receive_sms{inbound(typed)}, ctx);
    REQUIRE(out.size() == 3);
    CHECK(as<events::opted_out>(out[1]).keyword == recorded);
  }
}

TEST_CASE("a STOP from a number already opted out queues the confirmation again, nothing else",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, receive_sms{inbound("STOP", tenant_main, 1)}, ctx);
  auto out = run(s, receive_sms{inbound("quit", tenant_main, 2)}, ctx);
  REQUIRE(out.size() == 2);
  CHECK(std::holds_alternative<events::sms_received>(out[0]));
  CHECK(as<events::sms_queued>(out[1]).trigger == "opt_out");
  CHECK(s.opted_out);
}

TEST_CASE("a START while opted out opts back in and queues the confirmation", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, receive_sms{inbound("STOP", tenant_main, 1)}, ctx);
  auto out = run(s, receive_sms{inbound(" yes ", tenant_main, 2)}, ctx);
  REQUIRE(out.size() == 3);
  CHECK(as<events::opted_in>(out[1]) == events::opted_in{party, "YES"});
  const auto& q = as<events::sms_queued>(out[2]);
  CHECK(q.body == opt_in_text);
  CHECK(q.trigger == "opt_in");
  CHECK(q.from == tenant_main);
  CHECK_FALSE(s.opted_out);
}

TEST_CASE("a START from a number that has not opted out records only the text", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  auto out = run(s, receive_sms{inbound("START")}, ctx);
  REQUIRE(out.size() == 1);
  CHECK(std::holds_alternative<events::sms_received>(out[0]));
  CHECK_FALSE(s.opted_out);
}

TEST_CASE("HELP queues the help text from the number the party texted", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  s.our_number = tenant_main;
  auto out = run(s, receive_sms{inbound("info", tenant_other)}, ctx);
  REQUIRE(out.size() == 2);
  const auto& q = as<events::sms_queued>(out[1]);
  CHECK(q.body == help_text);
  CHECK(q.trigger == "help");
  CHECK(q.from == tenant_other);
  CHECK(q.to == party);
}

TEST_CASE("HELP from an opted-out number gets no answer", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, receive_sms{inbound("STOP", tenant_main, 1)}, ctx);
  auto out = run(s, receive_sms{inbound("HELP", tenant_main, 2)}, ctx);
  REQUIRE(out.size() == 1);
  CHECK(std::holds_alternative<events::sms_received>(out[0]));
}

TEST_CASE("an empty configured confirmation text queues nothing", "[conversation]") {
  auto ctx = make_context();
  ctx.opt_out_message.clear();
  ctx.opt_in_message.clear();
  ctx.help_message.clear();
  conversation_state s;
  auto out = run(s, receive_sms{inbound("HELP", tenant_main, 1)}, ctx);
  CHECK(out.size() == 1);
  out = run(s, receive_sms{inbound("STOP", tenant_main, 2)}, ctx);
  REQUIRE(out.size() == 2);
  CHECK(std::holds_alternative<events::opted_out>(out[1]));
  out = run(s, receive_sms{inbound("START", tenant_main, 3)}, ctx);
  REQUIRE(out.size() == 2);
  CHECK(std::holds_alternative<events::opted_in>(out[1]));
  CHECK(s.pending.empty());
}

TEST_CASE("a text that is not a keyword by itself is only recorded", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  for (auto body : {"please stop by after 3", "STOP 12345", "", "yes please"}) {
    auto out = run(s, receive_sms{inbound(body)}, ctx);
    CHECK(out.size() == 1);
  }
  CHECK_FALSE(s.opted_out);
}

TEST_CASE("decide rejects an outbound text after STOP", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, receive_sms{inbound("STOP")}, ctx);
  CHECK(error_of(s, send_sms{"Your appointment is tomorrow at 9.", "manual", {}, {}, {}}, ctx) ==
        conversation_errc::opted_out);
}

TEST_CASE("a 21610 for a number already opted out emits no second opted_out", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, receive_sms{inbound("STOP")}, ctx);  // queues msg_1, the confirmation
  auto out = run(s, record_send_failure{"msg_1", 21610, "unsubscribed", true}, ctx);
  REQUIRE(out.size() == 1);
  CHECK(std::holds_alternative<events::sms_failed>(out[0]));
}
