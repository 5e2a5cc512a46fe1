// The conversation state machine. Delivery status callbacks: forward only, early, late and
// repeated.

#include <catch2/catch.hpp>

#include "tests/domain/conversation_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::conversation;
using namespace std::chrono_literals;

TEST_CASE("a status callback with a status name Twilio does not define is refused",
          "[conversation]") {
  auto ctx = make_context();
  auto s = with_sent_message(ctx, "SM1");
  CHECK(error_of(s, record_status{"SM1", "Delivered", std::nullopt}, ctx) ==
        conversation_errc::unknown_status);
  CHECK(error_of(s, record_status{"SM1", "", std::nullopt}, ctx) ==
        conversation_errc::unknown_status);
}

TEST_CASE("a status that moves a message forward is recorded", "[conversation]") {
  auto ctx = make_context();
  auto s = with_sent_message(ctx, "SM1");
  auto out = run(s, record_status{"SM1", "sent", std::nullopt}, ctx);
  REQUIRE(out.size() == 1);
  CHECK(as<events::sms_status_changed>(out[0]) ==
        events::sms_status_changed{"SM1", "sent", std::nullopt});
  out = run(s, record_status{"SM1", "undelivered", 30003}, ctx);
  REQUIRE(out.size() == 1);
  CHECK(as<events::sms_status_changed>(out[0]).error_code == 30003);
}

TEST_CASE("a repeated or older status is ignored, and a final status is never replaced",
          "[conversation]") {
  auto ctx = make_context();
  auto s = with_sent_message(ctx, "SM1");
  run(s, record_status{"SM1", "sent", std::nullopt}, ctx);
  CHECK(run(s, record_status{"SM1", "sent", std::nullopt}, ctx).empty());
  CHECK(run(s, record_status{"SM1", "queued", std::nullopt}, ctx).empty());
  CHECK(run(s, record_status{"SM1", "delivered", std::nullopt}, ctx).size() == 1);
  CHECK(run(s, record_status{"SM1", "failed", 30008}, ctx).empty());
  CHECK(run(s, record_status{"SM1", "sending", std::nullopt}, ctx).empty());
  CHECK(run(s, record_status{"SM1", "read", std::nullopt}, ctx).size() == 1);  // after delivered
  CHECK(run(s, record_status{"SM1", "delivered", std::nullopt}, ctx).empty());
}

TEST_CASE("a status that beats the send's answer is recorded and refuses a later older one",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, send_sms{"Hello", "manual", {}, {}, {}}, ctx);

  SECTION("a status that is not final: the send's answer links it") {
    CHECK(run(s, record_status{"SM1", "sent", std::nullopt}, ctx).size() == 1);
    CHECK(run(s, record_sent{"msg_1", "SM1"}, ctx).size() == 1);
    REQUIRE(s.in_flight.size() == 1);
    CHECK(s.in_flight[0] == tracked_message{"SM1", "msg_1", message_status::sent});
    CHECK(run(s, record_status{"SM1", "queued", std::nullopt}, ctx).empty());
    CHECK(run(s, record_status{"SM1", "delivered", std::nullopt}, ctx).size() == 1);
  }
  SECTION("a final status") {
    CHECK(run(s, record_status{"SM1", "delivered", std::nullopt}, ctx).size() == 1);
    CHECK(run(s, record_sent{"msg_1", "SM1"}, ctx).size() == 1);
    CHECK(s.pending.empty());
    CHECK(run(s, record_status{"SM1", "sent", std::nullopt}, ctx).empty());
  }
}

TEST_CASE("a late callback for a finished message is refused after later messages finish",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  for (int i = 1; i <= 10; ++i) {
    std::string sid = "SM" + std::to_string(i);
    run(s, send_sms{"Reminder " + std::to_string(i), "reminder", {}, {}, {}}, ctx);
    run(s, record_sent{"msg_" + std::to_string(i), sid}, ctx);
    run(s, record_status{sid, "delivered", std::nullopt}, ctx);
  }
  CHECK(s.in_flight.empty());
  CHECK(run(s, record_status{"SM1", "sent", std::nullopt}, ctx).empty());
  CHECK(run(s, record_status{"SM10", "failed", std::nullopt}, ctx).empty());
}
