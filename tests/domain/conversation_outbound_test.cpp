// The conversation state machine. Outbound texts: queueing, sends and failures.

#include <catch2/catch.hpp>

#include "tests/domain/conversation_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::conversation;
using namespace std::chrono_literals;

TEST_CASE("an outbound text with an empty or whitespace-only body is refused", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  for (auto body : {"", " ", "\n\t \r"})
    CHECK(error_of(s, send_sms{body, "manual", {}, {}, {}}, ctx) == conversation_errc::empty_body);
}

TEST_CASE("an outbound text over 1600 characters is refused, counting characters, not bytes",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  std::string chinese;
  for (int i = 0; i < 1600; ++i) chinese += "\xE4\xB8\xAD";  // 4800 bytes, 1600 characters
  auto out = run(s, send_sms{chinese, "manual", {}, {}, {}}, ctx);
  REQUIRE(out.size() == 1);
  CHECK(as<events::sms_queued>(out[0]).encoding == "ucs2");

  CHECK(error_of(s, send_sms{std::string(1601, 'a'), "manual", {}, {}, {}}, ctx) ==
        conversation_errc::body_too_long);
  CHECK(error_of(s, send_sms{chinese + "\xF0\x9F\x98\x80", "manual", {}, {}, {}}, ctx) ==
        conversation_errc::body_too_long);
}

TEST_CASE("an outbound text is queued with a new id, its ids, segments and encoding",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  std::string body(200, 'x');  // two GSM-7 segments
  auto out = run(s, send_sms{body, "reminder", "cus_42", std::nullopt, "job_7"}, ctx);
  REQUIRE(out.size() == 1);
  const auto& q = as<events::sms_queued>(out[0]);
  CHECK(q.message_id == "msg_1");
  CHECK(q.to == party);
  CHECK(q.body == body);
  CHECK(q.trigger == "reminder");
  CHECK(q.segments == 2);
  CHECK(q.encoding == "gsm7");
  CHECK(q.customer_id == "cus_42");
  CHECK_FALSE(q.contractor_id);
  CHECK(q.job_id == "job_7");
  REQUIRE(s.pending.size() == 1);
  CHECK(s.pending[0] == outbound_message{"msg_1", tenant_main, party, body, "reminder", ctx.now});
}

TEST_CASE("an outbound text in a new conversation goes from the tenant's default sender",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  auto out = run(s, send_sms{"Hello", "manual", {}, {}, {}}, ctx);
  CHECK(as<events::sms_queued>(out[0]).from == tenant_main);
  CHECK(s.our_number == tenant_main);
}

TEST_CASE("an outbound text goes from the number the party last texted", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, receive_sms{inbound("Running late?", tenant_other)}, ctx);
  auto out = run(s, send_sms{"About 10 minutes.", "reply", {}, {}, {}}, ctx);
  CHECK(as<events::sms_queued>(out[0]).from == tenant_other);
}

TEST_CASE("recording the send of a pending message emits sms_sent and links its sid",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, send_sms{"Hello", "manual", {}, {}, {}}, ctx);
  auto out = run(s, record_sent{"msg_1", "SM1"}, ctx);
  REQUIRE(out.size() == 1);
  CHECK(as<events::sms_sent>(out[0]) == events::sms_sent{"msg_1", "SM1"});
  CHECK(s.pending.empty());
  REQUIRE(s.in_flight.size() == 1);
  CHECK(s.in_flight[0] == tracked_message{"SM1", "msg_1", std::nullopt});
}

TEST_CASE("recording a send twice, or the send of an unknown message, emits nothing",
          "[conversation]") {
  auto ctx = make_context();
  auto s = with_sent_message(ctx, "SM1");
  CHECK(run(s, record_sent{"msg_1", "SM1"}, ctx).empty());
  CHECK(run(s, record_sent{"msg_404", "SM2"}, ctx).empty());
}

TEST_CASE("a failed send of a pending message emits sms_failed and leaves the outbox",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, send_sms{"Hello", "manual", {}, {}, {}}, ctx);
  auto out = run(s, record_send_failure{"msg_1", 21211, "Invalid 'To' Phone Number", true}, ctx);
  REQUIRE(out.size() == 1);
  CHECK(as<events::sms_failed>(out[0]) ==
        events::sms_failed{"msg_1", 21211, "Invalid 'To' Phone Number", true});
  CHECK(s.pending.empty());
  CHECK_FALSE(s.opted_out);
}

TEST_CASE("Twilio's 21610 on a send opts the number out by carrier", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, send_sms{"Hello", "manual", {}, {}, {}}, ctx);
  auto out =
      run(s, record_send_failure{"msg_1", 21610, "Attempt to send to unsubscribed recipient", true},
          ctx);
  REQUIRE(out.size() == 2);
  CHECK(std::holds_alternative<events::sms_failed>(out[0]));
  CHECK(as<events::opted_out>(out[1]) == events::opted_out{party, "carrier", std::nullopt});
  CHECK(s.opted_out);
}

TEST_CASE("a failure for a message no longer pending emits nothing", "[conversation]") {
  auto ctx = make_context();
  auto s = with_sent_message(ctx, "SM1");
  CHECK(run(s, record_send_failure{"msg_1", 21610, "unsubscribed", true}, ctx).empty());
  CHECK(run(s, record_send_failure{"msg_404", std::nullopt, "timeout", false}, ctx).empty());
  CHECK_FALSE(s.opted_out);
}
