#pragma once

// Requests the SMS settings and template tests make: JSON with any method,
// and the events of a tenant's settings or templates stream.

#include "domain/dispatch_streams.hpp"
#include "tests/server/server_fixture.hpp"

namespace fl::testing {

/// A JSON request with any method, with the tenant's token.
inline http_response send_json(running_server& s, const std::string& method,
                               const std::string& path, const std::string& body,
                               const std::string& token) {
  std::map<std::string, std::string> h{{"Content-Type", "application/json"}};
  if (!token.empty()) h["Authorization"] = "Bearer " + token;
  return http_request(method, s.base() + path, body, h);
}

/// The answer's JSON, after checking its status.
inline nlohmann::json expect_json(const http_response& r, long status) {
  INFO(r.status << " " << r.body);
  REQUIRE(r.status == status);
  return nlohmann::json::parse(r.body);
}

/// The error object of a refusal, after checking its status.
inline nlohmann::json expect_error(const http_response& r, long status) {
  return expect_json(r, status).at("error");
}

inline std::size_t settings_events(running_server& s, const test_tenant& t) {
  auto r = s.app().store().read_stream(domain::sms_settings_stream(t.id));
  REQUIRE(r);
  return r->size();
}

inline std::size_t template_events(running_server& s, const test_tenant& t) {
  auto r = s.app().store().read_stream(domain::sms_templates_stream(t.id));
  REQUIRE(r);
  return r->size();
}

}  // namespace fl::testing
