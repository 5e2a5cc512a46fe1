// POST /customers, PUT /customers/{id}, POST /technicians,
// PUT /technicians/{id} over loopback HTTP: what each answers, every
// refusal naming its field, hostile requests, and retries recording once.

#include "domain/dispatch_streams.hpp"
#include "tests/server/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string jane_phone = "+13125550147";

struct directory_fixture {
  running_server s{{}, dispatch_options()};
  tenant_client c{s, s.create_tenant()};
  // The tenant's own events (its creation) before any request.
  std::vector<std::string> at_start = recorded(c);
  std::string customer_stream(const std::string& id) const {
    return domain::customer_stream(c.t.id, id);
  }
};

}  // namespace

TEST_CASE("POST /customers registers a customer and answers it with its position",
          "[dispatch_http][customers]") {
  directory_fixture f;
  auto body = customer_body("c1", "Jane", "(312) 555-0147");
  auto j = expect_json(f.c.post("/api/v1/customers", body), 201);
  CHECK(j["position"].get<std::uint64_t>() == f.s.app().store().last_position());
  j.erase("position");
  CHECK(j == json{{"id", "c1"},
                  {"first_name", "Jane"},
                  {"last_name", "Doe"},
                  {"phone", jane_phone},
                  {"address", "1 Main St, Chicago"},
                  {"opted_out", false}});
  CHECK(stream_types(f.s, f.customer_stream("c1")) ==
        std::vector<std::string>{"customer_registered"});
}

TEST_CASE("POST /customers without an id gets a new cus_ id", "[dispatch_http][customers]") {
  directory_fixture f;
  auto body = customer_body("", "Jane", jane_phone);
  body.erase("id");
  auto j = expect_json(f.c.post("/api/v1/customers", body), 201);
  std::string id = j["id"];
  CHECK(id.starts_with("cus_"));
  CHECK(id.size() == 20);
  CHECK(domain::is_valid_entity_id(id));
  auto other = expect_json(f.c.post("/api/v1/customers", body), 201);
  CHECK(other["id"] != id);
}

TEST_CASE("PUT /customers/{id} replaces every detail", "[dispatch_http][customers]") {
  directory_fixture f;
  REQUIRE(f.c.post("/api/v1/customers", customer_body("c1", "Jane", jane_phone)).status == 201);
  auto j = expect_json(
      f.c.put("/api/v1/customers/c1", {{"first_name", "Janet"}, {"phone", "+1 312 555 0148"}}),
      200);
  CHECK(j["first_name"] == "Janet");
  CHECK(j["last_name"] == "");  // a PUT replaces: what it leaves out is gone
  CHECK(j["address"] == "");
  CHECK(j["phone"] == "+13125550148");
  CHECK(j["position"].get<std::uint64_t>() == f.s.app().store().last_position());
  CHECK(stream_types(f.s, f.customer_stream("c1")) ==
        std::vector<std::string>{"customer_registered", "customer_updated"});
}

TEST_CASE("PUT /customers/{id} of a customer never registered is 404 and records nothing",
          "[dispatch_http][customers]") {
  directory_fixture f;
  auto before = recorded(f.c);
  auto e = expect_error(
      f.c.put("/api/v1/customers/nobody", {{"first_name", "Jane"}, {"phone", jane_phone}}), 404);
  CHECK(e["code"] == "not_found");
  CHECK(recorded(f.c) == before);
}

TEST_CASE("a customer request that is not a JSON object is 400 invalid_json",
          "[dispatch_http][customers]") {
  directory_fixture f;
  for (std::string bad : {"", "{", "[]", "\"Jane\"", "{\"first_name\": \"Ja\xff\"}", "null"}) {
    INFO(bad);
    CHECK(expect_error(f.c.send("POST", "/api/v1/customers", bad), 400)["code"] == "invalid_json");
    CHECK(expect_error(f.c.send("PUT", "/api/v1/customers/c1", bad), 400)["code"] ==
          "invalid_json");
  }
  CHECK(recorded(f.c) == f.at_start);
}

TEST_CASE("an unknown field in a customer or technician request is 400 naming it",
          "[dispatch_http][customers][technicians]") {
  directory_fixture f;
  auto body = customer_body("c1", "Jane", jane_phone);
  body["nickname"] = "JJ";
  auto e = expect_error(f.c.post("/api/v1/customers", body), 400);
  CHECK(e["code"] == "unknown_field");
  CHECK(e["field"] == "nickname");
  // The id of a PUT is the URL's: one in the body is unknown.
  e = expect_error(
      f.c.put("/api/v1/customers/c1", {{"id", "c2"}, {"first_name", "J"}, {"phone", jane_phone}}),
      400);
  CHECK(e["field"] == "id");
  // A technician has no address.
  auto tech = technician_body("t1", "Mike", "+13125550190");
  tech["address"] = "1 Main St";
  e = expect_error(f.c.post("/api/v1/technicians", tech), 400);
  CHECK(e["code"] == "unknown_field");
  CHECK(e["field"] == "address");
  CHECK(recorded(f.c) == f.at_start);
}

TEST_CASE("a customer without first_name or phone is 400 naming the missing field",
          "[dispatch_http][customers]") {
  directory_fixture f;
  for (const char* field : {"first_name", "phone"}) {
    auto body = customer_body("c1", "Jane", jane_phone);
    body.erase(field);
    auto e = expect_error(f.c.post("/api/v1/customers", body), 400);
    CHECK(e["code"] == "invalid_field");
    CHECK(e["field"] == field);
    body[field] = nullptr;  // null is missing too
    CHECK(expect_error(f.c.post("/api/v1/customers", body), 400)["field"] == field);
  }
  auto e = expect_error(f.c.post("/api/v1/customers", customer_body("c1", "   ", jane_phone)), 400);
  CHECK(e["field"] == "first_name");
  CHECK(recorded(f.c) == f.at_start);
}

TEST_CASE("a customer field of the wrong type is 400 naming it", "[dispatch_http][customers]") {
  directory_fixture f;
  for (const char* field : {"id", "first_name", "last_name", "phone", "address"}) {
    for (json wrong : {json(5), json(true), json::array({"Jane"}), json::object()}) {
      auto body = customer_body("c1", "Jane", jane_phone);
      body[field] = wrong;
      INFO(field << " = " << wrong.dump());
      auto e = expect_error(f.c.post("/api/v1/customers", body), 400);
      CHECK(e["code"] == "invalid_field");
      CHECK(e["field"] == field);
    }
  }
  CHECK(recorded(f.c) == f.at_start);
}

TEST_CASE("a phone number that is not one is 400 naming phone",
          "[dispatch_http][customers][technicians]") {
  directory_fixture f;
  for (const char* bad : {"12", "not a phone", "+1 312 555 01470000", "", "+0000000000"}) {
    INFO(bad);
    auto e = expect_error(f.c.post("/api/v1/customers", customer_body("c1", "Jane", bad)), 400);
    CHECK(e["field"] == "phone");
    e = expect_error(f.c.post("/api/v1/technicians", technician_body("t1", "Mike", bad)), 400);
    CHECK(e["field"] == "phone");
  }
  CHECK(recorded(f.c) == f.at_start);
}

TEST_CASE("control characters in a name or an address are 400 naming the field",
          "[dispatch_http][customers]") {
  directory_fixture f;
  for (std::string bad : {std::string("Ja\x01ne"), std::string("Jane\0", 5),
                          std::string("J\x1b[2J"), std::string("Ja\nne")}) {
    auto body = customer_body("c1", bad, jane_phone);
    CHECK(expect_error(f.c.post("/api/v1/customers", body), 400)["field"] == "first_name");
    body = customer_body("c1", "Jane", jane_phone);
    body["last_name"] = bad;
    CHECK(expect_error(f.c.post("/api/v1/customers", body), 400)["field"] == "last_name");
  }
  auto body = customer_body("c1", "Jane", jane_phone);
  body["address"] = "1 Main St\x07";
  CHECK(expect_error(f.c.post("/api/v1/customers", body), 400)["field"] == "address");
  // A newline is allowed in an address, and only there.
  body["address"] = "1 Main St\nChicago";
  CHECK(f.c.post("/api/v1/customers", body).status == 201);
}

TEST_CASE("an id with a slash, a colon, a space or 65 characters is refused; nothing recorded",
          "[dispatch_http][customers][technicians][hostile]") {
  directory_fixture f;
  auto before = recorded(f.c);
  for (const std::string& bad :
       std::vector<std::string>{"a/b", "a:b", "a b", std::string(65, 'a'), "", "..", "c1\n"}) {
    INFO(bad);
    auto e =
        expect_error(f.c.post("/api/v1/customers", customer_body(bad, "Jane", jane_phone)), 400);
    CHECK(e["field"] == "id");
    e = expect_error(f.c.post("/api/v1/technicians", technician_body(bad, "Mike", jane_phone)),
                     400);
    CHECK(e["field"] == "id");
  }
  // In the URL: never a customer, never a write.
  json person{{"first_name", "Jane"}, {"phone", jane_phone}};
  for (const std::string& path :
       std::vector<std::string>{"a%2Fb", "a%3Ab", "a%00b", std::string(65, 'a'), "%2E%2E"}) {
    INFO(path);
    auto r = f.c.put("/api/v1/customers/" + path, person);
    CHECK(r.status == 404);
    r = f.c.put("/api/v1/technicians/" + path, person);
    CHECK(r.status == 404);
  }
  CHECK(f.c.put("/api/v1/customers/a/b", person).status == 404);
  CHECK(recorded(f.c) == before);
}

TEST_CASE("the same customer POST twice answers the same and records once",
          "[dispatch_http][customers][duplicate]") {
  directory_fixture f;
  auto body = customer_body("c1", "Jane", jane_phone);
  auto first = expect_json(f.c.post("/api/v1/customers", body), 201);
  auto again = expect_json(f.c.post("/api/v1/customers", body), 201);
  // The retry's position still covers the write it repeats.
  CHECK(again["position"].get<std::uint64_t>() >= first["position"].get<std::uint64_t>());
  CHECK(again["position"].get<std::uint64_t>() > 0);
  first.erase("position");
  again.erase("position");
  CHECK(again == first);
  // The same PUT twice, too.
  json changed{{"first_name", "Janet"}, {"phone", jane_phone}};
  auto put1 = expect_json(f.c.put("/api/v1/customers/c1", changed), 200);
  auto put2 = expect_json(f.c.put("/api/v1/customers/c1", changed), 200);
  CHECK(put2["position"].get<std::uint64_t>() >= put1["position"].get<std::uint64_t>());
  CHECK(put2["first_name"] == "Janet");
  CHECK(stream_types(f.s, f.customer_stream("c1")) ==
        std::vector<std::string>{"customer_registered", "customer_updated"});
}

TEST_CASE("other details under a registered customer id are 409 already_registered",
          "[dispatch_http][customers][duplicate]") {
  directory_fixture f;
  REQUIRE(f.c.post("/api/v1/customers", customer_body("c1", "Jane", jane_phone)).status == 201);
  auto e =
      expect_error(f.c.post("/api/v1/customers", customer_body("c1", "Bob", "+13125550101")), 409);
  CHECK(e["code"] == "already_registered");
  CHECK(e["field"] == "id");
  CHECK(stream_types(f.s, f.customer_stream("c1")).size() == 1);
}

TEST_CASE("another tenant's customer or technician is 404 and nothing is recorded",
          "[dispatch_http][customers][technicians][hostile]") {
  directory_fixture f;
  REQUIRE(f.c.post("/api/v1/customers", customer_body("c1", "Jane", jane_phone)).status == 201);
  REQUIRE(f.c.post("/api/v1/technicians", technician_body("t1", "Mike", "+13125550190")).status ==
          201);
  tenant_client other{f.s, f.s.create_tenant("+15005550007")};
  auto mine = recorded(f.c);
  auto theirs = recorded(other);
  json person{{"first_name", "Mallory"}, {"phone", "+13125550666"}};
  CHECK(expect_error(other.put("/api/v1/customers/c1", person), 404)["code"] == "not_found");
  CHECK(expect_error(other.put("/api/v1/technicians/t1", person), 404)["code"] == "not_found");
  CHECK(recorded(f.c) == mine);
  CHECK(recorded(other) == theirs);
  // The same ids are free in the other tenant: a directory of its own.
  CHECK(other.post("/api/v1/customers", customer_body("c1", "Mallory", "+13125550666")).status ==
        201);
  CHECK(recorded(f.c) == mine);
}

TEST_CASE("POST and PUT /technicians register and replace a technician, once",
          "[dispatch_http][technicians]") {
  directory_fixture f;
  auto body = technician_body("t1", "Mike", "312-555-0190");
  auto j = expect_json(f.c.post("/api/v1/technicians", body), 201);
  CHECK(j["position"].get<std::uint64_t>() == f.s.app().store().last_position());
  j.erase("position");
  CHECK(j == json{{"id", "t1"},
                  {"first_name", "Mike"},
                  {"last_name", "Ross"},
                  {"phone", "+13125550190"},
                  {"status", "available"},
                  {"job_id", nullptr},
                  {"location", nullptr}});
  auto again = expect_json(f.c.post("/api/v1/technicians", body), 201);
  again.erase("position");
  CHECK(again == j);
  auto put = expect_json(
      f.c.put("/api/v1/technicians/t1", {{"first_name", "Michael"}, {"phone", "+13125550190"}}),
      200);
  CHECK(put["first_name"] == "Michael");
  CHECK(put["last_name"] == "");
  auto stream = domain::technician_stream(f.c.t.id, "t1");
  CHECK(stream_types(f.s, stream) ==
        std::vector<std::string>{"technician_registered", "technician_updated"});
  body.erase("id");
  CHECK(
      expect_json(f.c.post("/api/v1/technicians", body), 201)["id"].get<std::string>().starts_with(
          "tech_"));
  CHECK(
      expect_error(f.c.put("/api/v1/technicians/t9", {{"first_name", "X"}, {"phone", jane_phone}}),
                   404)["code"] == "not_found");
}
