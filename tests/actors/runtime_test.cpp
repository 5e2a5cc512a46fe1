// The conversation actors: spawned on demand, recovered from their stream,
// one command at a time, passivated when idle or over the cap.

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "actors/messaging_runtime.hpp"
#include "tests/support/recording_outbox.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
using namespace std::chrono_literals;

namespace {

const std::string tenant_id = "tn_test";
const std::string our_number = "+15005550006";

struct fake_clock {
  std::atomic<std::int64_t> us{1'800'000'000'000'000};
  fl::timestamp now() const { return from_micros(us.load()); }
  void advance(std::chrono::microseconds d) { us += d.count(); }
};

using fl::testing::recording_outbox;

struct runtime_fixture {
  testing::temp_dir dir;
  std::unique_ptr<storage::event_store> store;
  domain::tenant_directory tenants;
  recording_outbox out;
  fake_clock clock;
  std::unique_ptr<actors::messaging_runtime> runtime;

  explicit runtime_fixture(std::size_t cap = 1000) {
    auto opened = storage::event_store::open(dir.path());
    REQUIRE(opened);
    store = std::move(*opened);
    events::tenant_created t;
    t.tenant_id = tenant_id;
    t.name = "Acme";
    t.timezone = "America/Chicago";
    t.region = "US";
    t.numbers = {{our_number, 1}};
    t.api_token_sha256 = std::string(64, '0');
    tenants.apply(t, clock.now());
    actors::runtime_options o;
    o.max_live_actors = cap;
    o.idle_after = 60s;
    o.sweep_every = 1h;  // the tests sweep by hand
    o.clock = [this] { return clock.now(); };
    runtime = std::make_unique<actors::messaging_runtime>(*store, tenants, out, o);
  }

  actors::command_result ask(const std::string& phone, domain::conversation_command cmd) {
    std::promise<actors::command_result> p;
    auto f = p.get_future();
    runtime->submit(actors::conversation_key(tenant_id, phone), std::move(cmd),
                    [&p](actors::command_result r) { p.set_value(std::move(r)); });
    REQUIRE(f.wait_for(5s) == std::future_status::ready);
    return f.get();
  }

  void append_directly(const std::string& phone, events::event e) {
    storage::append_request r;
    r.tenant = tenant_id;
    r.stream = actors::conversation_key(tenant_id, phone).stream();
    r.events.push_back(std::move(e));
    REQUIRE(store->append(std::move(r)));
  }
};

domain::send_sms manual(std::string body) {
  domain::send_sms s;
  s.body = std::move(body);
  s.trigger = "manual";
  return s;
}

// Passivation hands the state over on the actor's own thread: wait for it.
bool eventually_hibernated(runtime_fixture& f, std::uint64_t n) {
  for (int i = 0; i < 500; ++i) {
    if (f.runtime->stats().hibernated == n) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

const std::string alice = "+13125550111";
const std::string bob = "+13125550112";

}  // namespace

TEST_CASE("the first command spawns the conversation's actor, which recovers its history first",
          "[actors]") {
  runtime_fixture f;
  f.append_directly(alice, events::opted_out{alice, "keyword", "STOP"});
  auto r = f.ask(alice, manual("hello"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == actors::command_errc::rejected);
  CHECK(r.error().domain_code == domain::conversation_errc::opted_out);
  CHECK(f.runtime->stats().spawned == 1);
}

TEST_CASE("a queued text reaches the outbox only after its event is durable, with its log position",
          "[actors]") {
  runtime_fixture f;
  auto r = f.ask(alice, manual("on our way"));
  REQUIRE(r);
  CHECK(r->position == f.store->last_position());
  auto jobs = f.out.jobs();
  REQUIRE(jobs.size() == 1);
  CHECK_FALSE(jobs[0].resume);
  CHECK(jobs[0].message.to == alice);
  CHECK(jobs[0].message.from == our_number);
  auto stored = f.store->read_stream(actors::conversation_key(tenant_id, alice).stream());
  REQUIRE(stored->size() == 1);
  CHECK(std::get<events::sms_queued>(stored->at(0).data).message_id == jobs[0].message.message_id);
}

TEST_CASE("commands to one conversation are handled one at a time, in order, without conflicts",
          "[actors]") {
  runtime_fixture f;
  constexpr int n = 200;
  std::vector<std::promise<actors::command_result>> promises(n);
  for (int i = 0; i < n; ++i)
    f.runtime->submit(
        actors::conversation_key(tenant_id, alice), manual("text " + std::to_string(i)),
        [&promises, i](actors::command_result r) { promises[i].set_value(std::move(r)); });
  for (auto& p : promises) {
    auto fut = p.get_future();
    REQUIRE(fut.wait_for(10s) == std::future_status::ready);
    CHECK(fut.get());
  }
  auto stored = f.store->read_stream(actors::conversation_key(tenant_id, alice).stream());
  REQUIRE(stored->size() == n);
  for (int i = 0; i < n; ++i)
    CHECK(std::get<events::sms_queued>(stored->at(i).data).body == "text " + std::to_string(i));
  CHECK(f.runtime->stats().conflicts_retried == 0);
}

TEST_CASE("an append by someone else is noticed as a version conflict, reloaded and retried",
          "[actors]") {
  runtime_fixture f;
  REQUIRE(f.ask(alice, manual("first")));
  f.append_directly(alice, events::opted_out{alice, "carrier", std::nullopt});
  auto r = f.ask(alice, manual("second"));
  REQUIRE_FALSE(r);  // the reloaded state knows the number opted out meanwhile
  CHECK(r.error().domain_code == domain::conversation_errc::opted_out);
  CHECK(f.runtime->stats().conflicts_retried == 1);
}

TEST_CASE("an idle actor passivates and comes back with its state on the next command",
          "[actors]") {
  runtime_fixture f;
  REQUIRE(f.ask(alice, domain::receive_sms{events::sms_received{
                           "SM1", "AC1", std::nullopt, alice, our_number, "STOP", {}}}));
  CHECK(f.runtime->stats().live == 1);
  f.clock.advance(30s);
  f.runtime->passivate_idle();
  CHECK(f.runtime->stats().live == 1);  // not idle long enough yet
  f.clock.advance(31s);
  f.runtime->passivate_idle();
  CHECK(f.runtime->stats().live == 0);
  CHECK(f.runtime->stats().passivated == 1);
  auto r = f.ask(alice, manual("are you there?"));
  REQUIRE_FALSE(r);
  CHECK(r.error().domain_code == domain::conversation_errc::opted_out);
  CHECK(f.runtime->stats().spawned == 2);
}

TEST_CASE("the live-actor cap passivates the least recently used actor", "[actors]") {
  runtime_fixture f(2);
  const std::string carol = "+13125550113";
  REQUIRE(f.ask(alice, manual("a")));
  REQUIRE(f.ask(bob, manual("b")));
  REQUIRE(f.ask(alice, manual("a again")));  // bob is now the least recently used
  REQUIRE(f.ask(carol, manual("c")));
  CHECK(f.runtime->stats().live == 2);
  CHECK(f.runtime->stats().passivated == 1);
  auto before = f.runtime->stats().spawned;
  REQUIRE(f.ask(alice, manual("still live")));
  CHECK(f.runtime->stats().spawned == before);  // alice was kept
  REQUIRE(f.ask(bob, manual("back")));
  CHECK(f.runtime->stats().spawned == before + 1);  // bob came back
}

TEST_CASE("a recovered actor hands its unsent messages to the outbox for reconciliation",
          "[actors]") {
  runtime_fixture f;
  events::sms_queued q;
  q.message_id = "msg_unsent";
  q.from = our_number;
  q.to = alice;
  q.body = "queued before a crash";
  q.trigger = "manual";
  q.encoding = "gsm7";
  f.append_directly(alice, q);
  f.runtime->activate(actors::conversation_key(tenant_id, alice));
  REQUIRE(f.ask(alice, domain::record_sent{"msg_other", "SMx"}));  // after recovery, in order
  auto jobs = f.out.jobs();
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].resume);
  CHECK(jobs[0].message.message_id == "msg_unsent");
}

TEST_CASE("a command for a tenant that does not exist is refused", "[actors]") {
  runtime_fixture f;
  std::promise<actors::command_result> p;
  f.runtime->submit(actors::conversation_key("tn_ghost", alice), manual("x"),
                    [&p](actors::command_result r) { p.set_value(std::move(r)); });
  auto r = p.get_future().get();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == actors::command_errc::unknown_tenant);
}

TEST_CASE("ticket sessions are routed apart from conversations and refused until they exist",
          "[actors]") {
  runtime_fixture f;
  std::promise<actors::command_result> p;
  f.runtime->submit(actors::actor_key{actors::actor_kind::ticket_session, tenant_id, "ct_1"},
                    manual("x"), [&p](actors::command_result r) { p.set_value(std::move(r)); });
  auto r = p.get_future().get();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == actors::command_errc::unsupported);
  CHECK(actors::actor_key{actors::actor_kind::ticket_session, tenant_id, "ct_1"}.stream() !=
        actors::conversation_key(tenant_id, "ct_1").stream());
}

TEST_CASE("after shutdown every command is answered as shutting down", "[actors]") {
  runtime_fixture f;
  REQUIRE(f.ask(alice, manual("before")));
  f.runtime->drain();
  auto r = f.ask(alice, manual("after"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == actors::command_errc::shutting_down);
}

TEST_CASE(
    "a passivated conversation is kept as plain state and comes back with what was appended since",
    "[actors]") {
  runtime_fixture f;
  REQUIRE(f.ask(alice, manual("first")));
  f.clock.advance(61s);
  f.runtime->passivate_idle();
  REQUIRE(eventually_hibernated(f, 1));
  // Someone else writes while it sleeps; the next incarnation must see it.
  f.append_directly(alice, events::opted_out{alice, "carrier", std::nullopt});
  auto r = f.ask(alice, manual("second"));
  REQUIRE_FALSE(r);
  CHECK(r.error().domain_code == domain::conversation_errc::opted_out);
  CHECK(f.runtime->stats().hibernated == 0);  // taken back by the live actor
}
