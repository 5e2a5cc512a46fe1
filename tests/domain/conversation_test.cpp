#include "domain/conversation.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace fl;
using namespace fl::domain;
using namespace std::chrono_literals;

namespace {

constexpr const char* party = "+15551234567";
constexpr const char* tenant_main = "+15557654321";
constexpr const char* tenant_other = "+15557650000";
constexpr const char* opt_out_text =
    "You have been unsubscribed from Acme HVAC texts. Reply START to resubscribe.";
constexpr const char* opt_in_text = "You are resubscribed to Acme HVAC texts. Reply STOP to stop.";
constexpr const char* help_text = "Acme HVAC: (555) 765-4321. Reply STOP to unsubscribe.";

// A context whose message ids count up from msg_1.
conversation_context make_context() {
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

events::sms_received inbound(std::string body, std::string to = tenant_main, int n = 1) {
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
std::vector<events::event> run(conversation_state& s, const conversation_command& cmd,
                               conversation_context& ctx) {
  auto decided = decide(s, cmd, ctx);
  if (!decided) FAIL("decide refused: " << decided.error().message);
  for (const auto& e : *decided) evolve(s, e, ctx.now);
  return *decided;
}

conversation_errc error_of(const conversation_state& s, const conversation_command& cmd,
                           const conversation_context& ctx) {
  auto decided = decide(s, cmd, ctx);
  REQUIRE_FALSE(decided);
  CHECK_FALSE(decided.error().message.empty());
  return decided.error().code;
}

template <class T>
const T& as(const events::event& e) {
  REQUIRE(std::holds_alternative<T>(e));
  return std::get<T>(e);
}

// A state with one sent message: msg_1 from `tenant_main`, sid `sid`.
conversation_state with_sent_message(conversation_context& ctx, const std::string& sid) {
  conversation_state s;
  run(s, send_sms{"Your technician is on the way.", "enroute", {}, {}, {}}, ctx);
  run(s, record_sent{"msg_1", sid}, ctx);
  return s;
}

// What the state holds in memory, its own size and the heap it owns.
std::size_t footprint(const conversation_state& s) {
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

}  // namespace

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

TEST_CASE("a 21610 for a number already opted out emits no second opted_out", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, receive_sms{inbound("STOP")}, ctx);  // queues msg_1, the confirmation
  auto out = run(s, record_send_failure{"msg_1", 21610, "unsubscribed", true}, ctx);
  REQUIRE(out.size() == 1);
  CHECK(std::holds_alternative<events::sms_failed>(out[0]));
}

TEST_CASE("a failure for a message no longer pending emits nothing", "[conversation]") {
  auto ctx = make_context();
  auto s = with_sent_message(ctx, "SM1");
  CHECK(run(s, record_send_failure{"msg_1", 21610, "unsubscribed", true}, ctx).empty());
  CHECK(run(s, record_send_failure{"msg_404", std::nullopt, "timeout", false}, ctx).empty());
  CHECK_FALSE(s.opted_out);
}

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
