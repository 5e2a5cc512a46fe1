// The outbox dispatcher's sending side: what a send carries, how its answer
// is reported, how sends are spaced per sender number, and tenants that are
// gone.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "tests/outbox/dispatcher_test_support.hpp"

using namespace fl::outbox::testing;
using kind = transport_call::kind;

TEST_CASE("a message is sent once and reported as record_sent with the provider's sid",
          "[outbox]") {
  harness h;
  h.transport.send_answers.push_back(accepted("SM0001"));
  h.enqueue(job("msg-1"));
  h.settle();

  REQUIRE(h.transport.calls.size() == 1);
  CHECK(h.transport.calls[0].what == kind::send);
  REQUIRE(h.reports.size() == 1);
  CHECK(h.reports[0].owner == fl::actors::conversation_key(tenant, to_number));
  const auto* sent = as_sent(h.reports[0]);
  REQUIRE(sent);
  CHECK(sent->message_id == "msg-1");
  CHECK(sent->message_sid == "SM0001");
  CHECK(h.outbox->in_flight() == 0);
  CHECK_FALSE(h.outbox->next_due());

  // Nothing more happens, however long the dispatcher keeps polling.
  h.advance(24h);
  h.poll();
  CHECK(h.transport.calls.size() == 1);
  CHECK(h.reports.size() == 1);
}

TEST_CASE("the send request carries the message, the status callback and the tenant's profile",
          "[outbox]") {
  harness h;
  h.enqueue(job("msg-1"));
  h.poll();

  REQUIRE(h.transport.calls.size() == 1);
  const auto& r = h.transport.calls[0].request;
  CHECK(r.tenant_id == tenant);
  CHECK(r.message_id == "msg-1");
  CHECK(r.from == from_number);
  CHECK(r.to == to_number);
  CHECK(r.body == "Your technician is 15 minutes away.");
  CHECK(r.status_callback == status_url);
  CHECK(r.queued_at == start_time());
  CHECK(r.messaging_service_sid == std::optional<std::string>(service_sid));
  REQUIRE(r.creds);
  CHECK(r.creds->account_sid == account_sid);
  CHECK(r.creds->auth_token.reveal() == auth_token);
}

TEST_CASE("a tenant without its own account sends with the transport's credentials", "[outbox]") {
  harness h;
  h.profiles[tenant] = fl::outbox::sender_profile{};
  h.enqueue(job("msg-1"));
  h.poll();

  REQUIRE(h.transport.calls.size() == 1);
  CHECK_FALSE(h.transport.calls[0].request.creds);
  CHECK_FALSE(h.transport.calls[0].request.messaging_service_sid);
}

TEST_CASE("an answer given later from the transport's thread is reported at the next poll",
          "[outbox]") {
  harness h;
  h.enqueue(job("msg-1"));
  h.poll();
  REQUIRE(h.transport.calls.size() == 1);
  CHECK(h.outbox->in_flight() == 1);
  CHECK_FALSE(h.outbox->next_due());  // waiting on the transport, not on time

  h.advance(3s);
  h.transport.answer_send(0, accepted("SM0001"));
  CHECK(h.reports.empty());  // outcomes are reported by poll, not by the callback

  h.poll();
  REQUIRE(h.reports.size() == 1);
  REQUIRE(as_sent(h.reports[0]));
  CHECK(as_sent(h.reports[0])->message_sid == "SM0001");
  CHECK(h.outbox->in_flight() == 0);
}

TEST_CASE("a transport that answers inside the send call does not deadlock the dispatcher",
          "[outbox]") {
  harness h;
  for (int i = 1; i <= 3; ++i)
    h.transport.send_answers.push_back(accepted("SM" + std::to_string(i)));
  h.rates[from_number] = 1000;
  for (int i = 1; i <= 3; ++i) h.enqueue(job("msg-" + std::to_string(i)));
  h.settle();

  CHECK(h.transport.sends() == 3);
  REQUIRE(h.reports.size() == 3);
  for (const auto& r : h.reports) CHECK(as_sent(r));
}

TEST_CASE("a burst of five messages from one number at 1/s goes out one second apart", "[outbox]") {
  harness h;
  const auto t = h.clock.now;
  for (int i = 1; i <= 5; ++i) {
    h.transport.send_answers.push_back(accepted("SM" + std::to_string(i)));
    h.enqueue(job("msg-" + std::to_string(i)));
  }

  h.poll();
  REQUIRE(h.transport.sends() == 1);
  CHECK(h.transport.calls[0].request.message_id == "msg-1");
  for (int i = 1; i <= 4; ++i) {
    const auto slot = t + std::chrono::seconds(i);
    REQUIRE(h.outbox->next_due() == slot);
    // A microsecond early: nothing goes.
    h.clock.now = slot - 1us;
    h.poll();
    CHECK(h.transport.sends() == static_cast<std::size_t>(i));
    // On the slot: the next message goes, and only it.
    h.clock.now = slot;
    h.poll();
    REQUIRE(h.transport.sends() == static_cast<std::size_t>(i + 1));
    CHECK(h.transport.calls.back().request.message_id == "msg-" + std::to_string(i + 1));
    CHECK(h.transport.calls.back().at == slot);
  }
  h.poll();
  CHECK_FALSE(h.outbox->next_due());
  CHECK(h.reports.size() == 5);
}

TEST_CASE("two sender numbers do not wait on each other", "[outbox]") {
  harness h;
  const auto t = h.clock.now;
  for (int i = 1; i <= 2; ++i) {
    h.enqueue(job("a-" + std::to_string(i), from_number));
    h.enqueue(job("b-" + std::to_string(i), other_from_number));
  }

  h.poll();
  REQUIRE(h.transport.sends() == 2);
  CHECK(h.transport.send_times("a-1") == std::vector{t});
  CHECK(h.transport.send_times("b-1") == std::vector{t});
  CHECK(h.transport.calls[1].request.from != h.transport.calls[0].request.from);

  h.settle();
  CHECK(h.transport.send_times("a-2") == std::vector{t + 1s});
  CHECK(h.transport.send_times("b-2") == std::vector{t + 1s});
}

TEST_CASE("a number configured at 10/s sends ten messages in its first second", "[outbox]") {
  harness h;
  h.rates[from_number] = 10;
  const auto t = h.clock.now;
  for (int i = 1; i <= 12; ++i) h.enqueue(job("msg-" + std::to_string(i)));

  h.poll();
  while (auto due = h.outbox->next_due()) {
    if (*due >= t + 1s) break;
    h.clock.now = *due;
    h.poll();
  }
  CHECK(h.transport.sends() == 10);
  for (const auto& c : h.transport.calls) CHECK(c.at < t + 1s);

  h.settle();
  CHECK(h.transport.sends() == 12);
  CHECK(h.transport.send_times("msg-11") == std::vector{t + 1s});
  CHECK(h.transport.send_times("msg-12") == std::vector{t + 1100ms});
}

TEST_CASE("a tenant the profile lookup no longer knows fails permanently and nothing is sent",
          "[outbox]") {
  harness h;
  h.profiles.clear();
  h.enqueue(job("msg-1"));
  h.settle();

  CHECK(h.transport.calls.empty());
  REQUIRE(h.reports.size() == 1);
  const auto* failed = as_failure(h.reports[0]);
  REQUIRE(failed);
  CHECK(failed->message_id == "msg-1");
  CHECK(failed->permanent);
  CHECK_FALSE(failed->error_code);
  CHECK(h.outbox->in_flight() == 0);
}

TEST_CASE("a tenant removed while its message waits for a retry fails without another send",
          "[outbox]") {
  harness h;
  h.transport.send_answers.push_back(retryable(503));
  h.enqueue(job("msg-1"));
  h.poll();
  h.poll();
  REQUIRE(h.transport.sends() == 1);
  REQUIRE(h.outbox->next_due());

  h.profiles.clear();
  h.settle();
  CHECK(h.transport.sends() == 1);
  REQUIRE(h.reports.size() == 1);
  REQUIRE(as_failure(h.reports[0]));
  CHECK(as_failure(h.reports[0])->permanent);
}

TEST_CASE("a text whose recipient opted out after it was queued is failed, never sent",
          "[outbox][opt_out]") {
  harness h;
  h.transport.send_answers.push_back(retryable(503));
  h.enqueue(job("msg-1"));
  h.poll();  // the first try, answered 503 inside the call
  h.poll();  // the answer handled: a retry is scheduled
  REQUIRE(h.transport.calls.size() == 1);
  REQUIRE(h.outbox->next_due());
  h.opted_out.insert(to_number);  // STOP arrives before the retry
  h.settle();
  CHECK(h.transport.calls.size() == 1);
  REQUIRE(h.reports.size() == 1);
  const auto* failed = as_failure(h.reports[0]);
  REQUIRE(failed);
  CHECK(failed->permanent);
  CHECK(failed->error_message.find("opted out") != std::string::npos);
}

TEST_CASE("the opt-out confirmation itself passes the last gate", "[outbox][opt_out]") {
  harness h;
  h.opted_out.insert(to_number);
  h.transport.send_answers.push_back(accepted("SM0002"));
  auto j = job("msg-confirm");
  j.message.trigger = "opt_out";
  h.enqueue(j);
  h.settle();
  CHECK(h.transport.calls.size() == 1);
  REQUIRE(h.reports.size() == 1);
  CHECK(as_sent(h.reports[0]));
}
