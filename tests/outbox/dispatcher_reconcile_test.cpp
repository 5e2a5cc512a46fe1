// The outbox dispatcher's reconciliation: an unknown outcome or a restart is
// settled with the provider (`find_sent`) before anything is sent again.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "tests/outbox/dispatcher_test_support.hpp"

using namespace fl::outbox::testing;
using kind = transport_call::kind;

TEST_CASE("an unknown outcome asks find_sent before any second send", "[outbox]") {
  harness h;
  h.transport.send_answers.push_back(unknown_outcome());
  h.enqueue(job("msg-1"));
  h.settle();

  REQUIRE(h.transport.calls.size() == 2);
  CHECK(h.transport.calls[0].what == kind::send);
  CHECK(h.transport.calls[1].what == kind::find_sent);
  // The lookup asks about exactly what was sent.
  const auto& asked = h.transport.calls[1].request;
  const auto& sent = h.transport.calls[0].request;
  CHECK(asked.message_id == sent.message_id);
  CHECK(asked.from == sent.from);
  CHECK(asked.to == sent.to);
  CHECK(asked.body == sent.body);
  CHECK(asked.queued_at == sent.queued_at);
  CHECK(asked.messaging_service_sid == sent.messaging_service_sid);
  REQUIRE(asked.creds);
  CHECK(asked.creds->account_sid == account_sid);
  CHECK(h.reports.empty());
  CHECK(h.outbox->in_flight() == 1);

  // However long the lookup takes, nothing is sent meanwhile.
  h.advance(1h);
  h.settle();
  CHECK(h.transport.calls.size() == 2);
}

TEST_CASE("an unknown outcome the provider found is recorded with the found sid, not resent",
          "[outbox]") {
  harness h;
  h.enqueue(job("msg-1"));
  h.poll();
  h.advance(15s);
  h.transport.answer_send(0, unknown_outcome());
  h.poll();
  REQUIRE(h.transport.calls.size() == 2);
  REQUIRE(h.transport.calls[1].what == kind::find_sent);

  h.transport.answer_find(1, found("SM0042"));
  h.settle();
  CHECK(h.transport.sends() == 1);
  REQUIRE(h.reports.size() == 1);
  const auto* sent = as_sent(h.reports[0]);
  REQUIRE(sent);
  CHECK(sent->message_id == "msg-1");
  CHECK(sent->message_sid == "SM0042");
  CHECK(h.outbox->in_flight() == 0);
}

TEST_CASE("an unknown outcome the provider has not found is sent again", "[outbox]") {
  harness h;
  h.transport.send_answers = {unknown_outcome(), accepted("SM0002")};
  h.transport.find_answers.push_back(not_found());
  h.enqueue(job("msg-1"));
  h.settle();

  REQUIRE(h.transport.calls.size() == 3);
  CHECK(h.transport.calls[0].what == kind::send);
  CHECK(h.transport.calls[1].what == kind::find_sent);
  CHECK(h.transport.calls[2].what == kind::send);
  REQUIRE(h.reports.size() == 1);
  REQUIRE(as_sent(h.reports[0]));
  CHECK(as_sent(h.reports[0])->message_sid == "SM0002");
}

TEST_CASE("a send repeated after not_found waits for its sender number's next slot", "[outbox]") {
  harness h;
  const auto t = h.clock.now;
  h.transport.send_answers = {unknown_outcome(), accepted("SM0002")};
  h.transport.find_answers.push_back(not_found());
  h.enqueue(job("msg-1"));
  h.settle();

  // The repeat is a second request from the number: it takes a slot of its own.
  REQUIRE(h.transport.send_times("msg-1").size() == 2);
  CHECK(h.transport.send_times("msg-1")[1] >= t + 1s);
}

TEST_CASE("a failed lookup is retried later as a lookup, never as a send", "[outbox]") {
  harness h;
  h.transport.send_answers.push_back(unknown_outcome());
  h.transport.find_answers = {lookup_failed(), lookup_failed()};
  h.enqueue(job("msg-1"));
  h.poll();  // send
  h.poll();  // unknown outcome: the first lookup, which fails
  h.poll();  // the failure is handled: a lookup again after a backoff
  REQUIRE(h.transport.calls.size() >= 2);
  const auto failed_at = h.clock.now;
  if (h.transport.calls.size() == 2) {
    REQUIRE(h.outbox->next_due());
    CHECK(*h.outbox->next_due() < failed_at + 2s);  // attempt 2: under 2 s
  }

  h.transport.find_answers.push_back(found("SM0042"));
  h.settle();
  REQUIRE(h.transport.calls.size() == 4);
  CHECK(h.transport.sends() == 1);
  CHECK(h.transport.calls[1].what == kind::find_sent);
  CHECK(h.transport.calls[2].what == kind::find_sent);
  CHECK(h.transport.calls[3].what == kind::find_sent);
  REQUIRE(h.reports.size() == 1);
  REQUIRE(as_sent(h.reports[0]));
  CHECK(as_sent(h.reports[0])->message_sid == "SM0042");
}

TEST_CASE("a provider that never settles an unknown outcome is given up after max_attempts",
          "[outbox]") {
  fl::domain::retry_policy policy;
  policy.max_attempts = 6;
  harness h(policy);
  for (int i = 0; i < 10; ++i) {
    h.transport.send_answers.push_back(unknown_outcome());
    h.transport.find_answers.push_back(not_found());
  }
  h.enqueue(job("msg-1"));
  h.settle(50);

  // Sends and lookups alike count as attempts, and each send follows a lookup.
  CHECK(h.transport.calls.size() == 6);
  CHECK(h.transport.sends() == 3);
  for (std::size_t i = 1; i < h.transport.calls.size(); ++i)
    CHECK(h.transport.calls[i].what != h.transport.calls[i - 1].what);
  REQUIRE(h.reports.size() == 1);
  const auto* failed = as_failure(h.reports[0]);
  REQUIRE(failed);
  CHECK_FALSE(failed->permanent);
  CHECK_THAT(failed->error_message, Catch::Contains("gave up after 6 attempts"));
  CHECK(h.outbox->in_flight() == 0);
}

TEST_CASE("a lookup that keeps failing is given up after max_attempts, never sent again",
          "[outbox]") {
  fl::domain::retry_policy policy;
  policy.max_attempts = 4;
  harness h(policy);
  h.transport.send_answers.push_back(unknown_outcome());
  for (int i = 0; i < 10; ++i) h.transport.find_answers.push_back(lookup_failed());
  h.enqueue(job("msg-1"));
  h.settle();

  CHECK(h.transport.sends() == 1);
  CHECK(h.transport.finds() == 3);
  REQUIRE(h.reports.size() == 1);
  const auto* failed = as_failure(h.reports[0]);
  REQUIRE(failed);
  CHECK_FALSE(failed->permanent);
  CHECK_THAT(failed->error_message, Catch::Contains("lookup failed"));
}

TEST_CASE("a resumed job is reconciled before it is sent", "[outbox]") {
  SECTION("found: recorded with the provider's sid, never sent") {
    harness h;
    h.transport.find_answers.push_back(found("SM0042"));
    h.enqueue(job("msg-1", from_number, /*resume=*/true));
    h.settle();

    REQUIRE(h.transport.calls.size() == 1);
    CHECK(h.transport.calls[0].what == kind::find_sent);
    CHECK(h.transport.calls[0].request.queued_at == start_time());
    REQUIRE(h.reports.size() == 1);
    REQUIRE(as_sent(h.reports[0]));
    CHECK(as_sent(h.reports[0])->message_sid == "SM0042");
  }
  SECTION("not found: sent") {
    harness h;
    h.transport.find_answers.push_back(not_found());
    h.transport.send_answers.push_back(accepted("SM0001"));
    h.enqueue(job("msg-1", from_number, /*resume=*/true));
    h.settle();

    REQUIRE(h.transport.calls.size() == 2);
    CHECK(h.transport.calls[0].what == kind::find_sent);
    CHECK(h.transport.calls[1].what == kind::send);
    CHECK(h.transport.calls[1].at == start_time());  // no backoff: nothing had failed here
    REQUIRE(h.reports.size() == 1);
    REQUIRE(as_sent(h.reports[0]));
    CHECK(as_sent(h.reports[0])->message_sid == "SM0001");
  }
}

TEST_CASE("the same message id enqueued twice while in flight is sent once and reported once",
          "[outbox]") {
  harness h;
  h.enqueue(job("msg-1"));
  h.enqueue(job("msg-1"));
  h.poll();
  h.enqueue(job("msg-1"));
  h.enqueue(job("msg-1", from_number, /*resume=*/true));
  CHECK(h.outbox->in_flight() == 1);
  h.settle();
  REQUIRE(h.transport.calls.size() == 1);

  h.transport.answer_send(0, accepted("SM0001"));
  h.enqueue(job("msg-1"));  // answered, not yet reported: still in flight
  h.settle();
  CHECK(h.transport.calls.size() == 1);
  REQUIRE(h.reports.size() == 1);
  CHECK(as_sent(h.reports[0]));
  CHECK(h.outbox->in_flight() == 0);
}

TEST_CASE("stop() with messages in flight reports nothing afterwards", "[outbox]") {
  harness h;
  h.rates[from_number] = 1;
  h.enqueue(job("msg-1"));
  h.enqueue(job("msg-2"));
  h.poll();
  REQUIRE(h.transport.sends() == 1);

  h.outbox->stop();
  h.outbox->stop();  // idempotent
  // The transport answers after the stop, from its own thread.
  h.transport.answer_send(0, accepted("SM0001"));
  h.advance(10s);
  h.poll();
  CHECK(h.reports.empty());
  CHECK(h.transport.sends() == 1);  // msg-2 stays queued in the log, for the next start
  h.outbox.reset();                 // destroyed with msg-2 pending: no crash, no report
  CHECK(h.reports.empty());
}

TEST_CASE("an enqueue after stop() is ignored", "[outbox]") {
  harness h;
  h.outbox->stop();
  h.enqueue(job("msg-1"));
  CHECK(h.outbox->in_flight() == 0);
  CHECK_FALSE(h.outbox->next_due());
  h.poll();
  CHECK(h.transport.calls.empty());
  CHECK(h.reports.empty());
}

TEST_CASE("an accepted answer without a sid is reconciled instead of recorded", "[outbox]") {
  harness h;
  h.transport.send_answers.push_back(accepted(""));
  h.transport.find_answers.push_back(found("SM0042"));
  h.enqueue(job("msg-1"));
  h.settle();

  // A sid-less record_sent could never be matched to its status callbacks.
  REQUIRE(h.transport.calls.size() == 2);
  CHECK(h.transport.calls[1].what == kind::find_sent);
  REQUIRE(h.reports.size() == 1);
  REQUIRE(as_sent(h.reports[0]));
  CHECK(as_sent(h.reports[0])->message_sid == "SM0042");
}

TEST_CASE("a found lookup without a sid is asked again rather than recorded", "[outbox]") {
  harness h;
  h.transport.find_answers = {found(""), found("SM0042")};
  h.enqueue(job("msg-1", from_number, /*resume=*/true));
  h.settle();

  CHECK(h.transport.sends() == 0);
  CHECK(h.transport.finds() == 2);
  REQUIRE(h.reports.size() == 1);
  REQUIRE(as_sent(h.reports[0]));
  CHECK(as_sent(h.reports[0])->message_sid == "SM0042");
}

TEST_CASE("an empty body is handed to the transport, whose refusal is recorded as permanent",
          "[outbox]") {
  // `decide` refuses empty bodies before anything is queued; the dispatcher
  // does not judge bodies again and reports what the provider said.
  harness h;
  auto j = job("msg-1");
  j.message.body.clear();
  h.transport.send_answers.push_back(permanent(21602, "Message body is required."));
  h.enqueue(std::move(j));
  h.settle();

  REQUIRE(h.transport.sends() == 1);
  CHECK(h.transport.calls[0].request.body.empty());
  REQUIRE(h.reports.size() == 1);
  REQUIRE(as_failure(h.reports[0]));
  CHECK(as_failure(h.reports[0])->permanent);
  CHECK(as_failure(h.reports[0])->error_code == 21602);
}
