#pragma once

// Shared by the customer, technician and job tests: one tenant in Chicago, one
// job in Austin with its customer and technician, and a small driver that runs
// commands through decide and evolve the way the actors will (the technician's
// events first, then what they tell the job).

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/customer.hpp"
#include "domain/job.hpp"
#include "domain/local_calendar.hpp"
#include "domain/technician.hpp"

namespace fl::testing::dispatch {

using namespace fl::domain;
using namespace std::chrono_literals;

inline timestamp at(std::string_view rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  REQUIRE(t);
  return *t;
}

inline const date::time_zone* chicago() {
  auto* z = find_time_zone("America/Chicago");
  REQUIRE(z);
  return z;
}

// The job's place, and points at a distance north of it (0.009° of latitude is
// about 1 km).
inline constexpr geo_point job_place{30.2672, -97.7431};
inline geo_point km_north(double km) {
  return {job_place.lat + 0.009 * km, job_place.lon};
}

template <class T>
const T& as(const events::event& e) {
  REQUIRE(std::holds_alternative<T>(e));
  return std::get<T>(e);
}

// The triggers the events fire, by wire name, in order.
inline std::vector<std::string> triggers_in(const std::vector<events::event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    if (const auto* t = std::get_if<events::notification_triggered>(&e)) out.push_back(t->trigger);
  return out;
}

// A copy: callers pass the events of a command straight in, a temporary.
inline events::notification_triggered only_trigger(const std::vector<events::event>& evs) {
  const events::notification_triggered* found = nullptr;
  for (const auto& e : evs)
    if (const auto* t = std::get_if<events::notification_triggered>(&e)) {
      REQUIRE(found == nullptr);
      found = t;
    }
  REQUIRE(found != nullptr);
  return *found;
}

// A tenant with job_1 for cus_1 at job_place on 2026-11-24 at 2:30 PM Chicago
// time, and tech_1 registered; "now" is the morning before.
struct world {
  job_state job;
  technician_state tech;
  notification_context ctx;
  std::vector<events::event> job_log;  // the job's stream, in order
  std::vector<events::event> tech_log;

  world() {
    ctx.now = at("2026-11-23T10:00:00-06:00");
    ctx.zone = chicago();
    ctx.settings = default_sms_settings("Acme HVAC");
    run_tech(register_technician{"tech_1", {"Mike", "Alvarez", "(555) 765-4322", ""}});
    create_job c;
    c.id = "job_1";
    c.customer_id = "cus_1";
    c.address = "1200 Elm St, Austin, TX";
    c.lat = job_place.lat;
    c.lon = job_place.lon;
    c.scheduled_at = at("2026-11-24T14:30:00-06:00");
    run_job(c);
  }

  // Decides `cmd` for the job, requires success, evolves and logs the events.
  std::vector<events::event> run_job(const job_command& cmd) {
    ctx.technician = &tech;
    auto decided = decide(job, cmd, ctx);
    if (!decided) FAIL("job refused: " << decided.error().message);
    for (const auto& e : *decided) {
      evolve(job, e);
      job_log.push_back(e);
    }
    return *decided;
  }

  job_errc job_error_of(const job_command& cmd) {
    ctx.technician = &tech;
    auto decided = decide(job, cmd, ctx);
    REQUIRE_FALSE(decided);
    CHECK_FALSE(decided.error().message.empty());
    return decided.error().code;
  }

  technician_context tech_context() const {
    technician_context t;
    t.now = ctx.now;
    t.destination = job.location;
    t.geofence_radius_m = ctx.settings.geofence_radius_m;
    return t;
  }

  std::vector<events::event> run_tech(const technician_command& cmd) {
    auto decided = decide(tech, cmd, tech_context());
    if (!decided) FAIL("technician refused: " << decided.error().message);
    for (const auto& e : *decided) {
      evolve(tech, e);
      tech_log.push_back(e);
    }
    return *decided;
  }

  void assign() { run_job(assign_job{"tech_1"}); }

  // The technician reports `status` for the job; answers the job's events.
  std::vector<events::event> status(const char* status) {
    auto tech_events = run_tech(change_technician_status{status, std::string("job_1")});
    if (tech_events.empty()) return {};
    return run_job(follow_technician_status{"tech_1", *parse_technician_status(status)});
  }

  // The technician reports a fix at `where`, `after` the current now (which
  // moves on by that much); answers the job's events, the geofence's status
  // change included.
  std::vector<events::event> fix(geo_point where, std::chrono::seconds after = 60s,
                                 std::optional<double> speed = std::nullopt) {
    ctx.now += after;
    const technician_state before = tech;
    auto tech_events = run_tech(record_location{where.lat, where.lon, ctx.now, speed});
    // As the actor does: only a fix that moves the technician goes to the job.
    if (!moves_technician(before, as<events::technician_located>(tech_events.front()))) return {};
    auto out = run_job(follow_technician_location{"tech_1"});
    for (const auto& e : tech_events)
      if (const auto* s = std::get_if<events::technician_status_changed>(&e)) {
        auto more =
            run_job(follow_technician_status{"tech_1", *parse_technician_status(s->status)});
        out.insert(out.end(), more.begin(), more.end());
      }
    return out;
  }
};

}  // namespace fl::testing::dispatch
