// Texts to contractors over HTTP, with the fake Twilio (issue #6).

#include <thread>

#include "tests/server/contractor_test_support.hpp"
#include "tests/support/fake_twilio.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string mike_phone = "+13125550199";

std::function<void(app::config&)> twilio_at(const fake_twilio& fake) {
  return [url = fake.base_url()](app::config& c) {
    c.sms_transport = "twilio";
    c.twilio_api_base = url;
  };
}

struct crew_day {
  fake_twilio fake;
  running_server s{twilio_at(fake)};
  tenant_client c{s, s.create_tenant("+15005550006", {{"max_per_second", 100}})};
  int sids = 0;

  crew_day() {
    c.post("/api/v1/contractors", contractor_body("ct_mike", "Mike Snow", mike_phone));
    c.post("/api/v1/properties", property_body("p_walmart", "Walmart Parking Lot", "123 Main St"));
    c.post("/api/v1/properties", property_body("p_target", "Target", "456 Oak Ave"));
    c.post("/api/v1/properties", property_body("p_depot", "Home Depot", "789 Pine Rd"));
    for (auto p : {"p_walmart", "p_target", "p_depot"})
      REQUIRE(c.post(std::string("/api/v1/properties/") + p + "/assignments",
                     {{"contractor_id", "ct_mike"}, {"notify", false}})
                  .status == 201);
    // The webhook reads the directory's projection: let it catch up.
    c.get("/api/v1/contractors/ct_mike?min_position=" +
          std::to_string(s.app().store().last_position()));
  }

  std::string next_sid() {
    char buf[40];
    std::snprintf(buf, sizeof buf, "SM%032d", ++sids);
    return buf;
  }

  /// Texts `body` from `phone` as Twilio would post it; the webhook's status.
  int text(const std::string& body, const std::string& sid, const std::string& phone = mike_phone) {
    return s.post_twilio("/sms/webhook", inbound_form(c.t, phone, body, sid), c.t.auth_token)
        .status;
  }

  /// The bodies Twilio received for `phone`, oldest first, once there are at
  /// least `n` (a few seconds at most).
  std::vector<std::string> received(std::size_t n, const std::string& phone = mike_phone) {
    std::vector<std::string> out;
    for (int i = 0; i < 200; ++i) {
      out.clear();
      for (const auto& m : fake.messages())
        if (m.to == phone) out.push_back(m.body);
      if (out.size() >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return out;
  }
};

}  // namespace

TEST_CASE("a manual text reaches a contractor by id; an unknown or hostile id is 404",
          "[server][tickets][e2e]") {
  crew_day d;
  auto sent = d.c.post("/api/v1/sms/send",
                       {{"contractor_id", "ct_mike"}, {"body", "Plow Target first tonight"}});
  INFO(sent.body);
  REQUIRE(sent.status == 201);
  auto j = json::parse(sent.body);
  CHECK(j["to"] == mike_phone);
  CHECK(j["contractor_id"] == "ct_mike");
  CHECK(d.received(1) == std::vector<std::string>{"Plow Target first tonight"});
  CHECK(d.c.post("/api/v1/sms/send", {{"contractor_id", "ct_nobody"}, {"body", "hi"}}).status ==
        404);
  CHECK(d.c.post("/api/v1/sms/send", {{"contractor_id", "../x:y"}, {"body", "hi"}}).status == 404);
  CHECK(d.c.post("/api/v1/sms/send",
                 {{"contractor_id", "ct_mike"}, {"customer_id", "c_1"}, {"body", "hi"}})
            .status == 400);
}
