// twilio::rest_client::list against the fake Twilio, and Twilio's dates.

#include <catch2/catch.hpp>

#include <string>

#include "base/timestamp.hpp"
#include "tests/outbound/outbound_test_support.hpp"
#include "tests/support/fake_twilio.hpp"
#include "twilio/rest_client.hpp"

#include "net/http_date.hpp"

using namespace fl::testing;
using fl::net::parse_rfc2822;
using fl::twilio::format_utc_date;
using fl::twilio::message_lookup;
using fl::twilio::rest_client;

namespace {

message_lookup sample_lookup() {
  return {test_credentials(), "+15558675310", "+15005550006",
          *fl::parse_rfc3339("2026-11-23T23:30:00-05:00")};
}

std::string rfc3339(std::optional<fl::timestamp> t) {
  return t ? fl::format_rfc3339_utc(*t) : "none";
}

}  // namespace

TEST_CASE(
    "list asks Messages.json for To, From and a page size, without a DateSent filter that would "
    "hide queued messages",
    "[twilio_rest]") {
  fake_twilio fake;
  rest_client client(options_for(fake.base_url()));
  REQUIRE(list_and_wait(client, sample_lookup()));

  auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  const auto& r = requests[0];
  CHECK(r.method == "GET");
  CHECK(r.path == "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json");
  CHECK(r.query == "To=%2B15558675310&From=%2B15005550006&PageSize=100");
  CHECK(r.query_fields == fl::twilio::form_fields{{"To", "+15558675310"},
                                                  {"From", "+15005550006"},
                                                  {"PageSize", "100"}});
  CHECK(r.header("authorization").rfind("Basic ", 0) == 0);
  CHECK(r.body.empty());
}

TEST_CASE("list parses Twilio's messages and their dates", "[twilio_rest]") {
  fake_twilio fake;
  fake.add_message({"SM00000000000000000000000000000001", test_account, "+15558675310",
                    "+15005550006", "", "first", "delivered", "Mon, 23 Nov 2026 18:00:00 +0000"});
  fake.add_message({"SM00000000000000000000000000000002", test_account, "+15558675310",
                    "+15005550006", "", "second 👍", "queued", "Tue, 24 Nov 2026 04:31:07 +0000"});
  fake.add_message({"SM00000000000000000000000000000003", test_account, "+15550000000",
                    "+15005550006", "", "someone else", "sent", "Tue, 24 Nov 2026 04:32:00 +0000"});
  rest_client client(options_for(fake.base_url()));
  auto listed = list_and_wait(client, sample_lookup());
  REQUIRE(listed);
  REQUIRE(listed->size() == 2);
  const auto& newest = (*listed)[0];
  CHECK(newest.sid == "SM00000000000000000000000000000002");
  CHECK(newest.status == "queued");
  CHECK(newest.to == "+15558675310");
  CHECK(newest.from == "+15005550006");
  CHECK(newest.body == "second 👍");
  CHECK(rfc3339(newest.date_created) == "2026-11-24T04:31:07.000000+00:00");
  CHECK(rfc3339((*listed)[1].date_created) == "2026-11-23T18:00:00.000000+00:00");
}

TEST_CASE("list reads null fields as empty", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::with_body(
      200, R"({"messages": [{"sid": "SM0123", "status": "queued", "to": "+15558675310",
               "from": null, "body": null, "date_created": null}], "next_page_uri": null})"));
  rest_client client(options_for(fake.base_url()));
  auto listed = list_and_wait(client, sample_lookup());
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].from.empty());
  CHECK((*listed)[0].body.empty());
  CHECK_FALSE((*listed)[0].date_created);
}

TEST_CASE("list reports Twilio's error answer with status, message and code", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::twilio_error(401, 20003, "Authenticate"));
  rest_client client(options_for(fake.base_url()));
  auto listed = list_and_wait(client, sample_lookup());
  REQUIRE_FALSE(listed);
  CHECK(listed.error() == "Twilio answered 401: Authenticate (code 20003)");
}

TEST_CASE("list reports hostile answers as errors", "[twilio_rest]") {
  fake_twilio fake;
  fake.enqueue(canned_response::with_body(200, "not json at all"));
  fake.enqueue(canned_response::with_body(200, R"({"messages": [{"sid": "SM01")"));
  fake.enqueue(canned_response::with_body(200, R"({"page": 0})"));
  fake.enqueue(canned_response::with_body(200, R"({"messages": [{"status": "sent"}]})"));
  fake.enqueue(canned_response::with_body(200, R"({"messages": [7]})"));
  fake.enqueue(canned_response::with_body(200, std::string(3 << 20, ' ')));
  auto options = options_for(fake.base_url());
  options.max_response_bytes = 1 << 20;
  rest_client client(options);
  auto error_of = [&] {
    auto listed = list_and_wait(client, sample_lookup());
    REQUIRE_FALSE(listed);
    return listed.error();
  };
  CHECK(error_of() == "list answer is not JSON: not json at all");
  CHECK(error_of().find("not JSON") != std::string::npos);
  CHECK(error_of().find("no messages array") != std::string::npos);
  CHECK(error_of().find("without a usable sid") != std::string::npos);
  CHECK(error_of() == "list answer holds a non-object message");
  CHECK(error_of().find("larger than 1048576 bytes") != std::string::npos);
}

TEST_CASE("list reports no answer as an error", "[twilio_rest]") {
  rest_client client(options_for("http://127.0.0.1:" + std::to_string(closed_port())));
  auto listed = list_and_wait(client, sample_lookup());
  REQUIRE_FALSE(listed);
  CHECK(listed.error().rfind("no answer from Twilio: ", 0) == 0);
  CHECK(listed.error().find(test_token) == std::string::npos);
}

TEST_CASE("parse_rfc2822 reads Twilio's dates and zone offsets", "[twilio_rest]") {
  CHECK(rfc3339(parse_rfc2822("Mon, 23 Nov 2026 18:00:00 +0000")) ==
        "2026-11-23T18:00:00.000000+00:00");
  CHECK(rfc3339(parse_rfc2822("Mon, 23 Nov 2026 18:00:00 -0500")) ==
        "2026-11-23T23:00:00.000000+00:00");
  CHECK(rfc3339(parse_rfc2822("Thu, 24 Aug 2023 05:01:45 +0530")) ==
        "2023-08-23T23:31:45.000000+00:00");
  CHECK(rfc3339(parse_rfc2822("1 Jan 2024 00:00:00 GMT")) == "2024-01-01T00:00:00.000000+00:00");
  CHECK(rfc3339(parse_rfc2822("Sun, 06 Nov 1994 08:49:37 GMT")) ==
        "1994-11-06T08:49:37.000000+00:00");
  CHECK(rfc3339(parse_rfc2822("Thu, 29 Feb 2024 12:30 UTC")) == "2024-02-29T12:30:00.000000+00:00");
}

TEST_CASE("parse_rfc2822 refuses malformed dates", "[twilio_rest]") {
  for (const char* bad :
       {"", "Mon, 23 Nov 2026", "Mon, 31 Feb 2026 18:00:00 +0000",
        "Mon, 23 Foo 2026 18:00:00 +0000", "Mon, 23 Nov 2026 25:00:00 +0000",
        "Mon, 23 Nov 2026 18:60:00 +0000", "Mon, 23 Nov 2026 18:00:00 +0075",
        "Mon, 23 Nov 2026 18:00:00 +0000 trailing", "Mon 23 Nov 2026 18:00:00 +0000",
        "2026-11-23T18:00:00Z", "Mon, 23 Nov 26 18:00:00 +0000", "Mon, 23 Nov 2026 18:00:00 EST"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc2822(bad));
  }
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date, and nothing else", "[twilio_rest]") {
  using std::chrono::milliseconds;
  auto now = *fl::parse_rfc3339("2026-11-23T18:00:00Z");
  CHECK(fl::net::parse_retry_after(" 2\r\n", now) == milliseconds(2000));
  CHECK(fl::net::parse_retry_after("0", now) == milliseconds(0));
  CHECK(fl::net::parse_retry_after("Mon, 23 Nov 2026 18:00:30 GMT", now) == milliseconds(30000));
  // A date already past means now, not a negative wait.
  CHECK(fl::net::parse_retry_after("Mon, 23 Nov 2026 17:00:00 GMT", now) == milliseconds(0));
  CHECK(fl::net::parse_retry_after("9999999999", now) == std::chrono::hours(24 * 365));
  for (const char* bad : {"", "soon", "-5", "1.5", "2 s"}) {
    INFO(bad);
    CHECK_FALSE(fl::net::parse_retry_after(bad, now));
  }
}

TEST_CASE("format_utc_date gives the UTC day of a time", "[twilio_rest]") {
  CHECK(format_utc_date(*fl::parse_rfc3339("2026-11-23T18:00:00Z")) == "2026-11-23");
  CHECK(format_utc_date(*fl::parse_rfc3339("2026-11-23T23:30:00-05:00")) == "2026-11-24");
  CHECK(format_utc_date(*fl::parse_rfc3339("2027-01-01T00:00:00Z")) == "2027-01-01");
}
