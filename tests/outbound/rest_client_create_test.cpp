// twilio::rest_client::create against the fake Twilio over loopback: the
// request it sends and how each kind of answer (or silence) is reported.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <string>
#include <thread>

#include "tests/outbound/outbound_test_support.hpp"
#include "tests/support/fake_twilio.hpp"
#include "twilio/rest_client.hpp"

using namespace fl::testing;
using fl::twilio::create_result;
using fl::twilio::rest_client;
using kind = create_result::kind;

namespace {

/// "Basic " + base64("AC…:token"), computed independently of libcurl.
std::string expected_basic_auth() {
  static constexpr char table[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string in = std::string(test_account) + ":" + test_token, out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += i + 1 < in.size() ? table[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? table[n & 63] : '=';
  }
  return "Basic " + out;
}

}  // namespace

TEST_CASE("create posts a form to the account's Messages.json with basic auth", "[twilio_rest]") {
  fake_twilio fake;
  rest_client client(options_for(fake.base_url()));
  auto message = sample_message();
  message.body = "Café at 5 & bring 100% of the salt + a shovel 👍";
  auto result = create_and_wait(client, message);
  REQUIRE(result.outcome == kind::created);

  auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  const auto& r = requests[0];
  CHECK(r.method == "POST");
  CHECK(r.path == "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json");
  CHECK(r.query.empty());
  CHECK(r.header("authorization") == expected_basic_auth());
  CHECK(r.header("content-type") == "application/x-www-form-urlencoded");
  CHECK(r.header("accept") == "application/json");
  CHECK(r.form == fl::twilio::form_fields{{"To", "+15558675310"},
                                          {"From", "+15005550006"},
                                          {"Body", message.body},
                                          {"StatusCallback", "https://fl.example.com/sms/status"}});
}

TEST_CASE("create sends MessagingServiceSid instead of From when one is given", "[twilio_rest]") {
  fake_twilio fake;
  rest_client client(options_for(fake.base_url()));
  auto message = sample_message();
  message.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  REQUIRE(create_and_wait(client, message).outcome == kind::created);

  auto r = fake.requests().at(0);
  CHECK(r.field("MessagingServiceSid") == "MG0123456789abcdef0123456789abcdef");
  CHECK_FALSE(r.has_field("From"));
  CHECK(r.field("To") == "+15558675310");
}

TEST_CASE("create leaves out fields it has no value for", "[twilio_rest]") {
  fake_twilio fake;
  rest_client client(options_for(fake.base_url()));
  auto message = sample_message();
  message.status_callback.clear();
  REQUIRE(create_and_wait(client, message).outcome == kind::created);
  auto r = fake.requests().at(0);
  CHECK_FALSE(r.has_field("StatusCallback"));
  CHECK_FALSE(r.has_field("MessagingServiceSid"));
}

TEST_CASE("create reports a 201 answer as created with Twilio's sid and status", "[twilio_rest]") {
  fake_twilio fake;
  rest_client client(options_for(fake.base_url()));
  auto result = create_and_wait(client, sample_message());
  REQUIRE(result.outcome == kind::created);
  CHECK(result.http_status == 201);
  CHECK(result.status == "queued");
  auto held = fake.messages();
  REQUIRE(held.size() == 1);
  CHECK(result.sid == held[0].sid);
  CHECK(result.error_message.empty());
}

TEST_CASE("create returns at once and calls back on the client's own thread", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::hang_for(300ms));
  rest_client client(options_for(fake.base_url()));
  awaited<std::thread::id> called_on;
  auto before = std::chrono::steady_clock::now();
  client.create(sample_message(),
                [cb = called_on.callback()](create_result) { cb(std::this_thread::get_id()); });
  CHECK(std::chrono::steady_clock::now() - before < 100ms);
  CHECK(called_on.get() != std::this_thread::get_id());
}

TEST_CASE("create reports Twilio's 21211 invalid To as an http error with the code",
          "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::twilio_error(400, 21211,
                                             "The 'To' number +1555 is not a valid phone number."));
  rest_client client(options_for(fake.base_url()));
  auto result = create_and_wait(client, sample_message());
  CHECK(result.outcome == kind::http_error);
  CHECK(result.http_status == 400);
  CHECK(result.error_code == 21211);
  CHECK(result.error_message == "The 'To' number +1555 is not a valid phone number.");
  CHECK(result.sid.empty());
}

TEST_CASE("create reports Twilio's 21610 unsubscribed recipient with its code and message",
          "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(
      canned_response::twilio_error(400, 21610, "Attempt to send to unsubscribed recipient"));
  rest_client client(options_for(fake.base_url()));
  auto result = create_and_wait(client, sample_message());
  CHECK(result.outcome == kind::http_error);
  CHECK(result.error_code == 21610);
  CHECK(result.error_message == "Attempt to send to unsubscribed recipient");
}

TEST_CASE("create reads Retry-After in seconds from a 429 answer", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(
      canned_response::twilio_error(429, 20429, "Too Many Requests", {{"Retry-After", "7"}}));
  rest_client client(options_for(fake.base_url()));
  auto result = create_and_wait(client, sample_message());
  CHECK(result.outcome == kind::http_error);
  CHECK(result.http_status == 429);
  CHECK(result.error_code == 20429);
  REQUIRE(result.retry_after);
  CHECK(*result.retry_after == 7s);
}

TEST_CASE("create reads Retry-After given as an HTTP date", "[twilio_rest]") {
  fake_twilio fake;
  std::time_t later = std::time(nullptr) + 30;
  std::tm utc{};
  gmtime_r(&later, &utc);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  fake.enqueue(
      canned_response::twilio_error(429, 20429, "Too Many Requests", {{"Retry-After", date}}));
  rest_client client(options_for(fake.base_url()));
  auto result = create_and_wait(client, sample_message());
  REQUIRE(result.retry_after);
  CHECK(*result.retry_after > 25s);
  CHECK(*result.retry_after <= 30s);
}

TEST_CASE("create reports 500 and 503 answers as http errors with their status", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::twilio_error(500, 20500, "Internal Server Error"));
  fake.enqueue(canned_response::with_body(503, "<html>Service Unavailable</html>",
                                          {{"Content-Type", "text/html"}}));
  rest_client client(options_for(fake.base_url()));
  auto first = create_and_wait(client, sample_message());
  CHECK(first.outcome == kind::http_error);
  CHECK(first.http_status == 500);
  CHECK(first.error_code == 20500);
  auto second = create_and_wait(client, sample_message());
  CHECK(second.outcome == kind::http_error);
  CHECK(second.http_status == 503);
  CHECK_FALSE(second.error_code);
  CHECK(second.error_message == "HTTP 503: <html>Service Unavailable</html>");
}

TEST_CASE("create reports a refused connection as no response", "[twilio_rest]") {
  rest_client client(options_for("http://127.0.0.1:" + std::to_string(closed_port())));
  auto result = create_and_wait(client, sample_message());
  CHECK(result.outcome == kind::no_response);
  CHECK(result.http_status == 0);
  CHECK_FALSE(result.error_message.empty());
  CHECK(result.error_message.find(test_token) == std::string::npos);
}

TEST_CASE("create reports a connect timeout as no response", "[twilio_rest]") {
  unaccepting_listener listener;
  auto options = options_for("http://127.0.0.1:" + std::to_string(listener.port()));
  options.connect_timeout = 300ms;
  rest_client client(options);
  auto result = create_and_wait(client, sample_message());
  CHECK(result.outcome == kind::no_response);
  INFO(result.error_message);
  // libcurl words it "Timeout was reached" or "Connection timeout after N ms"
  // depending on which of its timers fires first.
  std::string message = result.error_message;
  std::transform(message.begin(), message.end(), message.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  CHECK(message.find("timeout") != std::string::npos);
}

TEST_CASE("create reports an answer that never comes as timed out after send", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::hang_for(3s));
  auto options = options_for(fake.base_url());
  options.request_timeout = 400ms;
  rest_client client(options);
  auto before = std::chrono::steady_clock::now();
  auto result = create_and_wait(client, sample_message());
  CHECK(std::chrono::steady_clock::now() - before < 2s);
  CHECK(result.outcome == kind::timed_out_after_send);
  CHECK(result.http_status == 0);
  CHECK(fake.messages().size() == 1);  // Twilio did create it
}

TEST_CASE("create reports a connection closed without an answer as timed out after send",
          "[twilio_rest]") {
  fake_twilio fake;
  rest_client client(options_for(fake.base_url()));
  REQUIRE(create_and_wait(client, sample_message()).outcome == kind::created);
  fake.enqueue(canned_response::close());
  auto result = create_and_wait(client, sample_message());
  CHECK(result.outcome == kind::timed_out_after_send);
  // libcurl did not quietly send the create again on a new connection.
  std::this_thread::sleep_for(100ms);
  CHECK(fake.request_count() == 2);
  CHECK(fake.messages().size() == 2);
}

TEST_CASE(
    "with connection reuse allowed libcurl resends a create whose connection closed "
    "unanswered, which is why creates use fresh connections",
    "[twilio_rest]") {
  fake_twilio fake;
  auto options = options_for(fake.base_url());
  options.reuse_connections_for_create = true;
  rest_client client(options);
  REQUIRE(create_and_wait(client, sample_message()).outcome == kind::created);
  fake.enqueue(canned_response::close());
  auto result = create_and_wait(client, sample_message());
  // The duplicate: the closed request created a message, the resent one too.
  CHECK(result.outcome == kind::created);
  CHECK(fake.request_count() == 3);
  CHECK(fake.messages().size() == 3);
}

TEST_CASE("create reports a 201 answer that is not JSON as timed out after send", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::with_body(201, "<html>Created</html>"));
  rest_client client(options_for(fake.base_url()));
  auto result = create_and_wait(client, sample_message());
  CHECK(result.outcome == kind::timed_out_after_send);
  CHECK(result.http_status == 201);
  CHECK(result.error_message ==
        "Twilio answered 201 with a body that is not JSON: <html>Created</html>");
}

TEST_CASE("create reports a 201 answer with truncated JSON as timed out after send",
          "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::with_body(201, R"({"sid": "SM0123456789abcdef01234567)"));
  rest_client client(options_for(fake.base_url()));
  auto result = create_and_wait(client, sample_message());
  CHECK(result.outcome == kind::timed_out_after_send);
  CHECK(result.sid.empty());
  CHECK(result.error_message.find("not JSON") != std::string::npos);
}

TEST_CASE("create reports a 201 answer without a sid as timed out after send", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::with_body(201, R"({"status": "queued"})"));
  fake.enqueue(canned_response::with_body(201, R"({"sid": 12, "status": "queued"})"));
  fake.enqueue(canned_response::with_body(201, R"(["SM0123"])"));
  rest_client client(options_for(fake.base_url()));
  auto missing = create_and_wait(client, sample_message());
  CHECK(missing.outcome == kind::timed_out_after_send);
  CHECK(missing.error_message.find("without a message sid") != std::string::npos);
  auto wrong_type = create_and_wait(client, sample_message());
  CHECK(wrong_type.outcome == kind::timed_out_after_send);
  CHECK(wrong_type.error_message.find("unusable sid") != std::string::npos);
  auto array = create_and_wait(client, sample_message());
  CHECK(array.outcome == kind::timed_out_after_send);
  CHECK(array.error_message.find("not an object") != std::string::npos);
}

TEST_CASE("create refuses an answer body larger than its limit", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::with_body(201, std::string(2 << 20, 'x')));
  fake.enqueue(canned_response::with_body(500, std::string(2 << 20, 'y')));
  auto options = options_for(fake.base_url());
  options.max_response_bytes = 64 * 1024;
  rest_client client(options);
  auto created = create_and_wait(client, sample_message());
  CHECK(created.outcome == kind::timed_out_after_send);
  CHECK(created.error_message.find("larger than 65536 bytes") != std::string::npos);
  auto failed = create_and_wait(client, sample_message());
  CHECK(failed.outcome == kind::http_error);
  CHECK(failed.http_status == 500);
  CHECK(failed.error_message.size() < 400);
}

TEST_CASE("create survives deeply nested and binary answers", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(
      canned_response::with_body(201, std::string(100000, '[') + std::string(100000, ']')));
  fake.enqueue(canned_response::with_body(400, std::string("\x01\xff\xfe{\"code\":\0", 12)));
  rest_client client(options_for(fake.base_url()));
  auto nested = create_and_wait(client, sample_message());
  CHECK(nested.outcome == kind::timed_out_after_send);
  auto binary = create_and_wait(client, sample_message());
  CHECK(binary.outcome == kind::http_error);
  CHECK(binary.error_message == "HTTP 400: ???{\"code\":?");
}

TEST_CASE("create never puts the auth token into an error message", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::twilio_error(
      401, 20003, std::string("Authenticate: bad token ") + test_token + " for " + test_account));
  fake.enqueue(canned_response::with_body(502, std::string("echo ") + test_token));
  rest_client client(options_for(fake.base_url()));
  auto json_error = create_and_wait(client, sample_message());
  CHECK(json_error.error_code == 20003);
  CHECK(json_error.error_message.find(test_token) == std::string::npos);
  CHECK(json_error.error_message.find("[redacted]") != std::string::npos);
  auto text_error = create_and_wait(client, sample_message());
  CHECK(text_error.error_message.find(test_token) == std::string::npos);
}
