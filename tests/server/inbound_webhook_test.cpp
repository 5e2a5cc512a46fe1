// POST /sms/webhook: Twilio's inbound texts, verified, stored once, answered
// only once durable.

#include "tests/server/server_fixture.hpp"

using namespace fl;
using namespace fl::testing;

namespace {
const std::string customer = "+13125550101";
}

TEST_CASE("a signed inbound text is stored durably and answered with empty TwiML", "[webhook]") {
  running_server s;
  auto t = s.create_tenant();
  s.add_customer(t, customer);
  auto r = s.post_twilio(
      "/sms/webhook",
      inbound_form(t, customer, "Is the tech still coming?", "SM" + std::string(32, '1')),
      t.auth_token);
  CHECK(r.status == 200);
  CHECK(r.body.find("<Response/>") != std::string::npos);
  // The answer came after the append: the event is already in the log.
  auto evs = conversation_events(s.app(), t.id, customer);
  REQUIRE(type_names(evs) == std::vector<std::string>{"sms_received"});
  const auto& got = std::get<events::sms_received>(evs[0].data);
  CHECK(got.body == "Is the tech still coming?");
  CHECK(got.from == customer);
  CHECK(got.to == t.number);
  CHECK(got.account_sid == t.account_sid);
}

TEST_CASE("an inbound text with a forged signature gets 403 and nothing is stored", "[webhook]") {
  running_server s;
  auto t = s.create_tenant();
  auto before = s.app().store().last_position();
  auto r =
      s.post_twilio("/sms/webhook", inbound_form(t, customer, "hi", "SM" + std::string(32, '2')),
                    "ffffffffffffffffffffffffffffffff");
  CHECK(r.status == 403);
  CHECK(r.body.find("invalid_signature") != std::string::npos);
  CHECK(s.app().store().last_position() == before);
}

TEST_CASE("an inbound text without a signature gets 403", "[webhook]") {
  running_server s;
  auto t = s.create_tenant();
  auto r = s.post_twilio("/sms/webhook",
                         inbound_form(t, customer, "hi", "SM" + std::string(32, '3')), "");
  CHECK(r.status == 403);
}

TEST_CASE("a signature over a different body is refused", "[webhook]") {
  running_server s;
  auto t = s.create_tenant();
  auto fields = inbound_form(t, customer, "original", "SM" + std::string(32, '4'));
  auto sig = twilio::compute_signature(secret(t.auth_token),
                                       std::string(public_url) + "/sms/webhook", fields);
  fields[10].second = "tampered";  // Body
  auto r = http_request(
      "POST", s.base() + "/sms/webhook", twilio::encode_form(fields),
      {{"X-Twilio-Signature", sig}, {"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(r.status == 403);
}

TEST_CASE("the same MessageSid delivered twice is stored once and answered 200 both times",
          "[webhook]") {
  running_server s;
  auto t = s.create_tenant();
  s.add_customer(t, customer);
  auto form = inbound_form(t, customer, "twice", "SM" + std::string(32, '5'));
  CHECK(s.post_twilio("/sms/webhook", form, t.auth_token).status == 200);
  auto after_first = s.app().store().last_position();
  CHECK(s.post_twilio("/sms/webhook", form, t.auth_token).status == 200);
  CHECK(s.app().store().last_position() == after_first);
  CHECK(conversation_events(s.app(), t.id, customer).size() == 1);
}

TEST_CASE("a duplicated STOP does not queue a second confirmation", "[webhook][opt_out]") {
  running_server s;
  auto t = s.create_tenant();
  auto form = inbound_form(t, customer, "STOP", "SM" + std::string(32, '6'));
  CHECK(s.post_twilio("/sms/webhook", form, t.auth_token).status == 200);
  CHECK(s.post_twilio("/sms/webhook", form, t.auth_token).status == 200);
  auto names = type_names(conversation_events(s.app(), t.id, customer));
  CHECK(std::count(names.begin(), names.end(), "sms_queued") == 1);
}

TEST_CASE("a text to a number no tenant owns gets 404", "[webhook]") {
  running_server s;
  auto t = s.create_tenant();
  auto form = inbound_form(t, customer, "hi", "SM" + std::string(32, '7'));
  for (auto& [k, v] : form)
    if (k == "To") v = "+13125559999";
  auto r = s.post_twilio("/sms/webhook", form, t.auth_token);
  CHECK(r.status == 404);
}

TEST_CASE("an inbound form without From, To or MessageSid gets 400 naming it", "[webhook]") {
  running_server s;
  auto t = s.create_tenant();
  for (std::string missing : {"From", "To", "MessageSid"}) {
    auto form = inbound_form(t, customer, "hi", "SM" + std::string(32, '8'));
    std::erase_if(form, [&](const auto& f) { return f.first == missing; });
    auto r = s.post_twilio("/sms/webhook", form, t.auth_token);
    CHECK(r.status == 400);
    CHECK(r.body.find(missing) != std::string::npos);
  }
}

TEST_CASE("a malformed form body gets 400, not a 5xx", "[webhook]") {
  running_server s;
  s.create_tenant();
  for (std::string body : {"Body=%zz&From=%2B1", "Body=%C3%28", "%", "=&=&&"}) {
    auto r = http_request("POST", s.base() + "/sms/webhook", body,
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
    CHECK(r.status == 400);
  }
}

TEST_CASE("a body over 64 KiB gets 413", "[webhook]") {
  running_server s;
  auto r = http_request("POST", s.base() + "/sms/webhook", "Body=" + std::string(70 * 1024, 'a'),
                        {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(r.status == 413);
}

TEST_CASE("an MMS keeps every media url and content type on the event", "[webhook]") {
  running_server s;
  auto t = s.create_tenant();
  auto form = inbound_form(t, customer, "", "MM" + std::string(32, '9'));
  for (auto& [k, v] : form)
    if (k == "NumMedia") v = "2";
  form.push_back(
      {"MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1"});
  form.push_back({"MediaContentType0", "image/jpeg"});
  form.push_back(
      {"MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2"});
  form.push_back({"MediaContentType1", "image/png"});
  REQUIRE(s.post_twilio("/sms/webhook", form, t.auth_token).status == 200);
  auto evs = conversation_events(s.app(), t.id, customer);
  const auto& got = std::get<events::sms_received>(evs.at(0).data);
  REQUIRE(got.media.size() == 2);
  CHECK(got.media[1].content_type == "image/png");
  CHECK(got.media[0].url.ends_with("ME1"));
}

TEST_CASE("an MMS announcing more media than it carries gets 400", "[webhook]") {
  running_server s;
  auto t = s.create_tenant();
  auto form = inbound_form(t, customer, "", "MM" + std::string(32, 'a'));
  for (auto& [k, v] : form)
    if (k == "NumMedia") v = "1";
  CHECK(s.post_twilio("/sms/webhook", form, t.auth_token).status == 400);
}

TEST_CASE("a Messaging Service inbound to a pool number routes by MessagingServiceSid",
          "[webhook]") {
  running_server s;
  std::string service = "MG" + std::string(32, 'b');
  auto t = s.create_tenant("+15005550006", {{"messaging_service_sid", service}});
  s.add_customer(t, customer);
  auto form = inbound_form(t, customer, "hello pool", "SM" + std::string(32, 'c'));
  for (auto& [k, v] : form)
    if (k == "To") v = "+13125550199";  // a pool number not registered as the tenant's
  form.push_back({"MessagingServiceSid", service});
  REQUIRE(s.post_twilio("/sms/webhook", form, t.auth_token).status == 200);
  auto evs = conversation_events(s.app(), t.id, customer);
  REQUIRE(evs.size() == 1);
  CHECK(std::get<events::sms_received>(evs[0].data).messaging_service_sid == service);
}

TEST_CASE("webhooks for one tenant are verified with that tenant's auth token",
          "[webhook][tenants]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b =
      s.create_tenant("+15005550007", {{"twilio_auth_token", "fedcba9876543210fedcba9876543210"},
                                       {"twilio_account_sid", "AC" + std::string(32, 'b')}});
  b.auth_token = "fedcba9876543210fedcba9876543210";
  b.account_sid = "AC" + std::string(32, 'b');
  // Signed with A's token but addressed to B's number.
  auto r = s.post_twilio(
      "/sms/webhook", inbound_form(b, customer, "hi", "SM" + std::string(32, 'd')), a.auth_token);
  CHECK(r.status == 403);
  CHECK(s.post_twilio("/sms/webhook", inbound_form(b, customer, "hi", "SM" + std::string(32, 'd')),
                      b.auth_token)
            .status == 200);
}

TEST_CASE("an inbound text survives a restart of the server", "[webhook]") {
  temp_dir dir;
  test_tenant t;
  {
    running_server s({}, {}, &dir);
    t = s.create_tenant();
    s.add_customer(t, customer);
    REQUIRE(s.post_twilio("/sms/webhook",
                          inbound_form(t, customer, "before restart", "SM" + std::string(32, 'e')),
                          t.auth_token)
                .status == 200);
  }
  running_server s({}, {}, &dir);
  // The tenant is known again (its auth token too), and the MessageSid still dedupes.
  CHECK(s.post_twilio("/sms/webhook",
                      inbound_form(t, customer, "before restart", "SM" + std::string(32, 'e')),
                      t.auth_token)
            .status == 200);
  CHECK(conversation_events(s.app(), t.id, customer).size() == 1);
}
