// The ticket session actors over a real event log: a contractor's texts
// become ticket events and replies in the contractor's conversation.

#include "actors/ticket_runtime.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "actors/messaging_runtime.hpp"
#include "domain/interpreter.hpp"
#include "domain/rules_interpreter.hpp"
#include "tests/support/recording_outbox.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace fl;
using namespace std::chrono_literals;

const std::string tenant = "tn_snow";
const std::string crew = "ct_mike";
const std::string crew_phone = "+15005550101";

struct ticket_fixture {
  testing::temp_dir dir;
  std::unique_ptr<storage::event_store> store;
  domain::tenant_directory tenants;
  testing::recording_outbox out;
  std::atomic<std::int64_t> now_us{0};
  std::mutex properties_mutex;
  std::vector<domain::property_ref> properties;
  bool properties_readable = true;
  domain::interpreter* interpreter = nullptr;  // none: the rules interpreter
  std::unique_ptr<actors::messaging_runtime> conversations;
  std::unique_ptr<actors::ticket_runtime> tickets;
  int next_sid = 0;

  ticket_fixture() {
    now_us = to_micros(*parse_rfc3339("2026-12-07T04:30:00-06:00"));
    auto opened = storage::event_store::open(dir.path());
    REQUIRE(opened);
    store = std::move(*opened);
    events::tenant_created t;
    t.tenant_id = tenant;
    t.name = "Frosty Snow Co";
    t.timezone = "America/Chicago";
    t.region = "US";
    t.numbers = {{"+15005550006", 1}};
    t.api_token_sha256 = std::string(64, '0');
    tenants.apply(t, from_micros(now_us.load()));
    properties = {{"p_walmart", "Walmart Parking Lot", "123 Main St"},
                  {"p_target", "Target", "456 Oak Ave"},
                  {"p_depot", "Home Depot", "789 Pine Rd"}};
    start();
  }
  ~ticket_fixture() { stop(); }

  void stop() {
    tickets.reset();
    conversations.reset();
  }

  void start() {
    actors::runtime_options o;
    o.clock = [this] { return from_micros(now_us.load()); };
    conversations = std::make_unique<actors::messaging_runtime>(*store, tenants, out, o);
    actors::ticket_runtime_options t;
    t.clock = o.clock;
    t.interpreter = interpreter;
    t.properties =
        [this](const std::string&,
               const std::string&) -> expected<std::vector<domain::property_ref>, std::string> {
      std::lock_guard lock(properties_mutex);
      if (!properties_readable) return unexpected{std::string("projection closed")};
      return properties;
    };
    tickets = std::make_unique<actors::ticket_runtime>(*store, tenants, *conversations, t);
  }

  void restart() {
    stop();
    start();
  }

  std::string new_sid() { return "SM" + std::to_string(1000 + next_sid++); }

  std::future<actors::ticket_text_result> send(std::string body, std::string sid) {
    auto p = std::make_shared<std::promise<actors::ticket_text_result>>();
    auto f = p->get_future();
    tickets->text({tenant, crew, crew_phone, std::move(sid), std::move(body)},
                  [p](actors::ticket_text_result r) { p->set_value(std::move(r)); });
    return f;
  }

  actors::ticket_text_result text(std::string body, std::optional<std::string> sid = {}) {
    auto f = send(std::move(body), sid ? *sid : new_sid());
    REQUIRE(f.wait_for(10s) == std::future_status::ready);
    return f.get();
  }

  /// A text that must be taken.
  actors::ticket_text_reply say(std::string body, std::optional<std::string> sid = {}) {
    auto r = text(std::move(body), std::move(sid));
    REQUIRE(r);
    return *r;
  }

  std::vector<events::event> session_events() const {
    auto stored = store->read_stream(
        actors::actor_key{actors::actor_kind::ticket_session, tenant, crew}.stream());
    REQUIRE(stored);
    std::vector<events::event> outv;
    for (auto& r : *stored) outv.push_back(std::move(r.data));
    return outv;
  }

  template <class T>
  std::vector<T> session(const std::vector<events::event>& evs) const {
    std::vector<T> outv;
    for (const auto& e : evs)
      if (const auto* x = std::get_if<T>(&e)) outv.push_back(*x);
    return outv;
  }

  std::vector<events::sms_queued> texts() const {
    auto stored = store->read_stream(actors::conversation_key(tenant, crew_phone).stream());
    REQUIRE(stored);
    std::vector<events::sms_queued> outv;
    for (auto& r : *stored)
      if (auto* q = std::get_if<events::sms_queued>(&r.data)) outv.push_back(std::move(*q));
    return outv;
  }

  domain::ticket_session_memory memory() {
    std::promise<domain::ticket_session_memory> p;
    auto f = p.get_future();
    tickets->session(tenant, crew, [&p](domain::ticket_session_memory m) { p.set_value(m); });
    REQUIRE(f.wait_for(10s) == std::future_status::ready);
    return f.get();
  }
};

/// Reads with the rules, on a thread of its own after a pause, as Claude
/// answers; remembers what it was told.
class slow_interpreter : public domain::interpreter {
 public:
  std::optional<std::string> fallback_reason;

  domain::interpreter_result interpret(std::string_view text,
                                       const domain::interpret_context& context) override {
    {
      std::lock_guard lock(mutex_);
      contexts_.push_back(context);
    }
    domain::interpreter_result r;
    r.reading = domain::interpret_with_rules(text);
    r.fallback_reason = fallback_reason;
    r.model = "claude-test";
    return r;
  }
  void interpret_async(std::string text, domain::interpret_context context,
                       callback done) override {
    std::thread([this, text = std::move(text), context = std::move(context),
                 done = std::move(done)] {
      std::this_thread::sleep_for(20ms);
      done(interpret(text, context));
    }).detach();
  }
  std::vector<domain::interpret_context> contexts() const {
    std::lock_guard lock(mutex_);
    return contexts_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<domain::interpret_context> contexts_;
};

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a contractor's START lists the properties and a number starts that ticket",
          "[actors][tickets]") {
  ticket_fixture f;
  auto listed = f.text("START");
  REQUIRE(listed);
  CHECK(listed->state == "awaiting_start_confirmation");
  REQUIRE(listed->replies.size() == 1);
  CHECK(contains(listed->replies[0], "2. Target"));

  auto started = f.text("2");
  REQUIRE(started);
  CHECK(started->state == "collecting_ticket_details");
  auto begun = f.session<events::ticket_started>(f.session_events());
  REQUIRE(begun.size() == 1);
  CHECK(begun[0].property_id == "p_target");
  CHECK(begun[0].ticket_id.rfind("tkt_", 0) == 0);
}

TEST_CASE("the session's replies are queued in the contractor's conversation, in order",
          "[actors][tickets]") {
  ticket_fixture f;
  auto listed = f.text("START");
  auto started = f.text("Walmart");
  REQUIRE(listed);
  REQUIRE(started);
  auto texts = f.texts();
  REQUIRE(texts.size() == 2);
  CHECK(texts[0].body == listed->replies[0]);
  CHECK(texts[1].body == started->replies[0]);
  for (const auto& t : texts) {
    CHECK(t.to == crew_phone);
    CHECK(t.trigger == "reply");
    CHECK(t.contractor_id == crew);
  }
  CHECK(started->position >= f.store->last_position() - 0);
}

TEST_CASE("details add up on the open ticket and DONE completes it", "[actors][tickets]") {
  ticket_fixture f;
  f.say("START");
  f.say("1");
  auto updated = f.text("skid steer, 5 bags, icy");
  REQUIRE(updated);
  CHECK(updated->state == "collecting_ticket_details");
  CHECK(contains(updated->replies[0], "Ticket updated"));
  f.say("3 more bags");
  auto done = f.text("DONE");
  REQUIRE(done);
  CHECK(done->state == "idle");
  auto evs = f.session_events();
  auto added = f.session<events::ticket_details_added>(evs);
  REQUIRE(added.size() == 2);
  CHECK(added[0].equipment == std::vector<std::string>{"skid steer"});
  CHECK(added[0].bag_salt == 5);
  CHECK(added[1].bag_salt == 3);
  CHECK(f.session<events::ticket_completed>(evs).size() == 1);
  CHECK_FALSE(f.memory().session.ticket.has_value());
}

TEST_CASE("every text's reading and replies are recorded before what it did", "[actors][tickets]") {
  ticket_fixture f;
  f.say("START", "SMstart");
  auto evs = f.session_events();
  REQUIRE(evs.size() >= 2);
  const auto* read = std::get_if<events::ticket_text_read>(&evs[0]);
  REQUIRE(read);
  CHECK(read->message_sid == "SMstart");
  CHECK(read->intent == "start_ticket");
  CHECK(read->interpreter == "rules");
  CHECK(read->replies.size() == 1);
  CHECK(std::holds_alternative<events::ticket_session_moved>(evs[1]));
}

TEST_CASE("a retried webhook's text is answered again but recorded and texted once",
          "[actors][tickets]") {
  ticket_fixture f;
  f.say("START", "SM1");
  f.say("1", "SM2");
  auto first = f.text("5 bags", "SM3");
  auto again = f.text("5 bags", "SM3");
  REQUIRE(first);
  REQUIRE(again);
  CHECK_FALSE(first->duplicate);
  CHECK(again->duplicate);
  CHECK(again->replies == first->replies);
  CHECK(again->position >= first->position);
  CHECK(f.session<events::ticket_details_added>(f.session_events()).size() == 1);
  CHECK(f.texts().size() == 3);
}

TEST_CASE("a retry after a restart is still recognised by its MessageSid", "[actors][tickets]") {
  ticket_fixture f;
  f.say("START", "SM1");
  f.say("1", "SM2");
  f.say("5 bags", "SM3");
  f.restart();
  auto again = f.text("5 bags", "SM3");
  REQUIRE(again);
  CHECK(again->duplicate);
  CHECK(f.session<events::ticket_details_added>(f.session_events()).size() == 1);
  CHECK(f.texts().size() == 3);
}

TEST_CASE("a ticket left open by a restart is completed after it", "[actors][tickets]") {
  ticket_fixture f;
  f.say("START");
  f.say("Target");
  f.say("plow truck 2 yards bulk salt");
  f.restart();
  auto memory = f.memory();
  REQUIRE(memory.session.ticket);
  CHECK(memory.session.ticket->property_name == "Target");
  CHECK(memory.session.ticket->bulk == domain::bulk_salt{2, domain::salt_unit::yards});
  auto done = f.text("done");
  REQUIRE(done);
  CHECK(done->state == "idle");
  CHECK(contains(done->replies[0], "Target"));
}

TEST_CASE("status lists the open ticket and the ones completed today", "[actors][tickets]") {
  ticket_fixture f;
  f.say("START");
  f.say("Walmart");
  f.say("4 bags");
  f.say("DONE");
  f.say("START");
  f.say("Home Depot");
  auto status = f.text("status of tickets");
  REQUIRE(status);
  REQUIRE(status->replies.size() == 1);
  CHECK(contains(status->replies[0], "Walmart"));
  CHECK(contains(status->replies[0], "Home Depot"));
  CHECK(status->state == "collecting_ticket_details");
}

TEST_CASE("a contractor with one property starts its ticket at once", "[actors][tickets]") {
  ticket_fixture f;
  f.properties = {{"p_only", "Mall East Lot", "1 Mall Rd"}};
  auto started = f.text("START");
  REQUIRE(started);
  CHECK(started->state == "collecting_ticket_details");
  CHECK(contains(started->replies[0], "Mall East Lot"));
}

TEST_CASE("properties that cannot be read fail the text and record nothing; a retry works",
          "[actors][tickets]") {
  ticket_fixture f;
  f.properties_readable = false;
  auto failed = f.text("START", "SMx");
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == actors::ticket_errc::unavailable);
  CHECK(f.session_events().empty());
  CHECK(f.texts().empty());
  f.properties_readable = true;
  auto retried = f.text("START", "SMx");
  REQUIRE(retried);
  CHECK_FALSE(retried->duplicate);
  CHECK(retried->state == "awaiting_start_confirmation");
}

TEST_CASE("a text of an unknown tenant is refused", "[actors][tickets]") {
  ticket_fixture f;
  std::promise<actors::ticket_text_result> p;
  auto fut = p.get_future();
  f.tickets->text({"tn_nobody", crew, crew_phone, "SM9", "START"},
                  [&p](actors::ticket_text_result r) { p.set_value(std::move(r)); });
  auto r = fut.get();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == actors::ticket_errc::unknown_tenant);
}

TEST_CASE("texts of one contractor are taken one at a time, in the order they came",
          "[actors][tickets]") {
  ticket_fixture f;
  slow_interpreter slow;
  f.interpreter = &slow;
  f.restart();
  std::vector<std::future<actors::ticket_text_result>> pending;
  for (auto body : {"START", "2", "skid steer 5 bags", "DONE"})
    pending.push_back(f.send(body, f.new_sid()));
  for (auto& p : pending) {
    REQUIRE(p.wait_for(10s) == std::future_status::ready);
    REQUIRE(p.get());
  }
  auto evs = f.session_events();
  CHECK(f.session<events::ticket_started>(evs).size() == 1);
  CHECK(f.session<events::ticket_details_added>(evs).size() == 1);
  CHECK(f.session<events::ticket_completed>(evs).size() == 1);
  CHECK(f.memory().session.stage == domain::session_stage::idle);
}

TEST_CASE("why Claude's reading was not used is recorded with the rules' reading",
          "[actors][tickets]") {
  ticket_fixture f;
  slow_interpreter claude;
  claude.fallback_reason = "claude timed out after 8 s";
  f.interpreter = &claude;
  f.restart();
  f.say("START");
  auto read = f.session<events::ticket_text_read>(f.session_events());
  REQUIRE(read.size() == 1);
  CHECK(read[0].fallback_reason == "claude timed out after 8 s");
  CHECK(read[0].model == "claude-test");
}

TEST_CASE("the interpreter is told the contractor's properties and when a choice was asked",
          "[actors][tickets]") {
  ticket_fixture f;
  slow_interpreter claude;
  f.interpreter = &claude;
  f.restart();
  f.say("START");
  f.say("target");
  auto told = claude.contexts();
  REQUIRE(told.size() == 2);
  CHECK(told[0].property_names ==
        std::vector<std::string>{"Walmart Parking Lot", "Target", "Home Depot"});
  CHECK_FALSE(told[0].awaiting_property_choice);
  CHECK(told[1].awaiting_property_choice);
}

TEST_CASE("a contractor who opted out still updates the ticket but is texted nothing",
          "[actors][tickets]") {
  ticket_fixture f;
  std::promise<actors::command_result> p;
  auto fut = p.get_future();
  events::sms_received stop;
  stop.message_sid = "SMstop";
  stop.from = crew_phone;
  stop.to = "+15005550006";
  stop.body = "STOP";
  f.conversations->submit(actors::conversation_key(tenant, crew_phone), domain::receive_sms{stop},
                          [&p](actors::command_result r) { p.set_value(std::move(r)); });
  REQUIRE(fut.get());
  auto before = f.texts().size();
  auto listed = f.text("START");
  REQUIRE(listed);
  CHECK(listed->state == "awaiting_start_confirmation");
  CHECK(f.texts().size() == before);
}

TEST_CASE("a text handed over from a conversation's actor thread is taken, and shutdown completes",
          "[actors][tickets]") {
  // The webhook hands a contractor's text over from the conversation that
  // stored it, i.e. from a worker of the other actor system.
  ticket_fixture f;
  auto p = std::make_shared<std::promise<actors::ticket_text_result>>();
  auto answered = p->get_future();
  domain::send_sms note;
  note.body = "Reminder: salt the walkways";
  note.trigger = "manual";
  f.conversations->submit(
      actors::conversation_key(tenant, crew_phone), note, [&f, p](actors::command_result) {
        f.tickets->text({tenant, crew, crew_phone, "SM_from_worker", "START"},
                        [p](actors::ticket_text_result r) { p->set_value(std::move(r)); });
      });
  REQUIRE(answered.wait_for(10s) == std::future_status::ready);
  auto r = answered.get();
  REQUIRE(r);
  CHECK(r->state == "awaiting_start_confirmation");
  // Stopping on another thread than the one that spawned used to hang in
  // ~actor_system (CAF keeps the spawner's reference to the system's logger).
  auto stopped = std::async(std::launch::async, [&f] { f.stop(); });
  CHECK(stopped.wait_for(10s) == std::future_status::ready);
}
