// The seed's contractor dialogue end to end over HTTP, with the fake Twilio
// (issue #6): a crew lead assigned three properties texts START, picks one,
// reports work in plain words, and texts DONE. Every webhook is signed as
// Twilio signs it; every answer is read where Twilio received it.

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

  /// Texts `body` and returns the one new answer Twilio received.
  std::string exchange(const std::string& body) {
    auto before = received(0).size();
    REQUIRE(text(body, next_sid()) == 200);
    auto after = received(before + 1);
    REQUIRE(after.size() == before + 1);
    return after.back();
  }
};

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the seed's dialogue: START, a property by number, details, DONE",
          "[server][tickets][e2e]") {
  crew_day d;
  auto listed = d.exchange("START");
  CHECK(contains(listed, "Which property?"));
  CHECK(contains(listed, "1. Walmart Parking Lot - 123 Main St"));
  CHECK(contains(listed, "3. Home Depot - 789 Pine Rd"));

  CHECK(contains(d.exchange("1"), "Ticket started for Walmart Parking Lot!"));
  CHECK(contains(d.exchange("Skid steer, 5 bags, icy conditions"), "Ticket updated!"));
  CHECK(contains(d.exchange("Loader 2 yards bulk 3 bags calcium"), "Ticket updated!"));
  CHECK(contains(d.exchange("DONE"), "Ticket completed for Walmart Parking Lot!"));

  // The session is idle again, and says so on the conversation list.
  auto session = d.c.get("/api/v1/sms/messages?contractor_id=ct_mike&limit=100&min_position=" +
                         std::to_string(d.s.app().store().last_position()));
  std::size_t inbound = 0, with_reading = 0;
  for (const auto& m : session["items"]) {
    if (m["direction"] != "inbound") continue;
    ++inbound;
    if (m["ai_interpretation"].is_object()) ++with_reading;
  }
  CHECK(inbound == 5);
  CHECK(with_reading == 5);
}

TEST_CASE("a contractor's reading is shown on their inbound text", "[server][tickets][e2e]") {
  crew_day d;
  d.exchange("START");
  d.exchange("Target");
  auto sid = d.next_sid();
  REQUIRE(d.text("Plow truck 3 yards salt", sid) == 200);
  d.received(3);
  auto messages = d.c.get("/api/v1/sms/messages?contractor_id=ct_mike&limit=100&min_position=" +
                          std::to_string(d.s.app().store().last_position()));
  json reading;
  for (const auto& m : messages["items"])
    if (m["sid"] == sid) reading = m["ai_interpretation"];
  REQUIRE(reading.is_object());
  CHECK(reading["intent"] == "provide_details");
  CHECK(reading["interpreter"] == "rules");
  CHECK(reading["equipment"] == json::array({"plow truck"}));
  CHECK(reading["bulk_salt"]["quantity"] == 3);
  CHECK(reading["bulk_salt"]["unit"] == "yards");
}

TEST_CASE("HELP from a contractor gets the ticket help, not the compliance text",
          "[server][tickets][e2e]") {
  crew_day d;
  auto help = d.exchange("HELP");
  CHECK(contains(help, "START - Begin a new ticket"));
  CHECK(contains(help, "DONE - Complete current ticket"));
  // Exactly one answer: nothing more arrives.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(d.received(0).size() == 1);
}

TEST_CASE("a retried webhook changes nothing and texts nothing twice", "[server][tickets][e2e]") {
  crew_day d;
  d.exchange("START");
  d.exchange("2");
  auto sid = d.next_sid();
  REQUIRE(d.text("5 bags", sid) == 200);
  REQUIRE(d.received(3).size() == 3);
  REQUIRE(d.text("5 bags", sid) == 200);
  REQUIRE(d.text("5 bags", sid) == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(d.received(0).size() == 3);
  auto stored = d.s.app().store().read_stream("ticket-session:" + d.c.t.id + ":ct_mike");
  REQUIRE(stored);
  int added = 0;
  for (const auto& r : *stored)
    if (std::holds_alternative<events::ticket_details_added>(r.data)) ++added;
  CHECK(added == 1);
}

TEST_CASE("a ticket started before a restart is completed after it", "[server][tickets][e2e]") {
  temp_dir dir;
  fake_twilio fake;
  std::string tenant_token;
  test_tenant tenant;
  {
    running_server s{twilio_at(fake), {}, &dir};
    tenant_client c{s, s.create_tenant("+15005550006", {{"max_per_second", 100}})};
    tenant = c.t;
    c.post("/api/v1/contractors", contractor_body("ct_mike", "Mike Snow", mike_phone));
    c.post("/api/v1/properties", property_body("p_target", "Target", "456 Oak Ave"));
    c.post("/api/v1/properties/p_target/assignments",
           {{"contractor_id", "ct_mike"}, {"notify", false}});
    c.get("/api/v1/contractors/ct_mike?min_position=" +
          std::to_string(s.app().store().last_position()));
    REQUIRE(
        s.post_twilio("/sms/webhook", inbound_form(c.t, mike_phone, "START", "SM1"), c.t.auth_token)
            .status == 200);
  }
  running_server s{twilio_at(fake), {}, &dir};
  REQUIRE(s.post_twilio("/sms/webhook", inbound_form(tenant, mike_phone, "DONE 5 bags", "SM2"),
                        tenant.auth_token)
              .status == 200);
  std::vector<std::string> bodies;
  for (int i = 0; i < 200 && bodies.size() < 2; ++i) {
    bodies.clear();
    for (const auto& m : fake.messages())
      if (m.to == mike_phone) bodies.push_back(m.body);
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  REQUIRE(bodies.size() == 2);
  CHECK(contains(bodies[0], "Ticket started for Target!"));
  CHECK(contains(bodies[1], "Ticket completed for Target!"));
}

TEST_CASE("a number nobody knows is told once that it is not registered",
          "[server][tickets][e2e]") {
  crew_day d;
  const std::string stranger = "+13125550777";
  REQUIRE(d.text("START", d.next_sid(), stranger) == 200);
  auto told = d.received(1, stranger);
  REQUIRE(told.size() == 1);
  CHECK(contains(told[0], "not registered"));
  REQUIRE(d.text("START", d.next_sid(), stranger) == 200);
  REQUIRE(d.text("hello?", d.next_sid(), stranger) == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(d.received(0, stranger).size() == 1);
  // Both texts are kept in the stranger's conversation.
  auto evs = conversation_events(d.s.app(), d.c.t.id, stranger);
  int received = 0;
  for (const auto& e : evs)
    if (std::holds_alternative<events::sms_received>(e.data)) ++received;
  CHECK(received == 3);
}

TEST_CASE("a customer's reply is not answered as a stranger's", "[server][tickets][e2e]") {
  crew_day d;
  d.s.add_customer(d.c.t, "+13125550101");
  REQUIRE(d.text("Running 5 min late, sorry", d.next_sid(), "+13125550101") == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(d.received(0, "+13125550101").empty());
}

TEST_CASE("STOP from a contractor is the conversation's: confirmed, and the session silent",
          "[server][tickets][e2e]") {
  crew_day d;
  auto stop = d.exchange("STOP");
  CHECK_FALSE(contains(stop, "Which property"));
  auto stored = d.s.app().store().read_stream("ticket-session:" + d.c.t.id + ":ct_mike");
  REQUIRE(stored);
  CHECK(stored->empty());
  // Opted out, START is again the conversation's (opt back in), not a ticket.
  REQUIRE(d.text("START", d.next_sid()) == 200);
  stored = d.s.app().store().read_stream("ticket-session:" + d.c.t.id + ":ct_mike");
  REQUIRE(stored);
  CHECK(stored->empty());
}

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

TEST_CASE("a property the contractor was taken off is no longer offered at START",
          "[server][tickets][e2e]") {
  crew_day d;
  auto r = d.c.send("DELETE", "/api/v1/properties/p_target/assignments/ct_mike", "");
  INFO(r.body);
  REQUIRE(r.status == 200);
  d.c.get("/api/v1/contractors/ct_mike?min_position=" +
          std::to_string(json::parse(r.body)["position"].get<std::uint64_t>()));
  auto listed = d.exchange("START");
  CHECK(contains(listed, "1. Walmart Parking Lot"));
  CHECK(contains(listed, "2. Home Depot"));
  CHECK_FALSE(contains(listed, "Target"));
}
