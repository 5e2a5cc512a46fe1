// The outbox dispatcher's retries: retryable failures with exponential
// backoff and full jitter, Retry-After as a floor, permanent refusals at
// once, and giving up after `max_attempts`.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include "tests/outbox/dispatcher_test_support.hpp"

using namespace fl::outbox::testing;
using kind = transport_call::kind;

TEST_CASE("500 then 503 then 201 is retried twice within the backoff bounds, then recorded",
          "[outbox]") {
  const std::uint64_t seed = GENERATE(1, 2, 3, 42, 1234567);
  CAPTURE(seed);
  fl::domain::retry_policy policy;  // base 1 s, doubling
  harness h(policy, seed);
  h.enqueue(job("msg-1"));
  h.poll();
  REQUIRE(h.transport.sends() == 1);

  // The provider answers each send 10 s later, well clear of the 1/s spacing,
  // so each retry goes exactly when its backoff says.
  const std::chrono::microseconds ceilings[] = {1000ms, 2000ms};
  const send_result failures[] = {retryable(500), retryable(503)};
  for (int i = 0; i < 2; ++i) {
    h.advance(10s);
    const auto failed_at = h.clock.now;
    h.transport.answer_send(h.transport.calls.size() - 1, failures[i]);
    h.poll();
    auto due = h.outbox->next_due();
    if (h.transport.sends() == static_cast<std::size_t>(i + 1)) {
      REQUIRE(due);
      CHECK(*due >= failed_at);
      CHECK(*due < failed_at + ceilings[i]);
      h.step();
    }
    REQUIRE(h.transport.sends() == static_cast<std::size_t>(i + 2));
    const auto retried_at = h.transport.calls.back().at;
    CHECK(retried_at >= failed_at);
    CHECK(retried_at < failed_at + ceilings[i]);
    CHECK(h.reports.empty());
  }

  h.advance(10s);
  h.transport.answer_send(2, accepted("SM0001"));
  h.poll();
  CHECK(h.transport.sends() == 3);
  REQUIRE(h.reports.size() == 1);
  REQUIRE(as_sent(h.reports[0]));
  CHECK(as_sent(h.reports[0])->message_sid == "SM0001");
  for (const auto& c : h.transport.calls) CHECK(c.request.message_id == "msg-1");
}

TEST_CASE("a backoff delay never exceeds the policy's cap", "[outbox]") {
  fl::domain::retry_policy policy;
  policy.max_attempts = 12;
  policy.base = 1000ms;
  policy.cap = 4000ms;
  harness h(policy);
  h.enqueue(job("msg-1"));
  h.poll();
  for (int i = 0; i < 10; ++i) {
    h.advance(10s);
    const auto failed_at = h.clock.now;
    h.transport.answer_send(h.transport.calls.size() - 1, retryable(503));
    h.poll();
    if (auto due = h.outbox->next_due()) {
      CHECK(*due < failed_at + 4s);
      h.step();
    }
    REQUIRE(h.transport.sends() == static_cast<std::size_t>(i + 2));
    CHECK(h.transport.calls.back().at < failed_at + 4s);
  }
}

TEST_CASE("429 with Retry-After 30 s is not retried before 30 s", "[outbox]") {
  harness h;
  h.transport.send_answers.push_back(retryable(429, 20429, 30s));
  h.enqueue(job("msg-1"));
  h.poll();  // sends; the 429 is answered inside the call
  const auto refused_at = h.clock.now;
  h.poll();  // handles the 429
  REQUIRE(h.transport.sends() == 1);
  REQUIRE(h.outbox->next_due());
  CHECK(*h.outbox->next_due() >= refused_at + 30s);

  h.clock.now = refused_at + 30s - 1us;
  h.poll();
  CHECK(h.transport.sends() == 1);

  h.transport.send_answers.push_back(accepted("SM0001"));
  h.settle();
  REQUIRE(h.transport.sends() == 2);
  CHECK(h.transport.calls[1].at >= refused_at + 30s);
  REQUIRE(h.reports.size() == 1);
  CHECK(as_sent(h.reports[0]));
}

TEST_CASE("a permanent refusal (21211) is reported at once and never retried", "[outbox]") {
  harness h;
  h.transport.send_answers.push_back(
      permanent(21211, "The 'To' number is not a valid phone number."));
  h.enqueue(job("msg-1"));
  h.poll();
  h.poll();

  REQUIRE(h.reports.size() == 1);
  CHECK(h.reports[0].at == start_time());
  const auto* failed = as_failure(h.reports[0]);
  REQUIRE(failed);
  CHECK(failed->message_id == "msg-1");
  CHECK(failed->permanent);
  CHECK(failed->error_code == 21211);
  CHECK(failed->error_message == "The 'To' number is not a valid phone number.");
  CHECK_FALSE(h.outbox->next_due());

  h.advance(1h);
  h.settle();
  CHECK(h.transport.sends() == 1);
  CHECK(h.reports.size() == 1);
}

TEST_CASE("21610 is reported as permanent with its code kept so the number can be opted out",
          "[outbox]") {
  harness h;
  h.transport.send_answers.push_back(permanent(21610, "Attempt to send to unsubscribed recipient"));
  h.enqueue(job("msg-1"));
  h.settle();

  CHECK(h.transport.sends() == 1);
  REQUIRE(h.reports.size() == 1);
  const auto* failed = as_failure(h.reports[0]);
  REQUIRE(failed);
  CHECK(failed->permanent);
  CHECK(failed->error_code == 21610);
  CHECK(fl::domain::marks_opted_out(failed->error_code));
}

TEST_CASE("retries exhausted are reported as a non-permanent failure saying it gave up",
          "[outbox]") {
  fl::domain::retry_policy policy;
  policy.max_attempts = 3;
  harness h(policy);
  for (int i = 0; i < 3; ++i) h.transport.send_answers.push_back(retryable(503, 30001));
  h.enqueue(job("msg-1"));
  h.settle();

  CHECK(h.transport.sends() == 3);
  CHECK(h.transport.finds() == 0);
  REQUIRE(h.reports.size() == 1);
  const auto* failed = as_failure(h.reports[0]);
  REQUIRE(failed);
  CHECK(failed->message_id == "msg-1");
  CHECK_FALSE(failed->permanent);
  CHECK(failed->error_code == 30001);
  CHECK_THAT(failed->error_message, Catch::Contains("gave up after 3 attempts"));
  CHECK(h.outbox->in_flight() == 0);
  CHECK_FALSE(h.outbox->next_due());
}

TEST_CASE("a retried send still keeps its sender number's spacing", "[outbox]") {
  harness h;
  const auto t = h.clock.now;
  h.transport.send_answers.push_back(retryable(503));
  h.enqueue(job("msg-1"));
  h.settle();

  // The retry's backoff is under 1 s, but the number's next slot is t + 1 s.
  REQUIRE(h.transport.sends() == 2);
  CHECK(h.transport.calls[1].at == t + 1s);
  CHECK(h.transport.calls[1].what == kind::send);
}
