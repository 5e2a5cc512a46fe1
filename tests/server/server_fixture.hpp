#pragma once

// A real fieldline server in-process on 127.0.0.1 (port 0), reached over
// HTTP with libcurl, with helpers to sign Twilio webhooks as Twilio does.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "app/assembly.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "twilio/form.hpp"
#include "twilio/signature.hpp"

namespace fl::testing {

/// The URL Twilio is told to call: signatures are computed over it, not over
/// the loopback address the tests really use.
inline constexpr const char* public_url = "https://fieldline.example.com";
inline constexpr const char* operator_token = "operator-secret-for-tests";

struct test_tenant {
  std::string id;
  std::string api_token;
  std::string number;
  std::string account_sid;
  std::string auth_token;
};

class running_server {
 public:
  explicit running_server(std::function<void(app::config&)> tweak = {},
                          app::assembly_options options = {}, const temp_dir* reuse = nullptr)
      : dir_ptr_(reuse ? reuse : &own_dir_) {
    start(tweak, options);
  }

  void start(std::function<void(app::config&)> tweak = {}, app::assembly_options options = {}) {
    app::config cfg;
    cfg.listen_port = 0;
    cfg.data_dir = dir_ptr_->path().string();
    cfg.public_url = public_url;
    cfg.operator_token = secret(operator_token);
    cfg.sms_transport = "sandbox";
    if (tweak) tweak(cfg);
    auto started = app::assembly::start(cfg, options);
    if (!started) FAIL("server did not start: " << started.error());
    a_ = std::move(*started);
    base_ = "http://127.0.0.1:" + std::to_string(a_->port());
  }

  /// Stops the server (orderly) without removing its data.
  void stop() { a_.reset(); }

  app::assembly& app() { return *a_; }
  const std::string& base() const { return base_; }

  http_response get(const std::string& path, const std::string& token = "") {
    std::map<std::string, std::string> h;
    if (!token.empty()) h["Authorization"] = "Bearer " + token;
    return http_request("GET", base_ + path, "", h);
  }

  http_response post_json(const std::string& path, const std::string& body,
                          const std::string& token = "") {
    std::map<std::string, std::string> h{{"Content-Type", "application/json"}};
    if (!token.empty()) h["Authorization"] = "Bearer " + token;
    return http_request("POST", base_ + path, body, h);
  }

  /// Posts a form as Twilio would, signed with `auth_token` (unsigned if empty).
  http_response post_twilio(const std::string& path, const twilio::form_fields& fields,
                            const std::string& auth_token) {
    std::map<std::string, std::string> h{{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!auth_token.empty())
      h["X-Twilio-Signature"] =
          twilio::compute_signature(secret(auth_token), std::string(public_url) + path, fields);
    return http_request("POST", base_ + path, twilio::encode_form(fields), h);
  }

  test_tenant create_tenant(const std::string& number = "+15005550006",
                            nlohmann::json extra = nlohmann::json::object()) {
    test_tenant t;
    t.number = number;
    t.account_sid = "AC" + std::string(32, 'a');
    t.auth_token = "0123456789abcdef0123456789abcdef";
    nlohmann::json body{{"name", "Acme HVAC"},
                        {"timezone", "America/Chicago"},
                        {"phone_number", number},
                        {"twilio_account_sid", t.account_sid},
                        {"twilio_auth_token", t.auth_token}};
    body.update(extra);
    auto r = post_json("/api/v1/tenants", body.dump(), operator_token);
    INFO(r.body);
    REQUIRE(r.status == 201);
    auto j = nlohmann::json::parse(r.body);
    t.id = j["id"];
    t.api_token = j["api_token"];
    return t;
  }

  /// Registers `phone` as a customer of `t` and waits until the directory
  /// knows it: a text from a number nobody knows is answered "not registered".
  void add_customer(const test_tenant& t, const std::string& phone) {
    std::string id = "c_" + phone.substr(1);
    auto r = post_json("/api/v1/customers",
                       nlohmann::json{{"id", id}, {"first_name", "Jane"}, {"phone", phone}}.dump(),
                       t.api_token);
    INFO(r.body);
    REQUIRE(r.status == 201);
    auto known = get(
        "/api/v1/customers/" + id + "?min_position=" + std::to_string(a_->store().last_position()),
        t.api_token);
    REQUIRE(known.status == 200);
  }

 private:
  temp_dir own_dir_;
  const temp_dir* dir_ptr_;
  std::unique_ptr<app::assembly> a_;
  std::string base_;
};

/// An inbound SMS form exactly as Twilio posts it.
inline twilio::form_fields inbound_form(const test_tenant& t, const std::string& from,
                                        const std::string& body, const std::string& sid) {
  return {{"ToCountry", "US"},
          {"ToState", "CA"},
          {"SmsMessageSid", sid},
          {"NumMedia", "0"},
          {"ToCity", ""},
          {"FromZip", "60601"},
          {"SmsSid", sid},
          {"FromState", "IL"},
          {"SmsStatus", "received"},
          {"FromCity", "CHICAGO"},
          {"Body", body},
          {"FromCountry", "US"},
          {"To", t.number},
          {"ToZip", ""},
          {"NumSegments", "1"},
          {"MessageSid", sid},
          {"AccountSid", t.account_sid},
          {"From", from},
          {"ApiVersion", "2010-04-01"}};
}

/// A status callback form exactly as Twilio posts it.
inline twilio::form_fields status_form(const test_tenant& t, const std::string& to,
                                       const std::string& sid, const std::string& status,
                                       const std::string& error_code = "") {
  twilio::form_fields f{{"SmsSid", sid},           {"SmsStatus", status},
                        {"MessageStatus", status}, {"To", to},
                        {"MessageSid", sid},       {"AccountSid", t.account_sid},
                        {"From", t.number},        {"ApiVersion", "2010-04-01"}};
  if (!error_code.empty()) f.push_back({"ErrorCode", error_code});
  return f;
}

/// The events of one conversation stream, in order.
inline std::vector<events::recorded_event> conversation_events(app::assembly& a,
                                                               const std::string& tenant,
                                                               const std::string& phone) {
  auto r = a.store().read_stream("conversation:" + tenant + ":" + phone);
  REQUIRE(r);
  return *r;
}

inline std::vector<std::string> type_names(const std::vector<events::recorded_event>& evs) {
  std::vector<std::string> out;
  for (const auto& e : evs) out.emplace_back(events::type_name_of(e.data));
  return out;
}

/// Polls `condition` for up to `timeout` (for outcomes that arrive from the
/// outbox's thread after the HTTP answer).
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace fl::testing
