// The customer notifications at run time: customer, technician and job
// actors over a real log, texting through the customers' conversations.

#include <catch2/catch.hpp>

#include <algorithm>
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
using fl::testing::job_lat;
using fl::testing::job_lon;
using fl::time_test::at;

namespace {

std::vector<std::string> triggers_of(const std::vector<events::sms_queued>& texts) {
  std::vector<std::string> out;
  for (const auto& t : texts) out.push_back(t.trigger);
  return out;
}

template <class E>
std::size_t count_of(const std::vector<events::event>& evs) {
  return std::count_if(evs.begin(), evs.end(),
                       [](const events::event& e) { return std::holds_alternative<E>(e); });
}

// Each event as its type and data, so that a difference shows; message ids
// (random) left out.
std::vector<std::string> encoded(const std::vector<events::event>& evs) {
  std::vector<std::string> out;
  for (auto e : evs) {
    if (auto* queued = std::get_if<events::notification_queued>(&e)) queued->message_id.clear();
    auto enc = events::encode_event(e);
    out.push_back(std::string(enc.type) + " " + enc.data_json);
  }
  return out;
}

const std::string job_stream = domain::job_stream(fl::testing::dispatch_tenant, "j1");

}  // namespace

TEST_CASE("assigning a job texts its customer the scheduled notification once", "[dispatch]") {
  dispatch_fixture f(at("2026-12-07T10:00:00-06:00"));
  book(f);
  auto texts = f.texts_to(jane_phone);
  REQUIRE(texts.size() == 1);
  CHECK(texts[0].trigger == "scheduled");
  CHECK(texts[0].body ==
        "Hi Jane, Acme HVAC has you scheduled for Tue, Dec 8 at 2:30 PM. Reply STOP to opt out.");
  CHECK(texts[0].customer_id == "c1");
  CHECK(texts[0].job_id == "j1");
  auto job = f.stream(job_stream);
  CHECK(count_of<events::notification_triggered>(job) == 1);
  CHECK(count_of<events::notification_queued>(job) == 1);

  REQUIRE(
      f.technician("t2", domain::register_technician{"t2", {"Ann", "Lee", "+13125550191", ""}}));
  auto reassigned = f.job("j1", domain::assign_job{"t2"});
  REQUIRE(reassigned);
  CHECK(f.texts_to(jane_phone).size() == 1);
}

TEST_CASE("a job for a customer never registered is refused naming customer_id", "[dispatch]") {
  dispatch_fixture f(at("2026-12-07T10:00:00-06:00"));
  auto r = f.job("j1", domain::create_job{"j1", "nobody", "1 Main St", std::nullopt, std::nullopt,
                                          at("2026-12-08T14:30:00-06:00"), std::nullopt});
  REQUIRE_FALSE(r);
  CHECK(r.error().reason == "not_found");
  CHECK(r.error().field == "customer_id");
  CHECK(f.stream(job_stream).empty());
}

TEST_CASE("assigning a technician never registered is refused naming technician_id", "[dispatch]") {
  dispatch_fixture f(at("2026-12-07T10:00:00-06:00"));
  book(f, false);
  auto r = f.job("j1", domain::assign_job{"ghost"});
  REQUIRE_FALSE(r);
  CHECK(r.error().field == "technician_id");
  CHECK(f.texts_to(jane_phone).empty());
}

TEST_CASE("en route texts the ETA from the technician's last fix", "[dispatch]") {
  dispatch_fixture f(at("2026-12-08T13:50:00-06:00"));
  book(f);
  REQUIRE(f.technician("t1", domain::record_location{far_lat, far_lon, std::nullopt, 10.0}));
  auto r = f.technician("t1", domain::change_technician_status{"enroute", "j1"});
  REQUIRE(r);
  auto texts = f.texts_to(jane_phone);
  REQUIRE(texts.size() == 2);
  CHECK(texts[1].trigger == "enroute");
  // 10.0 km at 10 m/s: 1000 s, rounded up to 17 minutes.
  CHECK(texts[1].body == "Hi Jane, Mike is on the way and should arrive in about 17 min.");
  // The answer's position covers the text queued in the conversation.
  CHECK(r->position == f.store->last_position());
}

TEST_CASE("a status about another technician's job is refused and records nothing", "[dispatch]") {
  dispatch_fixture f(at("2026-12-08T13:50:00-06:00"));
  book(f);
  REQUIRE(
      f.technician("t2", domain::register_technician{"t2", {"Ann", "Lee", "+13125550191", ""}}));
  auto r = f.technician("t2", domain::change_technician_status{"enroute", "j1"});
  REQUIRE_FALSE(r);
  CHECK(r.error().reason == "wrong_technician");
  auto unknown = f.technician("t1", domain::change_technician_status{"enroute", "nope"});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().reason == "not_found");
  CHECK(f.texts_to(jane_phone).size() == 1);
}

TEST_CASE("approaching texts 15 minutes away once, then the geofence texts arrived once",
          "[dispatch]") {
  dispatch_fixture f(at("2026-12-08T13:50:00-06:00"));
  book(f);
  REQUIRE(f.technician("t1", domain::record_location{far_lat, far_lon, std::nullopt, 10.0}));
  REQUIRE(f.technician("t1", domain::change_technician_status{"enroute", "j1"}));
  auto fix = [&](double lat, int second) {
    f.clock.set(at("2026-12-08T14:00:00-06:00") + std::chrono::seconds(second));
    REQUIRE(f.technician("t1", domain::record_location{lat, job_lon, std::nullopt, 10.0}));
  };
  fix(41.9500, 0);  // 8 km: 14 min
  fix(41.9400, 60);
  fix(41.8790, 600);  // 100 m: inside the 150 m geofence
  fix(41.8782, 660);
  CHECK(triggers_of(f.texts_to(jane_phone)) ==
        std::vector<std::string>{"scheduled", "enroute", "15_min", "arrived"});
  auto tech = f.technician("t1", domain::update_technician{{"Mike", "Ross", "+13125550190", ""}});
  REQUIRE(tech);
  CHECK(tech->state.status == domain::technician_status::on_site);
}

TEST_CASE("a batch of fixes records and texts what the same fixes one by one do", "[dispatch]") {
  const auto start = at("2026-12-08T14:00:00-06:00");
  auto fix = [&](double lat, int second) {
    return domain::record_location{lat, job_lon, start + std::chrono::seconds(second), 10.0};
  };
  // 8 km (15 min), closer, a late fix from before, inside the geofence
  // (arrived), then moving on site.
  const std::vector<domain::record_location> fixes{
      fix(41.9500, 0), fix(41.9400, 60), fix(41.9450, 30), fix(41.8790, 600), fix(41.8782, 660)};
  auto drive = [&](dispatch_fixture& f) {
    f.clock.set(at("2026-12-08T13:50:00-06:00"));
    book(f);
    REQUIRE(f.technician("t1", domain::record_location{far_lat, far_lon, std::nullopt, 10.0}));
    REQUIRE(f.technician("t1", domain::change_technician_status{"enroute", "j1"}));
    f.clock.set(start + std::chrono::minutes(20));
  };
  dispatch_fixture one_by_one(at("2026-12-08T13:50:00-06:00"));
  drive(one_by_one);
  for (const auto& x : fixes) REQUIRE(one_by_one.technician("t1", x));

  dispatch_fixture batched(at("2026-12-08T13:50:00-06:00"));
  drive(batched);
  auto r = batched.technician_locations("t1", fixes);
  REQUIRE(r);
  REQUIRE(r->failures.size() == fixes.size());
  for (const auto& failure : r->failures) CHECK_FALSE(failure);
  // The answer's position covers the texts that followed.
  CHECK(r->position == batched.store->last_position());

  const auto tech_stream = domain::technician_stream(fl::testing::dispatch_tenant, "t1");
  CHECK(encoded(batched.stream(tech_stream)) == encoded(one_by_one.stream(tech_stream)));
  CHECK(encoded(batched.stream(job_stream)) == encoded(one_by_one.stream(job_stream)));
  auto texts = batched.texts_to(jane_phone);
  CHECK(triggers_of(texts) ==
        std::vector<std::string>{"scheduled", "enroute", "15_min", "arrived"});
  auto expected = one_by_one.texts_to(jane_phone);
  REQUIRE(texts.size() == expected.size());
  for (std::size_t i = 0; i < texts.size(); ++i) CHECK(texts[i].body == expected[i].body);
  auto tech =
      batched.technician("t1", domain::update_technician{{"Mike", "Ross", "+13125550190", ""}});
  REQUIRE(tech);
  CHECK(tech->state.status == domain::technician_status::on_site);
  CHECK(tech->state.stale_fixes == 1);
}

TEST_CASE("a batch for a technician never registered refuses each fix", "[dispatch]") {
  dispatch_fixture f(at("2026-12-08T13:50:00-06:00"));
  auto r = f.technician_locations("ghost", {domain::record_location{job_lat, job_lon, {}, {}},
                                            domain::record_location{job_lat, job_lon, {}, {}}});
  REQUIRE(r);
  CHECK(r->position == 0);
  REQUIRE(r->failures.size() == 2);
  for (const auto& failure : r->failures) {
    REQUIRE(failure);
    CHECK(failure->reason == "not_registered");
  }
}

TEST_CASE("complete texts the invoice link", "[dispatch]") {
  dispatch_fixture f(at("2026-12-08T14:30:00-06:00"));
  book(f);
  REQUIRE(f.technician("t1", domain::change_technician_status{"on_site", "j1"}));
  REQUIRE(f.technician("t1", domain::change_technician_status{"complete", "j1"}));
  auto texts = f.texts_to(jane_phone);
  CHECK(triggers_of(texts) == std::vector<std::string>{"scheduled", "arrived", "complete"});
  CHECK(texts.back().body ==
        "Hi Jane, your job with Acme HVAC is complete. Thank you! Your invoice: "
        "https://pay.example/inv/1");
}

TEST_CASE("an opted-out customer gets no notification and the job records why", "[dispatch]") {
  dispatch_fixture f(at("2026-12-07T10:00:00-06:00"));
  f.consent.set_opted_out(fl::testing::dispatch_tenant, jane_phone, true);
  storage::append_request stop;
  stop.tenant = fl::testing::dispatch_tenant;
  stop.stream = actors::conversation_key(stop.tenant, jane_phone).stream();
  stop.events = {events::opted_out{jane_phone, "keyword", "STOP"}};
  REQUIRE(f.store->append(stop));
  book(f);
  CHECK(f.texts_to(jane_phone).empty());
  auto job = f.stream(job_stream);
  CHECK(count_of<events::notification_queued>(job) == 0);
}

TEST_CASE("quiet hours hold the scheduled text until they end, then it goes", "[dispatch]") {
  dispatch_fixture f(at("2026-12-07T22:30:00-06:00"));
  f.set_settings([](domain::sms_settings& s) {
    s.quiet_hours_start = "21:00";
    s.quiet_hours_end = "08:00";
  });
  book(f);
  CHECK(f.texts_to(jane_phone).empty());
  auto job = f.stream(job_stream);
  REQUIRE(count_of<events::notification_triggered>(job) == 1);
  const auto& fired = std::get<events::notification_triggered>(job[job.size() - 1]);
  CHECK(fired.held_until_us == to_micros(at("2026-12-08T08:00:00-06:00")));

  // After a restart (the open jobs come back from the directory), the job
  // still owes it; past 8 AM the sweep wakes it.
  f.restart();
  f.dispatch->resume_jobs({{fl::testing::dispatch_tenant, "j1", at("2026-12-08T14:30:00-06:00")}});
  f.clock.set(at("2026-12-08T08:00:01-06:00"));
  f.send_reminders(std::nullopt);
  CHECK(triggers_of(f.texts_to(jane_phone)) == std::vector<std::string>{"scheduled"});
}

TEST_CASE("the reminder goes once at the reminder hour the day before, again after a reschedule",
          "[dispatch]") {
  dispatch_fixture f(at("2026-12-07T10:00:00-06:00"));
  book(f);
  auto early = f.send_reminders(at("2026-12-07T17:59:00-06:00"));
  CHECK(early.jobs_checked == 1);
  CHECK(early.reminders == 0);
  auto sweep = f.send_reminders(at("2026-12-07T18:00:00-06:00"));
  CHECK(sweep.reminders == 1);
  CHECK(f.send_reminders(at("2026-12-07T19:00:00-06:00")).reminders == 0);
  auto texts = f.texts_to(jane_phone);
  REQUIRE(triggers_of(texts) == std::vector<std::string>{"scheduled", "reminder"});
  CHECK(texts[1].body ==
        "Hi Jane, a reminder that your appointment is tomorrow at 2:30 PM. See you then! - Acme "
        "HVAC");

  REQUIRE(f.job("j1", domain::reschedule_job{at("2026-12-09T09:00:00-06:00")}));
  CHECK(f.send_reminders(at("2026-12-08T18:30:00-06:00")).reminders == 1);
  CHECK(f.texts_to(jane_phone).back().body.find("9:00 AM") != std::string::npos);
}

TEST_CASE("a trigger by hand goes once; the second time is already_sent", "[dispatch]") {
  dispatch_fixture f(at("2026-12-07T10:00:00-06:00"));
  book(f, false);
  REQUIRE(f.job("j1", domain::trigger_notification{"reminder"}));
  auto again = f.job("j1", domain::trigger_notification{"reminder"});
  REQUIRE_FALSE(again);
  CHECK(again.error().reason == "already_sent");
  auto bad = f.job("j1", domain::trigger_notification{"oops"});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().reason == "unknown_trigger");
  CHECK(triggers_of(f.texts_to(jane_phone)) == std::vector<std::string>{"reminder"});
}

TEST_CASE("a text queued before a crash is not queued twice when the job recovers", "[dispatch]") {
  dispatch_fixture f(at("2026-12-07T10:00:00-06:00"));
  book(f, false);
  // The state a crash leaves between queueing the text and recording it:
  // the trigger pending on the job, the text in the conversation under the
  // notification's external id.
  auto scheduled_at = to_micros(at("2026-12-08T14:30:00-06:00"));
  events::notification_triggered fired;
  fired.job_id = "j1";
  fired.trigger = "scheduled";
  fired.scheduled_at_us = scheduled_at;
  storage::append_request job;
  job.tenant = fl::testing::dispatch_tenant;
  job.stream = job_stream;
  job.events = {events::job_assigned{"t1"}, fired};
  REQUIRE(f.store->append(job));
  REQUIRE(f.conversations);
  domain::send_sms text;
  text.body = "Hi Jane";
  text.trigger = "scheduled";
  text.external_id = "notif:j1:scheduled:" + std::to_string(scheduled_at);
  std::promise<actors::command_result> queued;
  f.conversations->submit(actors::conversation_key(job.tenant, jane_phone), text,
                          [&](actors::command_result r) { queued.set_value(std::move(r)); });
  REQUIRE(queued.get_future().get());

  f.restart();
  f.dispatch->resume_jobs({{fl::testing::dispatch_tenant, "j1", from_micros(scheduled_at)}});
  // The job records the text as queued without queueing another.
  for (int i = 0; i < 200 && count_of<events::notification_queued>(f.stream(job_stream)) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(count_of<events::notification_queued>(f.stream(job_stream)) == 1);
  CHECK(f.texts_to(jane_phone).size() == 1);
}

namespace {

// Sends a batch without waiting for the answer.
std::future<actors::location_batch_result> send_batch(dispatch_fixture& f, const std::string& id,
                                                      std::vector<domain::record_location> fixes) {
  auto p = std::make_shared<std::promise<actors::location_batch_result>>();
  auto answer = p->get_future();
  f.dispatch->technician_locations(
      fl::testing::dispatch_tenant, id, std::move(fixes),
      [p](actors::location_batch_result r) { p->set_value(std::move(r)); });
  return answer;
}

actors::location_batch_result answer_of(std::future<actors::location_batch_result>& f) {
  REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  return f.get();
}

// The technician's stream as "fix <seconds after start>" and "status <status>".
std::vector<std::string> fixes_and_statuses(const dispatch_fixture& f, fl::timestamp start) {
  std::vector<std::string> out;
  for (const auto& e : f.stream(domain::technician_stream(fl::testing::dispatch_tenant, "t1"))) {
    if (const auto* fix = std::get_if<events::technician_located>(&e))
      out.push_back("fix " + std::to_string((fix->recorded_at_us - to_micros(start)) / 1'000'000));
    else if (const auto* changed = std::get_if<events::technician_status_changed>(&e))
      out.push_back("status " + changed->status);
  }
  return out;
}

}  // namespace

TEST_CASE("batches of a technician sent back to back are recorded and told in the order sent",
          "[dispatch]") {
  const auto start = at("2026-12-08T14:00:00-06:00");
  dispatch_fixture f(at("2026-12-08T13:50:00-06:00"));
  book(f);
  REQUIRE(f.technician("t1", domain::record_location{far_lat, far_lon, start, 10.0}));
  REQUIRE(f.technician("t1", domain::change_technician_status{"enroute", "j1"}));
  f.clock.set(start + std::chrono::minutes(20));
  // Eight batches of three fixes, driving south towards the job; the last
  // one inside the geofence. None waits for the one before.
  std::vector<std::future<actors::location_batch_result>> sent;
  std::vector<std::string> expected{"fix 0", "status enroute"};
  for (int b = 0; b < 8; ++b) {
    std::vector<domain::record_location> fixes;
    for (int i = 1; i <= 3; ++i) {
      int n = b * 3 + i;  // 1..24
      double lat = n == 24 ? job_lat + 0.0001 : far_lat - (far_lat - job_lat) * n / 30.0;
      fixes.push_back({lat, job_lon, start + std::chrono::seconds(10 * n), 12.0});
      expected.push_back("fix " + std::to_string(10 * n));
    }
    sent.push_back(send_batch(f, "t1", std::move(fixes)));
  }
  expected.push_back("status on_site");
  for (auto& answer : sent) {
    auto r = answer_of(answer);
    REQUIRE(r);
    for (const auto& failure : r->failures) CHECK_FALSE(failure);
  }
  CHECK(fixes_and_statuses(f, start) == expected);
  // The job heard the fixes in order: 15 minutes away once, then arrived.
  CHECK(triggers_of(f.texts_to(jane_phone)) ==
        std::vector<std::string>{"scheduled", "enroute", "15_min", "arrived"});
}

TEST_CASE("a status sent between two batches is recorded after the first and before the second",
          "[dispatch]") {
  const auto start = at("2026-12-08T14:00:00-06:00");
  dispatch_fixture f(at("2026-12-08T13:50:00-06:00"));
  book(f);
  REQUIRE(f.technician("t1", domain::record_location{far_lat, far_lon, start, 10.0}));
  f.clock.set(start + std::chrono::minutes(20));
  auto fix = [&](int second) {
    return domain::record_location{far_lat - 0.001 * second / 10, far_lon,
                                   start + std::chrono::seconds(second), 12.0};
  };
  auto first = send_batch(f, "t1", {fix(10), fix(20)});
  std::promise<actors::dispatch_result<domain::technician_state>> status_answer;
  auto status = status_answer.get_future();
  f.dispatch->technician(fl::testing::dispatch_tenant, "t1",
                         domain::change_technician_status{"enroute", "j1"},
                         [&status_answer](actors::dispatch_result<domain::technician_state> r) {
                           status_answer.set_value(std::move(r));
                         });
  auto second = send_batch(f, "t1", {fix(30), fix(40)});
  auto third = send_batch(f, "t1", {fix(50)});
  REQUIRE(answer_of(first));
  REQUIRE(fl::testing::wait_for(status));
  REQUIRE(answer_of(second));
  REQUIRE(answer_of(third));
  CHECK(fixes_and_statuses(f, start) == std::vector<std::string>{"fix 0", "fix 10", "fix 20",
                                                                 "status enroute", "fix 30",
                                                                 "fix 40", "fix 50"});
}
