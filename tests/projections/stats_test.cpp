// The stats projection: counters per tenant-local day and month, each final
// outcome counted once, and the opted-out count.

#include <catch2/catch.hpp>

#include "base/timestamp.hpp"
#include "tests/projections/log_builder.hpp"
#include "tests/projections/read_side_fixture.hpp"

using namespace fl;

namespace {

const std::string t1 = "tn_a", t2 = "tn_b";
const std::string alice = "+15125550001", bob = "+15125550002";

timestamp at(const char* rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  REQUIRE(t);
  return *t;
}

struct stats_side {
  testing::settable_clock clock;
  testing::read_side side{[this] {
    storage::store_options o;
    o.clock = clock.fn();
    return o;
  }()};
  testing::log_builder log{side.store()};
  int n = 0;

  void received_at(const std::string& tenant, const char* when) {
    clock.set(at(when));
    log.inbound(tenant, alice, "SMin" + std::to_string(n++));
  }
  void sent_at(const std::string& tenant, const char* when) {
    clock.set(at(when));
    std::string id = "msg_" + std::to_string(n++);
    log.queued(tenant, bob, id);
    log.sent(tenant, bob, id, "SM" + id);
  }
  projections::stats_view stats(const std::string& tenant, const char* day) {
    side.catch_up();
    return side.reads().stats(tenant, day);
  }
};

}  // namespace

TEST_CASE("texts count on the tenant's local day, not the UTC day", "[projections][stats]") {
  stats_side s;
  s.clock.set(at("2026-11-01T00:00:00Z"));
  s.log.tenant(t1, "America/Chicago");
  // Chicago is UTC-6 in November: local midnight is 06:00Z.
  // (The log's times only move forward, so the events come in time order.)
  s.sent_at(t1, "2026-11-24T03:00:00Z");      // Nov 23, 21:00 local
  s.received_at(t1, "2026-11-24T05:59:00Z");  // Nov 23, 23:59 local
  s.received_at(t1, "2026-11-24T06:01:00Z");  // Nov 24, 00:01 local
  auto nov23 = s.stats(t1, "2026-11-23");
  CHECK(nov23.today.received == 1);
  CHECK(nov23.today.sent == 1);
  auto nov24 = s.stats(t1, "2026-11-24");
  CHECK(nov24.today.received == 1);
  CHECK(nov24.today.sent == 0);
  CHECK(nov24.this_month.received == 2);
  CHECK(nov24.this_month.sent == 1);
}

TEST_CASE("local days stay right across the spring and autumn clock changes",
          "[projections][stats]") {
  stats_side s;
  s.clock.set(at("2026-01-01T00:00:00Z"));
  s.log.tenant(t1, "America/Chicago");
  // 2026-03-08: clocks go forward at 02:00; from then Chicago is UTC-5, so
  // the next local midnight is at 05:00Z, not 06:00Z.
  s.received_at(t1, "2026-03-09T04:30:00Z");  // Mar 8, 23:30 CDT
  s.received_at(t1, "2026-03-09T05:30:00Z");  // Mar 9, 00:30 CDT (a fixed -6 would say Mar 8)
  // 2026-11-01: clocks go back at 02:00; Nov 1 lasts 25 hours, until 06:00Z Nov 2.
  s.received_at(t1, "2026-11-01T06:30:00Z");  // Nov 1, 01:30 CDT (the first one)
  s.received_at(t1, "2026-11-01T07:30:00Z");  // Nov 1, 01:30 CST (the second one)
  s.received_at(t1, "2026-11-02T05:30:00Z");  // Nov 1, 23:30 CST
  CHECK(s.stats(t1, "2026-03-08").today.received == 1);
  CHECK(s.stats(t1, "2026-03-09").today.received == 1);
  CHECK(s.stats(t1, "2026-11-01").today.received == 3);
  CHECK(s.stats(t1, "2026-11-02").today.received == 0);
  CHECK(s.stats(t1, "2026-10-31").this_month.received == 0);
  CHECK(s.stats(t1, "2026-03-31").this_month.received == 2);
}

TEST_CASE("each tenant's stats use that tenant's own time zone", "[projections][stats]") {
  stats_side s;
  s.clock.set(at("2026-11-01T00:00:00Z"));
  s.log.tenant(t1, "America/Chicago");
  s.log.tenant(t2, "Asia/Tokyo");
  s.received_at(t1, "2026-11-23T20:00:00Z");  // Chicago: Nov 23, 14:00
  s.received_at(t2, "2026-11-23T20:00:00Z");  // Tokyo: Nov 24, 05:00
  CHECK(s.stats(t1, "2026-11-23").today.received == 1);
  CHECK(s.stats(t2, "2026-11-23").today.received == 0);
  CHECK(s.stats(t2, "2026-11-24").today.received == 1);
}

TEST_CASE("a message's final status is counted once however often it is reported",
          "[projections][stats]") {
  stats_side s;
  s.clock.set(at("2026-11-23T12:00:00Z"));
  s.log.tenant(t1, "UTC");
  s.log.queued(t1, bob, "msg_1");
  s.log.sent(t1, bob, "msg_1", "SM1");
  s.log.status(t1, bob, "SM1", "delivered");
  s.log.status(t1, bob, "SM1", "delivered");
  s.log.status(t1, bob, "SM1", "undelivered");
  s.log.queued(t1, bob, "msg_2");
  s.log.sent(t1, bob, "msg_2", "SM2");
  s.log.status(t1, bob, "SM2", "failed", 30006);
  s.log.status(t1, bob, "SM2", "failed", 30006);
  s.log.queued(t1, bob, "msg_3");
  s.log.append(t1, testing::log_builder::stream(t1, bob),
               events::sms_failed{"msg_3", std::nullopt, "retries exhausted", false});
  s.log.queued(t1, bob, "msg_4");
  s.log.sent(t1, bob, "msg_4", "SM4");  // still on its way
  auto st = s.stats(t1, "2026-11-23");
  CHECK(st.today.sent == 3);
  CHECK(st.today.delivered == 1);
  CHECK(st.today.failed == 2);
  CHECK(st.this_month.delivered == 1);
  CHECK(st.this_month.failed == 2);
}

TEST_CASE("the opted-out count follows opt-outs and opt-ins, each number once",
          "[projections][stats]") {
  stats_side s;
  s.log.tenant(t1, "UTC");
  auto out = [&](const std::string& phone) {
    s.log.append(t1, testing::log_builder::stream(t1, phone),
                 events::opted_out{phone, "keyword", "STOP"});
  };
  auto in = [&](const std::string& phone) {
    s.log.append(t1, testing::log_builder::stream(t1, phone), events::opted_in{phone, "START"});
  };
  out(alice);
  out(alice);  // a carrier refusal after the keyword
  out(bob);
  CHECK(s.stats(t1, "2026-11-23").opted_out == 2);
  in(alice);
  in(alice);
  CHECK(s.stats(t1, "2026-11-23").opted_out == 1);
  CHECK(s.stats(t2, "2026-11-23").opted_out == 0);
}
