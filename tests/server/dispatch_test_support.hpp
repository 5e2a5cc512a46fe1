#pragma once

// What the tests of the field-service write routes share: a clock the test
// sets, requests with a tenant's token, and the tenant's events read back
// through the audit log (to see that a refused request recorded nothing).

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "tests/server/sms_config_test_support.hpp"

namespace fl::testing {

/// A clock the test moves: it reads the time last `set`, plus the real time
/// since, so the server's own waits (the outbox's rate slots) still end.
class sim_clock {
 public:
  explicit sim_clock(fl::timestamp start) { set(start); }
  void set(fl::timestamp t) {
    std::lock_guard lock(mutex_);
    base_ = t;
    since_ = std::chrono::steady_clock::now();
  }
  fl::timestamp now() const {
    std::lock_guard lock(mutex_);
    return base_ + std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - since_);
  }
  /// For assembly_options: the clock must outlive the server.
  fl::clock_fn fn() const {
    return [this] { return now(); };
  }

 private:
  mutable std::mutex mutex_;
  fl::timestamp base_;
  std::chrono::steady_clock::time_point since_;
};

/// An RFC 3339 time as a test writes it; fails the test if malformed.
inline fl::timestamp at(const std::string& rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  REQUIRE(t);
  return *t;
}

/// Options for dispatch tests: no built-in reminder sweep (a test runs it
/// by hand), and the clock given.
inline app::assembly_options dispatch_options(const sim_clock* clock = nullptr) {
  app::assembly_options o;
  o.dispatch.sweep_every = std::chrono::milliseconds(0);
  if (clock) o.runtime.clock = clock->fn();
  return o;
}

/// Requests of one tenant to its server.
struct tenant_client {
  running_server& s;
  test_tenant t;

  http_response post(const std::string& path, const nlohmann::json& body) const {
    return send_json(s, "POST", path, body.dump(), t.api_token);
  }
  http_response put(const std::string& path, const nlohmann::json& body) const {
    return send_json(s, "PUT", path, body.dump(), t.api_token);
  }
  http_response send(const std::string& method, const std::string& path,
                     const std::string& raw_body) const {
    return send_json(s, method, path, raw_body, t.api_token);
  }
  nlohmann::json get(const std::string& path) const {
    return expect_json(s.get(path, t.api_token), 200);
  }
};

/// The tenant's events as "stream type", in log order, read through
/// `GET /api/v1/audit/log`. The outcomes of sending (`sms_sent`,
/// `sms_status_changed`) come on the outbox's own time and are left out.
inline std::vector<std::string> recorded(const tenant_client& c) {
  std::vector<std::string> out;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    auto path = "/api/v1/audit/log?limit=500" + (cursor.empty() ? "" : "&cursor=" + cursor);
    auto j = c.get(path);
    for (const auto& e : j["items"]) {
      std::string type = e["type"];
      if (type == "sms_sent" || type == "sms_status_changed") continue;
      out.push_back(e["stream"].get<std::string>() + " " + type);
    }
    if (j["next_cursor"].is_null()) return out;
    cursor = j["next_cursor"];
  }
  FAIL("the audit log does not end");
  return out;
}

/// The types of one stream's events, in order.
inline std::vector<std::string> stream_types(running_server& s, const std::string& stream) {
  auto r = s.app().store().read_stream(stream);
  REQUIRE(r);
  return type_names(*r);
}

inline std::size_t count(const std::vector<std::string>& v, const std::string& x) {
  return static_cast<std::size_t>(std::count(v.begin(), v.end(), x));
}

/// The body of the texts queued for a customer, oldest first, read through
/// `GET /api/v1/sms/messages?customer_id=` once the read side has `position`.
inline std::vector<std::string> texts_of(const tenant_client& c, const std::string& customer_id,
                                         std::uint64_t position) {
  auto j = c.get("/api/v1/sms/messages?limit=500&customer_id=" + customer_id +
                 "&min_position=" + std::to_string(position));
  std::vector<std::string> out;
  for (const auto& m : j["items"])
    if (m["direction"] == "outbound") out.push_back(m["body"]);
  // The list is newest first.
  std::reverse(out.begin(), out.end());
  return out;
}

/// A customer's JSON for POST /customers.
inline nlohmann::json customer_body(const std::string& id, const std::string& first_name,
                                    const std::string& phone) {
  return {{"id", id},
          {"first_name", first_name},
          {"last_name", "Doe"},
          {"phone", phone},
          {"address", "1 Main St, Chicago"}};
}

inline nlohmann::json technician_body(const std::string& id, const std::string& first_name,
                                      const std::string& phone) {
  return {{"id", id}, {"first_name", first_name}, {"last_name", "Ross"}, {"phone", phone}};
}

// Downtown Chicago, and a place ~10 km north of it.
inline constexpr double job_lat = 41.8781, job_lon = -87.6298;
inline constexpr double far_lat = 41.9681, far_lon = -87.6298;

inline nlohmann::json job_body(const std::string& id, const std::string& customer_id,
                               const std::string& scheduled_at) {
  return {{"id", id},
          {"customer_id", customer_id},
          {"address", "1 Main St, Chicago"},
          {"lat", job_lat},
          {"lon", job_lon},
          {"scheduled_at", scheduled_at},
          {"invoice_link", "https://pay.example/inv/" + id}};
}

/// The answer's `position`, after checking its status.
inline std::uint64_t position_of(const http_response& r, long status) {
  return expect_json(r, status).at("position").get<std::uint64_t>();
}

}  // namespace fl::testing
