// A full day of a small field-service company, end to end through HTTP with
// the fake Twilio (issue #5): a tenant in America/Chicago on the weekend
// clocks spring forward (Sunday 2026-03-08, 2 AM CST → 3 AM CDT), two
// technicians, five customers, six jobs, quiet hours 21:00–08:00.
//
// Saturday evening the reminder sweep texts Sunday's appointments (in CDT,
// though the sweep runs in CST); one job is then moved to Monday and one
// cancelled. Sunday the jobs are assigned (one text held by quiet hours and
// released at 8 AM CDT), the technicians drive (ETA, 15-minute and arrival
// texts from the location stream, each once however often the fixes
// repeat), one arrives by hand, jobs complete with their invoice links, one
// customer texts STOP and hears nothing more, and Sunday evening's sweep
// reminds the moved job once more. Every text Twilio received is checked,
// in order, per customer.

#include <map>

#include "domain/dispatch_streams.hpp"
#include "domain/local_calendar.hpp"
#include "tests/server/dispatch_test_support.hpp"
#include "tests/support/fake_twilio.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

struct person {
  std::string id, first_name, phone;
};

const person jane{"c_jane", "Jane", "+13125550101"};
const person bob{"c_bob", "Bob", "+13125550102"};
const person carla{"c_carla", "Carla", "+13125550103"};
const person dan{"c_dan", "Dan", "+13125550104"};
const person eve{"c_eve", "Eve", "+13125550105"};

// Where each job is.
struct place {
  double lat, lon;
};
const place jane_home{41.8781, -87.6298};
const place bob_home{41.8500, -87.6500};
const place carla_home{41.9000, -87.7000};
const place dan_home{41.8000, -87.6000};
const place eve_home{41.8600, -87.6200};

std::function<void(app::config&)> twilio_at(const fake_twilio& fake) {
  return [url = fake.base_url()](app::config& c) {
    c.sms_transport = "twilio";
    c.twilio_api_base = url;
  };
}

json job(const std::string& id, const person& who, const place& where, const std::string& when) {
  return {{"id", id},
          {"customer_id", who.id},
          {"address", who.first_name + "'s place"},
          {"lat", where.lat},
          {"lon", where.lon},
          {"scheduled_at", when},
          {"invoice_link", "https://pay.example/inv/" + id}};
}

std::string fix_line(const std::string& tech, double lat, double lon, const std::string& when,
                     double speed = 10.0) {
  return json{{"technician_id", tech},
              {"lat", lat},
              {"lon", lon},
              {"recorded_at", when},
              {"speed_mps", speed}}
      .dump();
}

std::string reminder(const person& p, const std::string& time) {
  return "Hi " + p.first_name + ", a reminder that your appointment is tomorrow at " + time +
         ". See you then! - Acme HVAC";
}
std::string scheduled(const person& p, const std::string& date, const std::string& time) {
  return "Hi " + p.first_name + ", Acme HVAC has you scheduled for " + date + " at " + time +
         ". Reply STOP to opt out.";
}
std::string enroute(const person& p, const std::string& tech, int minutes) {
  return "Hi " + p.first_name + ", " + tech + " is on the way and should arrive in about " +
         std::to_string(minutes) + " min.";
}
std::string fifteen(const person& p, const std::string& tech) {
  return "Hi " + p.first_name + ", " + tech + " is about 15 minutes away.";
}
std::string arrived(const person& p, const std::string& tech) {
  return "Hi " + p.first_name + ", " + tech + " has arrived.";
}
std::string complete(const person& p, const std::string& job_id) {
  return "Hi " + p.first_name +
         ", your job with Acme HVAC is complete. Thank you! Your invoice: "
         "https://pay.example/inv/" +
         job_id;
}
// The company's own words (its SMS settings), not the built-in ones.
const std::string opt_out_confirmation =
    "Acme HVAC: no more texts from us. Call 312-555-0100 for help, or reply START.";

struct company_day {
  fake_twilio fake;
  sim_clock clock{at("2026-03-07T15:00:00-06:00")};
  running_server s{twilio_at(fake), dispatch_options(&clock)};
  // 100 texts a second: the day's bursts (the evening sweep) go at once.
  tenant_client c{s, s.create_tenant("+15005550006", {{"max_per_second", 100}})};
  std::size_t texts = 0;

  void now(const std::string& t) { clock.set(at(t)); }

  /// Waits until Twilio has received `more` more texts, and no more.
  void twilio_receives(std::size_t more) {
    texts += more;
    REQUIRE(eventually([&] { return fake.messages().size() >= texts; }));
    CHECK(fake.messages().size() == texts);
  }

  json post(const std::string& path, const json& body, long status = 200) {
    return expect_json(c.post(path, body), status);
  }
  json status(const std::string& tech, const std::string& status, const std::string& job_id) {
    return post("/api/v1/technicians/" + tech + "/status",
                {{"status", status}, {"job_id", job_id}});
  }
  json sweep(const std::string& as_of) {
    return post("/api/v1/sms/send-reminders", {{"as_of", as_of}});
  }
  json locations(const std::vector<std::string>& lines) {
    std::string body;
    for (const auto& l : lines) body += l + "\n";
    return expect_json(c.send("POST", "/api/v1/locations", body), 200);
  }

  std::vector<std::string> texts_to(const person& p) const {
    std::vector<std::string> out;
    for (const auto& m : fake.messages())
      if (m.to == p.phone) out.push_back(m.body);
    return out;
  }
  std::vector<events::recorded_event> job_stream(const std::string& id) {
    auto r = s.app().store().read_stream(domain::job_stream(c.t.id, id));
    REQUIRE(r);
    return *r;
  }
};

}  // namespace

TEST_CASE("a full day of a small company, end to end through HTTP and Twilio",
          "[full_day][dispatch_http]") {
  company_day d;
  auto& c = d.c;

  // ---- Saturday 3 PM CST: the office books Sunday. -----------------------
  REQUIRE(c.put("/api/v1/sms/settings", {{"quiet_hours_start", "21:00"},
                                         {"quiet_hours_end", "08:00"},
                                         {"opt_out_message", opt_out_confirmation}})
              .status == 200);
  for (const auto* p : {&jane, &bob, &carla, &dan, &eve})
    d.post("/api/v1/customers", customer_body(p->id, p->first_name, p->phone), 201);
  d.post("/api/v1/technicians", technician_body("t_mike", "Mike", "+13125550190"), 201);
  d.post("/api/v1/technicians", technician_body("t_ann", "Ann", "+13125550191"), 201);
  // Sunday's times are CDT (-05:00): the clocks change overnight.
  d.post("/api/v1/jobs", job("j_jane", jane, jane_home, "2026-03-08T09:00:00-05:00"), 201);
  d.post("/api/v1/jobs", job("j_carla", carla, carla_home, "2026-03-08T10:00:00-05:00"), 201);
  d.post("/api/v1/jobs", job("j_bob", bob, bob_home, "2026-03-08T11:00:00-05:00"), 201);
  d.post("/api/v1/jobs", job("j_dan", dan, dan_home, "2026-03-08T13:00:00-05:00"), 201);
  d.post("/api/v1/jobs", job("j_eve", eve, eve_home, "2026-03-08T15:00:00-05:00"), 201);
  CHECK(d.fake.messages().empty());

  // ---- Saturday 6 PM CST: the evening-before sweep. ----------------------
  d.now("2026-03-07T18:00:00-06:00");
  auto sweep = d.sweep("2026-03-07T18:00:00-06:00");
  CHECK(sweep["jobs_checked"] == 5);
  CHECK(sweep["reminders"] == 5);
  d.twilio_receives(5);
  // Run again a few minutes later (a cron retrying): nothing more.
  d.now("2026-03-07T18:05:00-06:00");
  CHECK(d.sweep("2026-03-07T18:05:00-06:00")["reminders"] == 0);

  // 7 PM: Dan moves to Monday 10 AM; 7:30 PM: Eve cancels. Neither is texted.
  d.now("2026-03-07T19:00:00-06:00");
  auto moved = job("j_dan", dan, dan_home, "2026-03-09T10:00:00-05:00");
  moved.erase("id");
  moved.erase("customer_id");
  CHECK(expect_json(c.put("/api/v1/jobs/j_dan", moved), 200)["scheduled_at"] ==
        "2026-03-09T15:00:00.000000+00:00");
  d.now("2026-03-07T19:30:00-06:00");
  CHECK(d.post("/api/v1/jobs/j_eve/cancel", json::object())["status"] == "cancelled");
  // 10 PM, quiet hours: a sweep finds nothing due.
  d.now("2026-03-07T22:00:00-06:00");
  CHECK(d.sweep("2026-03-07T22:00:00-06:00")["reminders"] == 0);

  // ---- Sunday 7:30 AM CDT: dispatch assigns Jane's job, in quiet hours. --
  d.now("2026-03-08T07:30:00-05:00");
  auto assigned = d.post("/api/v1/jobs/j_jane/assign", {{"technician_id", "t_mike"}});
  CHECK(assigned["status"] == "scheduled");
  CHECK(assigned["notifications"].size() == 2);  // reminder, and scheduled (held)
  // Held, not texted: its trigger is recorded, its text is not queued yet.
  auto jane_job = type_names(d.job_stream("j_jane"));
  CHECK(jane_job.back() == "notification_triggered");
  CHECK(texts_of(c, jane.id, assigned["position"]).size() == 1);

  // 8:01 AM CDT (13:01 UTC; it would still be quiet at 8:01 CST): the
  // morning sweep wakes the held text.
  d.now("2026-03-08T08:01:00-05:00");
  CHECK(d.sweep("2026-03-08T08:01:00-05:00")["reminders"] == 0);
  d.twilio_receives(1);
  CHECK(d.texts_to(jane).back() == scheduled(jane, "Sun, Mar 8", "9:00 AM"));

  // 8:05: the rest of the morning's assignments, and a job booked today.
  d.now("2026-03-08T08:05:00-05:00");
  d.post("/api/v1/jobs/j_bob/assign", {{"technician_id", "t_mike"}});
  d.post("/api/v1/jobs/j_carla/assign", {{"technician_id", "t_ann"}});
  d.twilio_receives(2);
  d.now("2026-03-08T08:10:00-05:00");
  auto bob2 = job("j_bob2", bob, bob_home, "2026-03-08T16:00:00-05:00");
  bob2["technician_id"] = "t_ann";
  CHECK(d.post("/api/v1/jobs", bob2, 201)["status"] == "scheduled");
  d.twilio_receives(1);

  // 8:15: Carla texts STOP (signed as Twilio signs it); she is told, once.
  d.now("2026-03-08T08:15:00-05:00");
  REQUIRE(d.s.post_twilio("/sms/webhook",
                          inbound_form(c.t, carla.phone, "STOP", "SM" + std::string(32, 'c')),
                          c.t.auth_token)
              .status == 200);
  d.twilio_receives(1);

  // 8:20: Mike, 10 km north of Jane at 10 m/s, sets off: a 17-minute ETA.
  d.now("2026-03-08T08:20:00-05:00");
  d.post("/api/v1/technicians/t_mike/location",
         {{"lat", jane_home.lat + 0.09},
          {"lon", jane_home.lon},
          {"recorded_at", "2026-03-08T08:20:00-05:00"},
          {"speed_mps", 10.0}},
         201);
  d.status("t_mike", "enroute", "j_jane");
  d.twilio_receives(1);

  // 8:28: the stream brings him within 15 minutes (5 km: 9 min), among Ann's
  // fixes (she is not on her way: nothing) and a line the phone garbled.
  d.now("2026-03-08T08:28:00-05:00");
  auto stream = d.locations({
      fix_line("t_ann", 41.95, -87.70, "2026-03-08T08:27:50-05:00", 0.0),
      fix_line("t_mike", jane_home.lat + 0.045, jane_home.lon, "2026-03-08T08:28:00-05:00"),
      R"({"technician_id":"t_mike","lat":41.9,"lon":)",
      fix_line("t_mike", jane_home.lat + 0.040, jane_home.lon, "2026-03-08T08:28:30-05:00"),
  });
  CHECK(stream["accepted"] == 3);
  CHECK(stream["errors"] ==
        json::array({{{"line", 3}, {"field", ""}, {"message", "not a JSON object"}}}));
  d.twilio_receives(1);

  // 8:37: inside the geofence, fixes repeated, and the batch sent twice.
  d.now("2026-03-08T08:37:00-05:00");
  std::vector<std::string> arriving{
      fix_line("t_mike", jane_home.lat + 0.0009, jane_home.lon, "2026-03-08T08:37:00-05:00"),
      fix_line("t_mike", jane_home.lat + 0.0004, jane_home.lon, "2026-03-08T08:37:30-05:00", 0),
      fix_line("t_mike", jane_home.lat + 0.0004, jane_home.lon, "2026-03-08T08:38:00-05:00", 0),
  };
  CHECK(d.locations(arriving)["accepted"] == 3);
  CHECK(d.locations(arriving)["accepted"] == 3);
  d.twilio_receives(1);

  // Ann drives to Carla, who opted out: no text at all for her visit.
  d.now("2026-03-08T09:30:00-05:00");
  d.status("t_ann", "enroute", "j_carla");

  // 9:40: Mike finishes at Jane's: the invoice link.
  d.now("2026-03-08T09:40:00-05:00");
  d.status("t_mike", "complete", "j_jane");
  d.twilio_receives(1);
  d.post("/api/v1/technicians/t_mike/status", {{"status", "available"}});
  d.now("2026-03-08T09:55:00-05:00");
  d.status("t_ann", "on_site", "j_carla");

  // 10:20: Mike, 10 km from Bob, sets off; 10:50 he says he is there; 11:45 done.
  d.now("2026-03-08T10:20:00-05:00");
  d.post("/api/v1/technicians/t_mike/location",
         {{"lat", bob_home.lat + 0.09},
          {"lon", bob_home.lon},
          {"recorded_at", "2026-03-08T10:20:00-05:00"},
          {"speed_mps", 10.0}},
         201);
  d.status("t_mike", "enroute", "j_bob");
  d.twilio_receives(1);
  d.now("2026-03-08T10:50:00-05:00");
  d.status("t_mike", "on_site", "j_bob");
  d.twilio_receives(1);
  d.status("t_mike", "on_site", "j_bob");  // tapped twice
  d.now("2026-03-08T11:45:00-05:00");
  d.status("t_mike", "complete", "j_bob");
  d.twilio_receives(1);
  d.now("2026-03-08T11:50:00-05:00");
  d.status("t_ann", "complete", "j_carla");

  // By hand: nothing goes twice, to an opted-out customer, or for a
  // cancelled job.
  CHECK(expect_error(c.post("/api/v1/sms/trigger/scheduled", {{"job_id", "j_jane"}}),
                     409)["code"] == "already_sent");
  CHECK(expect_error(c.post("/api/v1/sms/trigger/complete", {{"job_id", "j_carla"}}),
                     409)["code"] == "opted_out");
  CHECK(expect_error(c.post("/api/v1/sms/trigger/reminder", {{"job_id", "j_eve"}}), 409)["code"] ==
        "job_closed");

  // ---- Sunday 6 PM CDT: the sweep reminds Dan of Monday, once. -----------
  d.now("2026-03-08T18:00:00-05:00");
  sweep = d.sweep("2026-03-08T18:00:00-05:00");
  CHECK(sweep["jobs_checked"] == 1);
  CHECK(sweep["reminders"] == 1);
  d.twilio_receives(1);
  d.now("2026-03-08T18:01:00-05:00");
  CHECK(d.sweep("2026-03-08T18:01:00-05:00")["reminders"] == 0);

  // ---- What each customer received, in order. ---------------------------
  CHECK(d.texts_to(jane) == std::vector<std::string>{
                                reminder(jane, "9:00 AM"),
                                scheduled(jane, "Sun, Mar 8", "9:00 AM"),
                                enroute(jane, "Mike", 17),
                                fifteen(jane, "Mike"),
                                arrived(jane, "Mike"),
                                complete(jane, "j_jane"),
                            });
  CHECK(d.texts_to(bob) == std::vector<std::string>{
                               reminder(bob, "11:00 AM"),
                               scheduled(bob, "Sun, Mar 8", "11:00 AM"),
                               scheduled(bob, "Sun, Mar 8", "4:00 PM"),
                               enroute(bob, "Mike", 17),
                               arrived(bob, "Mike"),
                               complete(bob, "j_bob"),
                           });
  CHECK(d.texts_to(carla) == std::vector<std::string>{
                                 reminder(carla, "10:00 AM"),
                                 scheduled(carla, "Sun, Mar 8", "10:00 AM"),
                                 opt_out_confirmation,
                             });
  CHECK(d.texts_to(dan) ==
        std::vector<std::string>{reminder(dan, "1:00 PM"), reminder(dan, "10:00 AM")});
  CHECK(d.texts_to(eve) == std::vector<std::string>{reminder(eve, "3:00 PM")});
  for (const auto& m : d.fake.messages()) CHECK(m.from == c.t.number);

  // Each trigger fired at most once per job (the reminder once per time),
  // and every one that fired was queued or skipped, none left pending.
  for (const char* id : {"j_jane", "j_bob", "j_carla", "j_dan", "j_eve", "j_bob2"}) {
    INFO(id);
    std::map<std::string, int> fired;
    std::size_t triggered = 0, settled = 0;
    for (const auto& e : d.job_stream(id)) {
      if (const auto* t = std::get_if<events::notification_triggered>(&e.data)) {
        ++triggered;
        CHECK(++fired[t->trigger + "@" + std::to_string(t->scheduled_at_us)] == 1);
      }
      settled += std::holds_alternative<events::notification_queued>(e.data) ||
                 std::holds_alternative<events::notification_skipped>(e.data);
    }
    CHECK(triggered == settled);
  }

  // What the read side says: Carla's conversation, and the day's stats.
  auto position = d.s.app().store().last_position();
  auto conv =
      c.get("/api/v1/sms/conversations/cv_13125550103?min_position=" + std::to_string(position));
  std::vector<std::string> seen;
  for (const auto& m : conv["messages"])
    seen.push_back(m["direction"].get<std::string>() + ": " + m["body"].get<std::string>());
  CHECK(seen == std::vector<std::string>{
                    "outbound: " + reminder(carla, "10:00 AM"),
                    "outbound: " + scheduled(carla, "Sun, Mar 8", "10:00 AM"),
                    "inbound: STOP",
                    "outbound: " + opt_out_confirmation,
                });
  auto jane_texts = texts_of(c, jane.id, position);
  CHECK(jane_texts == d.texts_to(jane));

  // Twilio reports back: all delivered but Eve's, which fails.
  for (const auto& m : d.fake.messages())
    REQUIRE(d.s.post_twilio(
                   "/sms/status",
                   status_form(c.t, m.to, m.sid, m.to == eve.phone ? "undelivered" : "delivered",
                               m.to == eve.phone ? "30003" : ""),
                   c.t.auth_token)
                .status == 204);
  // The log's own clock is the real one: the stats of its day.
  auto today = domain::local_date_of(fl::system_now(), domain::find_time_zone("America/Chicago"));
  json stats;
  REQUIRE(eventually([&] {
    stats = c.get("/api/v1/sms/stats?date=" + today.day +
                  "&min_position=" + std::to_string(d.s.app().store().last_position()));
    return stats["delivered"] == 17 && stats["failed"] == 1;
  }));
  CHECK(stats["sent_today"] == 18);
  CHECK(stats["sent_month"] == 18);
  CHECK(stats["received_today"] == 1);
  CHECK(stats["opted_out"] == 1);
  CHECK(stats["delivery_rate"].get<double>() == Approx(17.0 / 18.0));
}
