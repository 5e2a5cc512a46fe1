#pragma once

// Writes chosen events to a conversation's stream at chosen times, for the
// projection tests that need exact data rather than random traffic.

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "storage/event_store.hpp"

namespace fl::testing {

/// A clock the test sets; the store stamps `recorded_at` with it.
struct settable_clock {
  std::shared_ptr<fl::timestamp> now =
      std::make_shared<fl::timestamp>(from_micros(1'795'000'000'000'000));
  fl::clock_fn fn() const {
    return [now = now] { return *now; };
  }
  void set(fl::timestamp t) { *now = t; }
  void advance(std::chrono::microseconds d) { *now += d; }
};

class log_builder {
 public:
  explicit log_builder(storage::event_store& store) : store_(store) {}

  std::uint64_t tenant(const std::string& id, const std::string& zone) {
    events::tenant_created t;
    t.tenant_id = id;
    t.name = id;
    t.timezone = zone;
    t.region = "US";
    t.numbers = {{"+15005550006", 1}};
    t.api_token_sha256 = std::string(64, '0');
    return append(id, "tenants", t);
  }

  std::uint64_t append(const std::string& tenant, const std::string& stream, events::event e) {
    auto r = store_.append(
        {tenant, stream, storage::expected_version::any(), {std::move(e)}, std::nullopt});
    REQUIRE(r);
    return r->last_position;
  }

  static std::string stream(const std::string& tenant, const std::string& phone) {
    return "conversation:" + tenant + ":" + phone;
  }

  std::uint64_t inbound(const std::string& tenant, const std::string& phone, const std::string& sid,
                        const std::string& body = "hi") {
    events::sms_received r;
    r.message_sid = sid;
    r.account_sid = "AC1";
    r.from = phone;
    r.to = "+15005550006";
    r.body = body;
    return append(tenant, stream(tenant, phone), r);
  }

  std::uint64_t queued(const std::string& tenant, const std::string& phone, const std::string& id,
                       const std::string& body = "on our way",
                       const std::string& trigger = "manual") {
    events::sms_queued q;
    q.message_id = id;
    q.from = "+15005550006";
    q.to = phone;
    q.body = body;
    q.trigger = trigger;
    q.segments = 1;
    q.encoding = "gsm7";
    return append(tenant, stream(tenant, phone), q);
  }

  std::uint64_t sent(const std::string& tenant, const std::string& phone, const std::string& id,
                     const std::string& sid) {
    return append(tenant, stream(tenant, phone), events::sms_sent{id, sid});
  }

  std::uint64_t status(const std::string& tenant, const std::string& phone, const std::string& sid,
                       const std::string& status, std::optional<std::int64_t> code = std::nullopt) {
    return append(tenant, stream(tenant, phone), events::sms_status_changed{sid, status, code});
  }

 private:
  storage::event_store& store_;
};

}  // namespace fl::testing
