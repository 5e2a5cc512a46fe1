// "Never a 500 for anything a client sent": random and hostile bodies on
// every route of this server.

#include <random>

#include "tests/server/server_fixture.hpp"

using namespace fl;
using namespace fl::testing;

namespace {

std::string random_bytes(std::mt19937& rng, std::size_t n) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(byte(rng));
  return out;
}

// Bodies a hostile or broken client sends.
std::vector<std::string> hostile_bodies(const test_tenant& t) {
  std::mt19937 rng(20261123);
  std::vector<std::string> out = {
      "",
      "=",
      "&&&&",
      "%",
      "%%%%",
      "%00",
      "Body=%FF%FE",
      "From=&To=&MessageSid=",
      "From=" + std::string(5000, '9') + "&To=" + t.number + "&MessageSid=SM1",
      "NumMedia=-1&From=%2B13125550100&To=" + t.number + "&MessageSid=SM1",
      "NumMedia=99999999999999999999&From=%2B13125550100&To=" + t.number + "&MessageSid=SM1",
      "MessageStatus=delivered&MessageSid=SM1&From=" + t.number + "&To=nope",
      "{\"name\":\"x\"}",
      "[1,2,3]",
      "{\"to\": {\"$ne\": 1}, \"body\": [\"a\"]}",
      "{\"to\": \"+13125550100\", \"body\": \"\\ud800\"}",
      std::string(60 * 1024, 'A'),
      std::string("\0\0\0\0", 4),
  };
  for (int i = 0; i < 40; ++i) out.push_back(random_bytes(rng, 1 + rng() % 2000));
  return out;
}

}  // namespace

TEST_CASE("no hostile body on any route gets a 5xx, and none is stored", "[hostile]") {
  running_server s;
  auto t = s.create_tenant();
  auto before = s.app().store().last_position();
  for (const std::string path :
       {"/sms/webhook", "/sms/status", "/api/v1/tenants", "/api/v1/sms/send"}) {
    for (const auto& body : hostile_bodies(t)) {
      for (const std::string& token : {std::string(operator_token), t.api_token}) {
        auto r = http_request("POST", s.base() + path, body,
                              {{"Authorization", "Bearer " + token},
                               {"Content-Type", "application/x-www-form-urlencoded"},
                               {"X-Twilio-Signature", "AAAA"}});
        INFO(path << " <- " << body.substr(0, 80));
        CHECK(r.status >= 400);
        CHECK(r.status < 500);
      }
    }
  }
  CHECK(s.app().store().last_position() == before);
  CHECK(s.get("/healthz").status == 200);
}

TEST_CASE("hostile headers and methods get 4xx answers", "[hostile]") {
  running_server s;
  CHECK(http_request("DELETE", s.base() + "/sms/webhook").status == 404);
  CHECK(http_request("GET", s.base() + "/api/v1/tenants", "", {{"Authorization", "Basic abc"}})
            .status == 401);
  CHECK(
      http_request("GET", s.base() + "/api/v1/tenants", "", {{"Authorization", "Bearer"}}).status ==
      401);
  CHECK(http_request("GET", s.base() + "/api/v1/tenants/%00", "",
                     {{"Authorization", std::string("Bearer ") + operator_token}})
            .status == 404);
  CHECK(http_request("GET", s.base() + "/" + std::string(4000, 'a')).status == 404);
}
