// Outbound texts through the real Twilio transport against a fake Twilio REST
// server on loopback: request shape, retries, permanent errors, unknown
// outcomes reconciled, the outbox resumed after a restart.

#include "tests/server/server_fixture.hpp"
#include "tests/support/fake_twilio.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string customer = "+13125550103";

app::assembly_options fast_retries() {
  app::assembly_options o;
  o.retry.base = std::chrono::milliseconds(20);
  o.retry.cap = std::chrono::milliseconds(200);
  o.retry.max_attempts = 4;
  o.rest.request_timeout = std::chrono::milliseconds(500);
  return o;
}

std::function<void(app::config&)> twilio_at(const fake_twilio& fake) {
  return [url = fake.base_url()](app::config& c) {
    c.sms_transport = "twilio";
    c.twilio_api_base = url;
  };
}

std::string send_body(const std::string& body) {
  return json{{"to", customer}, {"body", body}}.dump();
}

bool has_event(app::assembly& a, const test_tenant& t, std::string_view type) {
  auto names = type_names(conversation_events(a, t.id, customer));
  return std::find(names.begin(), names.end(), type) != names.end();
}

std::size_t posts(const fake_twilio& fake) {
  std::size_t n = 0;
  for (const auto& r : fake.requests()) n += r.method == "POST";
  return n;
}

}  // namespace

TEST_CASE("a manual text reaches Twilio's Messages API in Twilio's shape and its sid is recorded",
          "[outbound][twilio]") {
  fake_twilio fake;
  running_server s(twilio_at(fake), fast_retries());
  auto t = s.create_tenant();
  REQUIRE(
      s.post_json("/api/v1/sms/send", send_body("Your technician is 15 minutes away"), t.api_token)
          .status == 201);
  REQUIRE(eventually([&] { return has_event(s.app(), t, "sms_sent"); }));
  auto reqs = fake.requests();
  REQUIRE(reqs.size() == 1);
  const auto& r = reqs[0];
  CHECK(r.method == "POST");
  CHECK(r.path == "/2010-04-01/Accounts/" + t.account_sid + "/Messages.json");
  CHECK(r.header("authorization").starts_with("Basic "));
  CHECK(r.header("content-type").starts_with("application/x-www-form-urlencoded"));
  CHECK(r.field("To") == customer);
  CHECK(r.field("From") == t.number);
  CHECK(r.field("Body") == "Your technician is 15 minutes away");
  CHECK(r.field("StatusCallback") == std::string(public_url) + "/sms/status");
  auto evs = conversation_events(s.app(), t.id, customer);
  CHECK(std::get<events::sms_sent>(evs.at(1).data).message_sid == fake.messages().at(0).sid);
}

TEST_CASE("Twilio's 500 and 503 are retried until it accepts, and the text is created once",
          "[outbound][twilio]") {
  fake_twilio fake;
  fake.enqueue(canned_response::twilio_error(500, 20500, "Internal Server Error"));
  fake.enqueue(canned_response::twilio_error(503, 20503, "Service Unavailable"));
  running_server s(twilio_at(fake), fast_retries());
  auto t = s.create_tenant();
  REQUIRE(s.post_json("/api/v1/sms/send", send_body("retry me"), t.api_token).status == 201);
  REQUIRE(eventually([&] { return has_event(s.app(), t, "sms_sent"); }));
  CHECK(posts(fake) == 3);
  CHECK(fake.messages().size() == 1);
  CHECK_FALSE(has_event(s.app(), t, "sms_failed"));
}

TEST_CASE("a 429 is retried after Twilio's Retry-After", "[outbound][twilio]") {
  fake_twilio fake;
  fake.enqueue(
      canned_response::twilio_error(429, 20429, "Too Many Requests", {{"Retry-After", "1"}}));
  running_server s(twilio_at(fake), fast_retries());
  auto t = s.create_tenant();
  auto started = std::chrono::steady_clock::now();
  REQUIRE(s.post_json("/api/v1/sms/send", send_body("slow down"), t.api_token).status == 201);
  REQUIRE(eventually([&] { return has_event(s.app(), t, "sms_sent"); }));
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(900));
  CHECK(posts(fake) == 2);
}

TEST_CASE("21610 from Twilio fails the text for good and opts the number out",
          "[outbound][opt_out]") {
  fake_twilio fake;
  fake.enqueue(
      canned_response::twilio_error(400, 21610, "Attempt to send to unsubscribed recipient"));
  running_server s(twilio_at(fake), fast_retries());
  auto t = s.create_tenant();
  REQUIRE(s.post_json("/api/v1/sms/send", send_body("hello?"), t.api_token).status == 201);
  REQUIRE(eventually([&] { return has_event(s.app(), t, "opted_out"); }));
  auto evs = conversation_events(s.app(), t.id, customer);
  const auto* failed = std::get_if<events::sms_failed>(&evs.at(1).data);
  REQUIRE(failed);
  CHECK(failed->error_code == 21610);
  CHECK(failed->permanent);
  CHECK(posts(fake) == 1);
  CHECK(s.post_json("/api/v1/sms/send", send_body("again"), t.api_token).status == 409);
  CHECK(posts(fake) == 1);
}

TEST_CASE("21211 invalid number fails the text at once and is never retried",
          "[outbound][twilio]") {
  fake_twilio fake;
  fake.enqueue(
      canned_response::twilio_error(400, 21211, "The 'To' number is not a valid phone number."));
  running_server s(twilio_at(fake), fast_retries());
  auto t = s.create_tenant();
  REQUIRE(s.post_json("/api/v1/sms/send", send_body("x"), t.api_token).status == 201);
  REQUIRE(eventually([&] { return has_event(s.app(), t, "sms_failed"); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(posts(fake) == 1);
  CHECK_FALSE(has_event(s.app(), t, "opted_out"));
}

TEST_CASE("a timeout after the request reached Twilio is reconciled, never resent blind",
          "[outbound][twilio]") {
  fake_twilio fake;
  // Twilio creates the message but answers too late for our timeout.
  fake.enqueue(canned_response::hang_for(std::chrono::milliseconds(1500), true));
  running_server s(twilio_at(fake), fast_retries());
  auto t = s.create_tenant();
  REQUIRE(s.post_json("/api/v1/sms/send", send_body("did it go?"), t.api_token).status == 201);
  REQUIRE(eventually([&] { return has_event(s.app(), t, "sms_sent"); }));
  CHECK(posts(fake) == 1);
  REQUIRE(fake.messages().size() == 1);
  auto evs = conversation_events(s.app(), t.id, customer);
  CHECK(std::get<events::sms_sent>(evs.at(1).data).message_sid == fake.messages()[0].sid);
  bool looked_up = false;
  for (const auto& r : fake.requests()) looked_up |= r.method == "GET";
  CHECK(looked_up);
}

TEST_CASE("a timeout where Twilio created nothing is resent after the lookup finds nothing",
          "[outbound][twilio]") {
  fake_twilio fake;
  fake.enqueue(canned_response::hang_for(std::chrono::milliseconds(1500), false));
  running_server s(twilio_at(fake), fast_retries());
  auto t = s.create_tenant();
  REQUIRE(s.post_json("/api/v1/sms/send", send_body("try again"), t.api_token).status == 201);
  REQUIRE(eventually([&] { return has_event(s.app(), t, "sms_sent"); }));
  CHECK(posts(fake) == 2);
  CHECK(fake.messages().size() == 1);
}

TEST_CASE("after a restart, texts queued but never sent are resumed", "[outbound][restart]") {
  temp_dir dir;
  test_tenant t;
  {
    fake_twilio down;
    // Twilio never answers and creates nothing; the server stops meanwhile.
    for (int i = 0; i < 10; ++i)
      down.enqueue(canned_response::hang_for(std::chrono::seconds(30), false));
    auto o = fast_retries();
    o.rest.request_timeout = std::chrono::seconds(20);
    running_server s(twilio_at(down), o, &dir);
    t = s.create_tenant();
    REQUIRE(s.post_json("/api/v1/sms/send", send_body("survive a restart"), t.api_token).status ==
            201);
    REQUIRE(down.wait_for_requests(1, std::chrono::seconds(5)));
  }
  fake_twilio up;
  running_server s(twilio_at(up), fast_retries(), &dir);
  REQUIRE(eventually([&] { return has_event(s.app(), t, "sms_sent"); }));
  CHECK(up.messages().size() == 1);
  CHECK(up.messages()[0].body == "survive a restart");
  auto names = type_names(conversation_events(s.app(), t.id, customer));
  CHECK(std::count(names.begin(), names.end(), "sms_queued") == 1);
}

TEST_CASE("a text queued before the recipient's STOP is not sent after it", "[outbound][opt_out]") {
  fake_twilio fake;
  fake.enqueue(
      canned_response::twilio_error(429, 20429, "Too Many Requests", {{"Retry-After", "1"}}));
  running_server s(twilio_at(fake), fast_retries());
  auto t = s.create_tenant();
  REQUIRE(s.post_json("/api/v1/sms/send", send_body("see you tomorrow"), t.api_token).status ==
          201);
  REQUIRE(fake.wait_for_requests(1, std::chrono::seconds(5)));
  // While the text waits for its retry, the customer texts STOP.
  REQUIRE(s.post_twilio("/sms/webhook",
                        inbound_form(t, customer, "STOP", "SM" + std::string(32, '7')),
                        t.auth_token)
              .status == 200);
  REQUIRE(eventually([&] {
    auto evs = conversation_events(s.app(), t.id, customer);
    return std::count_if(evs.begin(), evs.end(),
                         [](const auto& e) {
                           return std::holds_alternative<events::sms_failed>(e.data);
                         }) == 1 &&
           std::count_if(evs.begin(), evs.end(), [](const auto& e) {
             return std::holds_alternative<events::sms_sent>(e.data);
           }) == 1;
  }));
  // Only the opt-out confirmation reached Twilio after the first, refused try.
  auto reqs = fake.requests();
  std::vector<std::string> bodies;
  for (const auto& r : reqs)
    if (r.method == "POST") bodies.push_back(r.field("Body"));
  REQUIRE(bodies.size() == 2);
  CHECK(bodies[0] == "see you tomorrow");
  CHECK(bodies[1].find("unsubscribed") != std::string::npos);
}
