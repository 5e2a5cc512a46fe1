// Passivation of idle dispatch actors: customer, technician and job actors
// stop when idle and come back from their streams on the next command,
// without losing a command or changing what is recorded.

#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include "domain/dispatch_streams.hpp"
#include "events/record.hpp"
#include "tests/actors/dispatch_support.hpp"
#include "tests/domain/time_test_support.hpp"

using namespace fl;
using fl::testing::book;
using fl::testing::dispatch_fixture;
using fl::testing::far_lat;
using fl::testing::far_lon;
using fl::testing::jane_phone;
using fl::testing::job_lon;
using fl::time_test::at;

namespace {

const std::string tenant = fl::testing::dispatch_tenant;

void idle_after_a_minute(actors::dispatch_options& o) {
  o.idle_after = std::chrono::minutes(1);
}

// Waits (up to 10 s) until `done` holds of the runtime's figures.
bool eventually(dispatch_fixture& f,
                const std::function<bool(const actors::dispatch_stats&)>& done) {
  for (int i = 0; i < 1000; ++i) {
    if (done(f.dispatch->stats())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::vector<std::string> encoded(const std::vector<events::event>& evs) {
  std::vector<std::string> out;
  for (auto e : evs) {
    if (auto* queued = std::get_if<events::notification_queued>(&e)) queued->message_id.clear();
    auto enc = events::encode_event(e);
    out.push_back(std::string(enc.type) + " " + enc.data_json);
  }
  return out;
}

std::vector<std::string> triggers_of(const std::vector<events::sms_queued>& texts) {
  std::vector<std::string> out;
  for (const auto& t : texts) out.push_back(t.trigger);
  return out;
}

}  // namespace

TEST_CASE("idle customer, technician and job actors stop, and come back from their streams",
          "[dispatch][passivation]") {
  const auto start = at("2026-12-08T14:00:00-06:00");
  auto fix = [&](double lat, int second) {
    return domain::record_location{lat, job_lon, start + std::chrono::seconds(second), 10.0};
  };
  // The same day twice: once with every actor stopped half way.
  auto drive = [&](dispatch_fixture& f, bool passivate) {
    f.clock.set(at("2026-12-08T13:50:00-06:00"));
    book(f);
    REQUIRE(f.technician("t1", domain::record_location{far_lat, far_lon, start, 10.0}));
    REQUIRE(f.technician("t1", domain::change_technician_status{"enroute", "j1"}));
    f.clock.set(start + std::chrono::minutes(20));
    if (passivate) {
      REQUIRE(f.dispatch->stats().live == 3);
      f.dispatch->passivate_idle();
      REQUIRE(eventually(
          f, [](const actors::dispatch_stats& s) { return s.live == 0 && s.passivated == 3; }));
    }
    auto r = f.technician_locations("t1", {fix(41.9500, 60), fix(41.9450, 30), fix(41.8790, 600)});
    REQUIRE(r);
    for (const auto& failure : r->failures) CHECK_FALSE(failure);
  };
  dispatch_fixture kept(at("2026-12-08T13:50:00-06:00"), idle_after_a_minute);
  drive(kept, false);
  dispatch_fixture stopped(at("2026-12-08T13:50:00-06:00"), idle_after_a_minute);
  drive(stopped, true);

  for (const auto& stream :
       {domain::technician_stream(tenant, "t1"), domain::job_stream(tenant, "j1"),
        domain::customer_stream(tenant, "c1")})
    CHECK(encoded(stopped.stream(stream)) == encoded(kept.stream(stream)));
  CHECK(triggers_of(stopped.texts_to(jane_phone)) ==
        std::vector<std::string>{"scheduled", "enroute", "15_min", "arrived"});
  CHECK(triggers_of(stopped.texts_to(jane_phone)) == triggers_of(kept.texts_to(jane_phone)));
  // The technician came back with its status and fixes.
  std::promise<domain::technician_state> p;
  auto tech = p.get_future();
  stopped.dispatch->technician_state(
      tenant, "t1", [&p](domain::technician_state s) { p.set_value(std::move(s)); });
  REQUIRE(tech.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(tech.get().status == domain::technician_status::on_site);
  CHECK(stopped.dispatch->stats().spawned == 6);  // three, then the same three again
}

TEST_CASE("actors used within idle_after are not asked to stop", "[dispatch][passivation]") {
  dispatch_fixture f(at("2026-12-08T13:50:00-06:00"), idle_after_a_minute);
  book(f);
  f.clock.set(at("2026-12-08T13:50:30-06:00"));
  f.dispatch->passivate_idle();
  // A round trip through each actor: a stop asked before would be done.
  REQUIRE(f.customer("c1", domain::update_customer{{"Jane", "Doe", jane_phone, "1 Main St"}}));
  REQUIRE(f.job("j1", domain::assign_job{"t1"}));
  auto s = f.dispatch->stats();
  CHECK(s.live == 3);
  CHECK(s.passivated == 0);
  CHECK(s.spawned == 3);
}

TEST_CASE("a command that reaches an actor after it was asked to stop keeps it, and is answered",
          "[dispatch][passivation]") {
  dispatch_fixture f(at("2026-12-08T13:50:00-06:00"), [](actors::dispatch_options& o) {
    o.idle_after = std::chrono::minutes(1);
    o.threads = 1;  // so that holding one actor holds them all
  });
  book(f);
  // Hold the only scheduler thread inside the customer's actor while the
  // sweep asks all three to stop and a command for the technician follows
  // the request into its mailbox.
  std::promise<void> release;
  auto held = release.get_future().share();
  std::promise<void> holding;
  f.dispatch->customer_state(tenant, "c1", [held, &holding](domain::customer_state) {
    holding.set_value();
    held.wait();
  });
  holding.get_future().wait();
  f.clock.set(at("2026-12-08T14:00:00-06:00"));
  f.dispatch->passivate_idle();
  std::promise<actors::dispatch_result<domain::technician_state>> answered;
  auto answer = answered.get_future();
  f.dispatch->technician(tenant, "t1",
                         domain::update_technician{{"Michael", "Ross", "+13125550190", ""}},
                         [&answered](actors::dispatch_result<domain::technician_state> r) {
                           answered.set_value(std::move(r));
                         });
  release.set_value();

  auto r = fl::testing::wait_for(answer);
  REQUIRE(r);
  CHECK(r->state.first_name == "Michael");
  // The customer and the job stopped; the technician, sent a command after
  // the request, did not: the same actor answered, nothing was spawned.
  REQUIRE(eventually(f, [](const actors::dispatch_stats& s) { return s.passivated == 2; }));
  auto s = f.dispatch->stats();
  CHECK(s.live == 1);
  CHECK(s.spawned == 3);
  auto stream = f.stream(domain::technician_stream(tenant, "t1"));
  REQUIRE(stream.size() == 2);
  CHECK(std::holds_alternative<events::technician_updated>(stream[1]));

  // Asked again once idle, it stops.
  f.clock.set(at("2026-12-08T14:02:00-06:00"));
  f.dispatch->passivate_idle();
  REQUIRE(eventually(f, [](const actors::dispatch_stats& s) { return s.live == 0; }));
}

TEST_CASE("a job holding a text for quiet hours stays until the text goes",
          "[dispatch][passivation]") {
  dispatch_fixture f(at("2026-12-07T22:30:00-06:00"), idle_after_a_minute);
  f.set_settings([](domain::sms_settings& s) {
    s.quiet_hours_start = "21:00";
    s.quiet_hours_end = "08:00";
  });
  book(f);
  CHECK(f.texts_to(jane_phone).empty());
  f.clock.set(at("2026-12-07T23:00:00-06:00"));
  f.dispatch->passivate_idle();
  REQUIRE(eventually(f, [](const actors::dispatch_stats& s) { return s.passivated == 2; }));
  CHECK(f.dispatch->stats().live == 1);  // the job, with its timer

  f.clock.set(at("2026-12-08T08:00:01-06:00"));
  f.send_reminders(std::nullopt);
  CHECK(triggers_of(f.texts_to(jane_phone)) == std::vector<std::string>{"scheduled"});
  f.clock.set(at("2026-12-08T08:05:00-06:00"));
  f.dispatch->passivate_idle();
  REQUIRE(eventually(f, [](const actors::dispatch_stats& s) { return s.live == 0; }));
}

TEST_CASE("beyond max_live_actors the least recently used actors stop first",
          "[dispatch][passivation]") {
  dispatch_fixture f(at("2026-12-08T13:50:00-06:00"),
                     [](actors::dispatch_options& o) { o.max_live_actors = 2; });
  for (const char* id : {"c1", "c2", "c3"})
    REQUIRE(
        f.customer(id, domain::register_customer{
                           id, {"Jane", "Doe", std::string("+1312555014") + id[1], "1 Main St"}}));
  f.dispatch->passivate_idle();
  REQUIRE(eventually(f, [](const actors::dispatch_stats& s) { return s.live == 2; }));
  CHECK(f.dispatch->stats().passivated == 1);
  // c1 went: asking it spawns it again, recovered.
  auto r = f.customer("c1", domain::update_customer{{"Janet", "Doe", "+13125550141", "1 Main St"}});
  REQUIRE(r);
  CHECK(r->state.first_name == "Janet");
  CHECK(f.dispatch->stats().spawned == 4);
}
