#include "domain/outbound_policy.hpp"

#include <catch2/catch.hpp>

#include <climits>
#include <cmath>
#include <limits>

using namespace fl;
using namespace fl::domain;
using namespace std::chrono_literals;

namespace {

const timestamp t0 = from_micros(1'790'000'000'000'000);

}  // namespace

TEST_CASE("a long code sends one message a second: a burst queues a second apart",
          "[outbound_policy]") {
  send_rate_limiter limiter(1);
  CHECK(limiter.reserve(t0) == t0);
  CHECK(limiter.reserve(t0) == t0 + 1s);
  CHECK(limiter.reserve(t0) == t0 + 2s);
  CHECK(limiter.reserve(t0 + 500ms) == t0 + 3s);
}

TEST_CASE("a message to an idle sender goes at once", "[outbound_policy]") {
  send_rate_limiter limiter(1);
  CHECK(limiter.reserve(t0) == t0);
  CHECK(limiter.reserve(t0 + 1s) == t0 + 1s);
  CHECK(limiter.reserve(t0 + 1min) == t0 + 1min);
  CHECK(limiter.reserve(t0 + 1min + 1500ms) == t0 + 1min + 1500ms);
}

TEST_CASE("a burst allowance lets that many go at once, then the steady rate",
          "[outbound_policy]") {
  send_rate_limiter limiter(1, 3);
  CHECK(limiter.reserve(t0) == t0);
  CHECK(limiter.reserve(t0) == t0);
  CHECK(limiter.reserve(t0) == t0);
  CHECK(limiter.reserve(t0) == t0 + 1s);
  CHECK(limiter.reserve(t0) == t0 + 2s);
}

TEST_CASE("an idle sender's allowance refills with time, never beyond its burst",
          "[outbound_policy]") {
  send_rate_limiter limiter(1, 3);
  for (int i = 0; i < 3; ++i) CHECK(limiter.reserve(t0) == t0);
  // Two seconds later two slots have refilled.
  const auto later = t0 + 2s;
  CHECK(limiter.reserve(later) == later);
  CHECK(limiter.reserve(later) == later);
  CHECK(limiter.reserve(later) == later + 1s);
  // After an hour idle, still only three at once.
  const auto much_later = t0 + 1h;
  for (int i = 0; i < 3; ++i) CHECK(limiter.reserve(much_later) == much_later);
  CHECK(limiter.reserve(much_later) == much_later + 1s);
}

TEST_CASE("other rates space messages evenly", "[outbound_policy]") {
  send_rate_limiter short_code(10);
  CHECK(short_code.reserve(t0) == t0);
  CHECK(short_code.reserve(t0) == t0 + 100ms);
  CHECK(short_code.reserve(t0) == t0 + 200ms);

  send_rate_limiter slow(0.5);
  CHECK(slow.reserve(t0) == t0);
  CHECK(slow.reserve(t0) == t0 + 2s);
}

TEST_CASE("a request earlier than the previous one is still never answered before its now",
          "[outbound_policy]") {
  send_rate_limiter limiter(1);
  CHECK(limiter.reserve(t0 + 10s) == t0 + 10s);
  CHECK(limiter.reserve(t0) == t0 + 11s);
}

TEST_CASE("an invalid rate or burst is taken as one a second with no burst", "[outbound_policy]") {
  for (double rate : {0.0, -5.0, std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity()}) {
    send_rate_limiter limiter(rate, 0);
    CHECK(limiter.reserve(t0) == t0);
    CHECK(limiter.reserve(t0) == t0 + 1s);
  }
}

TEST_CASE("retry_policy defaults to 8 attempts, a 1 s base and a 5 min cap", "[outbound_policy]") {
  retry_policy p;
  CHECK(p.max_attempts == 8);
  CHECK(p.base == 1s);
  CHECK(p.cap == 5min);
}

TEST_CASE("the backoff ceiling doubles with each attempt up to the cap", "[outbound_policy]") {
  retry_policy p;
  const double almost_one = std::nextafter(1.0, 0.0);
  CHECK(backoff_delay(p, 1, almost_one) == 999ms);
  CHECK(backoff_delay(p, 2, almost_one) == 1999ms);
  CHECK(backoff_delay(p, 3, almost_one) == 3999ms);
  CHECK(backoff_delay(p, 9, almost_one) == 255999ms);
  CHECK(backoff_delay(p, 10, almost_one) == 299999ms);  // 512 s, capped at 300 s
  CHECK(backoff_delay(p, 4, 0.5) == 4s);
  CHECK(backoff_delay(p, 10, 0.5) == 150s);
}

TEST_CASE("full jitter: a draw of 0 retries at once, and no draw reaches the ceiling",
          "[outbound_policy]") {
  retry_policy p;
  for (int attempt : {1, 5, 20}) CHECK(backoff_delay(p, attempt, 0.0) == 0ms);
  // Out-of-range draws are clamped into [0, 1).
  CHECK(backoff_delay(p, 1, 1.0) == 999ms);
  CHECK(backoff_delay(p, 1, 7.0) == 999ms);
  CHECK(backoff_delay(p, 1, -1.0) == 0ms);
  CHECK(backoff_delay(p, 1, std::numeric_limits<double>::quiet_NaN()) == 0ms);
}

TEST_CASE("a Retry-After from Twilio is a floor for the backoff", "[outbound_policy]") {
  retry_policy p;
  CHECK(backoff_delay(p, 1, 0.0, 30s) == 30s);
  CHECK(backoff_delay(p, 10, 0.5, 30s) == 150s);    // the backoff is already longer
  CHECK(backoff_delay(p, 1, 0.5, 10min) == 10min);  // a floor even beyond the cap
}

TEST_CASE("the backoff saturates at the cap for huge attempt numbers and odd policies",
          "[outbound_policy]") {
  retry_policy p;
  CHECK(backoff_delay(p, 1000, 0.5) == 150s);
  CHECK(backoff_delay(p, INT_MAX, 0.5) == 150s);
  CHECK(backoff_delay(p, 0, 0.5) == 500ms);  // attempt below 1 counts as 1
  CHECK(backoff_delay(p, -3, 0.5) == 500ms);

  retry_policy zero_base;
  zero_base.base = 0ms;
  CHECK(backoff_delay(zero_base, INT_MAX, 0.5) == 0ms);

  retry_policy base_above_cap;
  base_above_cap.base = 10min;
  CHECK(backoff_delay(base_above_cap, 1, 0.5) == 150s);
}

TEST_CASE("429, 5xx and no HTTP answer at all are retryable", "[outbound_policy]") {
  for (int status : {0, -1, 408, 429, 500, 502, 503, 504, 599})
    CHECK(classify_send_failure(status, std::nullopt) == send_failure_kind::retryable);
  CHECK(classify_send_failure(503, 20503) == send_failure_kind::retryable);
  CHECK(classify_send_failure(429, 20429) == send_failure_kind::retryable);
}

TEST_CASE("other 4xx answers are permanent", "[outbound_policy]") {
  for (int status : {400, 401, 403, 404, 405, 409, 413, 422})
    CHECK(classify_send_failure(status, std::nullopt) == send_failure_kind::permanent);
  CHECK(classify_send_failure(401, 20003) == send_failure_kind::permanent);
  CHECK(classify_send_failure(400, 21604) == send_failure_kind::permanent);
}

TEST_CASE("Twilio's permanent codes are permanent whatever the HTTP status", "[outbound_policy]") {
  for (std::int64_t code :
       {21211, 21408, 21602, 21606, 21610, 21612, 21614, 21617, 21635, 30004, 30005, 30006})
    for (int status : {0, 400, 429, 500, 503}) {
      INFO(code << " with HTTP " << status);
      CHECK(classify_send_failure(status, code) == send_failure_kind::permanent);
    }
}

TEST_CASE("Twilio's throttling codes are retryable whatever the HTTP status", "[outbound_policy]") {
  for (std::int64_t code : {20429, 14107, 21611, 30001})
    for (int status : {0, 400, 429, 503}) {
      INFO(code << " with HTTP " << status);
      CHECK(classify_send_failure(status, code) == send_failure_kind::retryable);
    }
}

TEST_CASE("only Twilio's 21610 marks the recipient opted out", "[outbound_policy]") {
  CHECK(marks_opted_out(21610));
  CHECK_FALSE(marks_opted_out(std::nullopt));
  for (std::int64_t code : {21211, 21614, 30004, 30007, 0}) CHECK_FALSE(marks_opted_out(code));
}

TEST_CASE("send failure kinds have names", "[outbound_policy]") {
  CHECK(to_string(send_failure_kind::retryable) == "retryable");
  CHECK(to_string(send_failure_kind::permanent) == "permanent");
}
