// The Twilio transport against the fake Twilio: how answers map to send
// results, and the reconcile step after an unknown outcome.

#include "outbound/twilio_transport.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "base/timestamp.hpp"
#include "tests/outbound/outbound_test_support.hpp"
#include "tests/support/fake_twilio.hpp"

#include "outbound/transport.hpp"

using namespace fl::testing;
using fl::outbound::lookup_result;
using fl::outbound::make_twilio_transport;
using fl::outbound::send_request;
using fl::outbound::send_result;

namespace {

send_request sample_request() {
  send_request r = sample_send_request();
  r.status_callback = "https://fl.example.com/sms/status";
  r.creds = test_credentials();
  return r;
}

}  // namespace

TEST_CASE("the Twilio transport reports a created message as accepted with its sid",
          "[transport]") {
  fake_twilio fake;
  auto transport = make_twilio_transport(options_for(fake.base_url()));
  CHECK(transport->name() == "twilio");
  auto result = send_and_wait(*transport, sample_request());
  CHECK(result.outcome == send_result::kind::accepted);
  CHECK(result.http_status == 201);
  REQUIRE(fake.messages().size() == 1);
  CHECK(result.sid == fake.messages()[0].sid);
  auto r = fake.requests().at(0);
  CHECK(r.field("To") == "+15558675310");
  CHECK(r.field("From") == "+15005550006");
  CHECK(r.field("StatusCallback") == "https://fl.example.com/sms/status");
}

TEST_CASE("the Twilio transport reports Twilio's 4xx refusals as permanent with the code",
          "[transport]") {
  fake_twilio fake;
  fake.enqueue(canned_response::twilio_error(400, 21211, "Invalid 'To' Phone Number"));
  fake.enqueue(
      canned_response::twilio_error(400, 21610, "Attempt to send to unsubscribed recipient"));
  fake.enqueue(canned_response::twilio_error(401, 20003, "Authenticate"));
  auto transport = make_twilio_transport(options_for(fake.base_url()));
  for (std::int64_t code : {21211, 21610, 20003}) {
    auto result = send_and_wait(*transport, sample_request());
    CHECK(result.outcome == send_result::kind::permanent);
    CHECK(result.error_code == code);
    CHECK_FALSE(result.error_message.empty());
  }
}

TEST_CASE("the Twilio transport reports 429 as retryable after Retry-After", "[transport]") {
  fake_twilio fake;
  fake.enqueue(
      canned_response::twilio_error(429, 20429, "Too Many Requests", {{"Retry-After", "3"}}));
  auto transport = make_twilio_transport(options_for(fake.base_url()));
  auto result = send_and_wait(*transport, sample_request());
  CHECK(result.outcome == send_result::kind::retryable);
  CHECK(result.http_status == 429);
  REQUIRE(result.retry_after);
  CHECK(*result.retry_after == std::chrono::seconds(3));
}

TEST_CASE("the Twilio transport reports 500 and 503 as retryable", "[transport]") {
  fake_twilio fake;
  fake.enqueue(canned_response::twilio_error(500, 20500, "Internal Server Error"));
  fake.enqueue(canned_response::with_body(503, "unavailable"));
  auto transport = make_twilio_transport(options_for(fake.base_url()));
  CHECK(send_and_wait(*transport, sample_request()).outcome == send_result::kind::retryable);
  CHECK(send_and_wait(*transport, sample_request()).outcome == send_result::kind::retryable);
}

TEST_CASE("the Twilio transport reports a refused connection as retryable", "[transport]") {
  auto transport =
      make_twilio_transport(options_for("http://127.0.0.1:" + std::to_string(closed_port())));
  auto result = send_and_wait(*transport, sample_request());
  CHECK(result.outcome == send_result::kind::retryable);
  CHECK(result.http_status == 0);
}

TEST_CASE(
    "the Twilio transport reports a timeout after sending as an unknown outcome, and "
    "find_sent then finds the message Twilio created",
    "[transport]") {
  fake_twilio fake;
  fake.enqueue(canned_response::hang_for(3s));
  auto options = options_for(fake.base_url());
  options.request_timeout = 400ms;
  auto transport = make_twilio_transport(options);
  auto request = sample_request();
  auto sent = send_and_wait(*transport, request);
  CHECK(sent.outcome == send_result::kind::unknown_outcome);

  auto found = find_and_wait(*transport, request);
  REQUIRE(found.outcome == lookup_result::kind::found);
  REQUIRE(fake.messages().size() == 1);
  CHECK(found.sid == fake.messages()[0].sid);
  CHECK(found.status == "queued");
  auto list = fake.requests().back();
  CHECK(list.method == "GET");
  CHECK(list.query_field("To") == "+15558675310");
  CHECK(list.query_field("From") == "+15005550006");
  CHECK_FALSE(list.query_field("PageSize").empty());
}

TEST_CASE("find_sent answers not found when Twilio never created the message", "[transport]") {
  fake_twilio fake;
  fake.enqueue(canned_response::close(/*creates_message=*/false));
  auto transport = make_twilio_transport(options_for(fake.base_url()));
  auto request = sample_request();
  CHECK(send_and_wait(*transport, request).outcome == send_result::kind::unknown_outcome);
  CHECK(find_and_wait(*transport, request).outcome == lookup_result::kind::not_found);
}

TEST_CASE("find_sent matches the body exactly and ignores messages from before the queueing",
          "[transport]") {
  fake_twilio fake;
  auto request = sample_request();
  fake.add_message({"SM00000000000000000000000000000001", test_account, request.to, request.from,
                    "", request.body + " ", "sent", "Tue, 24 Nov 2026 04:31:07 +0000"});
  fake.add_message({"SM00000000000000000000000000000002", test_account, request.to, request.from,
                    "", request.body, "delivered", "Mon, 01 Jan 2024 00:00:00 +0000"});
  auto transport = make_twilio_transport(options_for(fake.base_url()));
  CHECK(find_and_wait(*transport, request).outcome == lookup_result::kind::not_found);
}

TEST_CASE("find_sent through a messaging service looks up by To alone", "[transport]") {
  fake_twilio fake;
  auto transport = make_twilio_transport(options_for(fake.base_url()));
  auto request = sample_request();
  request.from.clear();
  request.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  fake.add_message({"SM00000000000000000000000000000009", test_account, request.to, "+15005550001",
                    request.messaging_service_sid.value(), request.body, "sent",
                    "Mon, 23 Nov 2026 18:00:00 +0000"});
  request.queued_at = *fl::parse_rfc3339("2026-11-23T18:00:20Z");
  auto found = find_and_wait(*transport, request);
  CHECK(found.outcome == lookup_result::kind::found);
  CHECK(found.sid == "SM00000000000000000000000000000009");
  auto list = fake.requests().back();
  CHECK(list.query_field("To") == request.to);
  CHECK(list.query.find("From=") == std::string::npos);
}

TEST_CASE("find_sent reports a failed list as failed", "[transport]") {
  fake_twilio fake;
  fake.enqueue(canned_response::twilio_error(500, 20500, "Internal Server Error"));
  auto transport = make_twilio_transport(options_for(fake.base_url()));
  auto found = find_and_wait(*transport, sample_request());
  CHECK(found.outcome == lookup_result::kind::failed);
  CHECK(found.error_message.find("500") != std::string::npos);
}

TEST_CASE(
    "the Twilio transport refuses a request without credentials, answering later on its "
    "own thread",
    "[transport]") {
  fake_twilio fake;
  auto transport = make_twilio_transport(options_for(fake.base_url()));
  auto request = sample_request();
  request.creds.reset();
  awaited<std::pair<send_result, std::thread::id>> sent;
  transport->send(request, [cb = sent.callback()](send_result r) {
    cb({std::move(r), std::this_thread::get_id()});
  });
  auto [result, thread] = sent.get();
  CHECK(result.outcome == send_result::kind::permanent);
  CHECK(result.error_message == "no Twilio credentials for this tenant");
  CHECK(thread != std::this_thread::get_id());
  CHECK(find_and_wait(*transport, request).outcome == lookup_result::kind::failed);
  CHECK(fake.request_count() == 0);
}

TEST_CASE("to_send_result maps every create outcome", "[transport]") {
  using fl::twilio::create_result;
  using k = create_result::kind;
  auto map = [](k outcome, int status) {
    create_result r{};
    r.outcome = outcome;
    r.http_status = status;
    return fl::outbound::to_send_result(r).outcome;
  };
  CHECK(map(k::created, 201) == send_result::kind::accepted);
  CHECK(map(k::http_error, 400) == send_result::kind::permanent);
  CHECK(map(k::http_error, 404) == send_result::kind::permanent);
  CHECK(map(k::http_error, 429) == send_result::kind::retryable);
  CHECK(map(k::http_error, 500) == send_result::kind::retryable);
  CHECK(map(k::http_error, 503) == send_result::kind::retryable);
  CHECK(map(k::no_response, 0) == send_result::kind::retryable);
  CHECK(map(k::timed_out_after_send, 0) == send_result::kind::unknown_outcome);
  CHECK(map(k::timed_out_after_send, 201) == send_result::kind::unknown_outcome);
}
