// The conversation state machine. evolve and recovery: the state a stream folds to, and its size.

#include <catch2/catch.hpp>

#include "tests/domain/conversation_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::conversation;
using namespace std::chrono_literals;

TEST_CASE("evolve keeps the outbox: a queued message is pending until sent or failed",
          "[conversation]") {
  conversation_state s;
  auto at = from_micros(1'000'000);
  evolve(s, events::sms_queued{"msg_a", tenant_other, party, "A", "manual", 1, "gsm7", {}, {}, {}},
         at);
  evolve(s, events::sms_queued{"msg_b", tenant_main, party, "B", "reply", 1, "gsm7", {}, {}, {}},
         at + 1s);
  REQUIRE(s.pending.size() == 2);
  CHECK(s.pending[0] == outbound_message{"msg_a", tenant_other, party, "A", "manual", at});
  CHECK(s.our_number == tenant_main);  // the latest sms_queued's from
  evolve(s, events::sms_sent{"msg_a", "SMa"});
  evolve(s, events::sms_failed{"msg_b", std::nullopt, "retries exhausted", false});
  CHECK(s.pending.empty());
  CHECK(s.version == 4);
}

TEST_CASE("evolve flips the opt-out flag on opted_out and opted_in", "[conversation]") {
  conversation_state s;
  evolve(s, events::opted_out{party, "carrier", std::nullopt});
  CHECK(s.opted_out);
  evolve(s, events::opted_out{party, "keyword", "STOP"});
  CHECK(s.opted_out);
  evolve(s, events::opted_in{party, "START"});
  CHECK_FALSE(s.opted_out);
  CHECK(s.version == 3);
}

TEST_CASE("evolve counts every event of the stream in the version, even ones it ignores",
          "[conversation]") {
  conversation_state s;
  evolve(s, events::tenant_created{"tn_1", "Acme", "America/Chicago", "US", {}, {}, {}, {}, "ab"});
  conversation_state expected;
  expected.version = 1;
  CHECK(s == expected);
}

TEST_CASE("evolve of a recorded event queues its message at the record's commit time",
          "[conversation]") {
  events::recorded_event rec;
  rec.version = 1;
  rec.recorded_at = from_micros(1'790'000'000'123'456);
  rec.data = events::sms_queued{"msg_1", tenant_main, party, "Hi", "manual", 1, "gsm7", {}, {}, {}};
  conversation_state s;
  evolve(s, rec);
  REQUIRE(s.pending.size() == 1);
  CHECK(s.pending[0].queued_at == rec.recorded_at);
  CHECK(s.version == 1);
}

TEST_CASE("recovery, a fold of evolve over the decided events, gives the live state",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state live;
  std::vector<events::event> stream;
  auto step = [&](const conversation_command& cmd) {
    for (auto& e : run(live, cmd, ctx)) stream.push_back(std::move(e));
  };
  step(receive_sms{inbound("When is my appointment?", tenant_other, 1)});
  step(send_sms{"Tomorrow at 9.", "reply", "cus_1", {}, "job_1"});
  step(record_status{"SM_early", "sent", std::nullopt});
  step(record_sent{"msg_1", "SM_early"});
  step(record_status{"SM_early", "delivered", std::nullopt});
  step(send_sms{"Reminder: tomorrow at 9.", "reminder", "cus_1", {}, "job_1"});
  step(record_sent{"msg_2", "SM2"});
  step(receive_sms{inbound("HELP", tenant_other, 2)});
  step(receive_sms{inbound("STOP", tenant_other, 3)});
  step(record_send_failure{"msg_3", 21610, "unsubscribed", true});
  step(receive_sms{inbound("START", tenant_other, 4)});

  conversation_state recovered;
  for (const auto& e : stream) evolve(recovered, e, ctx.now);
  CHECK(recovered == live);
  CHECK(recovered.version == stream.size());
  CHECK(recovered.our_number == tenant_other);
  CHECK_FALSE(recovered.opted_out);
  REQUIRE(recovered.pending.size() == 2);  // the STOP and START confirmations
  CHECK(recovered.pending[0].message_id == "msg_4");
}

TEST_CASE("decide is deterministic given the same state, command and message ids",
          "[conversation]") {
  auto ctx = make_context();
  ctx.new_message_id = [] { return std::string("msg_fixed"); };
  conversation_state s;
  s.our_number = tenant_other;
  const conversation_command commands[] = {
      receive_sms{inbound("STOP")}, receive_sms{inbound("help")},
      send_sms{"On our way \xE2\x80\x94 20 min", "enroute", "cus_1", {}, "job_1"},
      record_status{"SM9", "sent", std::nullopt}};
  for (const auto& cmd : commands) {
    auto a = decide(s, cmd, ctx);
    auto b = decide(s, cmd, ctx);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(*a == *b);
  }
}

TEST_CASE("an idle conversation's state stays well under 1 KB however long its history",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  for (int i = 1; i <= 200; ++i) {
    std::string sid = "SM" + std::string(30, 'a') + std::to_string(1000 + i);
    run(s, receive_sms{inbound("Thanks, see you then", tenant_main, i)}, ctx);
    auto out = run(s,
                   send_sms{"Your technician is on the way and should arrive in 20 minutes.",
                            "enroute",
                            "cus_1",
                            {},
                            "job_1"},
                   ctx);
    const auto& id = std::get<events::sms_queued>(out[0]).message_id;
    run(s, record_sent{id, sid}, ctx);
    run(s, record_status{sid, "sent", std::nullopt}, ctx);
    run(s, record_status{sid, i % 16 == 0 ? "undelivered" : "delivered", std::nullopt}, ctx);
  }
  CHECK(s.pending.empty());
  CHECK(s.in_flight.empty());
  CHECK(s.finished.size() <= conversation_state::max_finished);
  INFO("footprint: " << footprint(s) << " bytes");
  CHECK(footprint(s) < 512);
}

TEST_CASE("every conversation error has a name", "[conversation]") {
  CHECK(to_string(conversation_errc::opted_out) == "opted_out");
  CHECK(to_string(conversation_errc::empty_body) == "empty_body");
  CHECK(to_string(conversation_errc::body_too_long) == "body_too_long");
  CHECK(to_string(conversation_errc::unknown_status) == "unknown_status");
}
