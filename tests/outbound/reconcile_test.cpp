// pick_sent: which listed message, if any, a send created.

#include "outbound/reconcile.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <vector>

#include "base/timestamp.hpp"

using fl::outbound::pick_sent;
using fl::outbound::send_request;
using fl::twilio::found_message;
using namespace std::chrono_literals;

namespace {

const fl::timestamp queued = *fl::parse_rfc3339("2026-11-23T18:00:00Z");

send_request request() {
  send_request r;
  r.from = "+15005550006";
  r.to = "+15558675310";
  r.body = "On our way!";
  r.queued_at = queued;
  return r;
}

found_message listed(std::string sid, std::optional<fl::timestamp> created,
                     std::string body = "On our way!", std::string from = "+15005550006") {
  return {std::move(sid), "sent", "+15558675310", std::move(from), std::move(body), created};
}

}  // namespace

TEST_CASE("pick_sent picks the earliest match created at or after the queueing", "[transport]") {
  std::vector<found_message> list{listed("SMlate", queued + 90s), listed("SMfirst", queued + 2s),
                                  listed("SMskew", queued - 10s)};
  CHECK(pick_sent(request(), list) == 1u);
}

TEST_CASE("pick_sent accepts a match up to a minute before the queueing (clock skew)",
          "[transport]") {
  std::vector<found_message> list{listed("SMold", queued - 50s), listed("SMnewer", queued - 5s),
                                  listed("SMtoo_old", queued - 61s)};
  CHECK(pick_sent(request(), list) == 1u);
  CHECK_FALSE(pick_sent(request(), {listed("SMtoo_old", queued - 61s)}));
}

TEST_CASE("pick_sent requires the exact body, To and From", "[transport]") {
  CHECK_FALSE(pick_sent(request(), {listed("SM1", queued, "On our way")}));
  CHECK_FALSE(pick_sent(request(), {listed("SM1", queued, "on our way!")}));
  CHECK_FALSE(pick_sent(request(), {listed("SM1", queued, "On our way!", "+15005550001")}));
  auto other_to = listed("SM1", queued);
  other_to.to = "+15550000000";
  CHECK_FALSE(pick_sent(request(), {other_to}));
}

TEST_CASE("pick_sent ignores From when the text went through a messaging service", "[transport]") {
  auto r = request();
  r.from.clear();
  r.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  CHECK(pick_sent(r, {listed("SM1", queued + 1s, "On our way!", "+15005550001")}) == 0u);
}

TEST_CASE("pick_sent takes an undated match only when no dated one qualifies", "[transport]") {
  CHECK(pick_sent(request(), {listed("SMundated", std::nullopt), listed("SMdated", queued)}) == 1u);
  CHECK(pick_sent(request(), {listed("SMundated", std::nullopt)}) == 0u);
}
