#include "twilio/signature.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

#include "twilio/form.hpp"

using fl::secret;
using fl::twilio::compute_signature;
using fl::twilio::form_fields;
using fl::twilio::validate_signature;

namespace {
// The example in Twilio's webhook-security docs.
const secret docs_token{"12345"};
const std::string docs_url = "https://mycompany.com/myapp.php?foo=1&bar=2";
const form_fields docs_params{{"CallSid", "CA1234567890ABCDE"},
                              {"Caller", "+14158675309"},
                              {"Digits", "1234"},
                              {"From", "+14158675309"},
                              {"To", "+18005551212"}};
const std::string docs_signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
}  // namespace

TEST_CASE("compute_signature reproduces the example in Twilio's docs", "[twilio]") {
  CHECK(compute_signature(docs_token, docs_url, docs_params) == docs_signature);
  form_fields shuffled{docs_params[4], docs_params[2], docs_params[0], docs_params[3],
                       docs_params[1]};
  CHECK(compute_signature(docs_token, docs_url, shuffled) == docs_signature);
}

TEST_CASE("compute_signature matches every vector from Twilio's node library", "[twilio]") {
  std::ifstream in(FL_TWILIO_VECTORS);
  REQUIRE(in);
  auto vectors = nlohmann::json::parse(in);
  REQUIRE(vectors.size() >= 8);
  for (const auto& v : vectors) {
    INFO(v.at("name").get<std::string>());
    form_fields params;
    for (const auto& pair : v.at("params"))
      params.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
    // Through the wire format, as the server would see the body.
    auto parsed = fl::twilio::parse_form(fl::twilio::encode_form(params));
    REQUIRE(parsed);
    REQUIRE(*parsed == params);
    secret token{v.at("token").get<std::string>()};
    auto url = v.at("url").get<std::string>();
    auto expected = v.at("signature").get<std::string>();
    CHECK(compute_signature(token, url, *parsed) == expected);
    CHECK(validate_signature(token, expected, url, *parsed));
  }
}

TEST_CASE("validate_signature rejects a forged signature or altered request", "[twilio]") {
  CHECK(validate_signature(docs_token, docs_signature, docs_url, docs_params));
  std::string forged = docs_signature;
  forged[0] = 'S';
  CHECK_FALSE(validate_signature(docs_token, forged, docs_url, docs_params));
  CHECK_FALSE(validate_signature(secret{"54321"}, docs_signature, docs_url, docs_params));
  CHECK_FALSE(validate_signature(docs_token, docs_signature, docs_url + "&baz=3", docs_params));
  form_fields altered = docs_params;
  altered[2].second = "9999";
  CHECK_FALSE(validate_signature(docs_token, docs_signature, docs_url, altered));
  altered = docs_params;
  altered.emplace_back("Extra", "1");
  CHECK_FALSE(validate_signature(docs_token, docs_signature, docs_url, altered));
}

TEST_CASE("validate_signature rejects a missing or truncated signature", "[twilio]") {
  CHECK_FALSE(validate_signature(docs_token, "", docs_url, docs_params));
  CHECK_FALSE(validate_signature(docs_token, docs_signature.substr(0, 27), docs_url, docs_params));
  CHECK_FALSE(validate_signature(docs_token, docs_signature.substr(0, 1), docs_url, docs_params));
  CHECK_FALSE(validate_signature(docs_token, docs_signature + "=", docs_url, docs_params));
}

TEST_CASE("validate_signature accepts the URL with the default port added or removed", "[twilio]") {
  const std::string with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
  auto signed_with_port = compute_signature(docs_token, with_port, docs_params);
  CHECK(signed_with_port != docs_signature);
  // Twilio signed without the port, we see it with, and the other way round.
  CHECK(validate_signature(docs_token, docs_signature, with_port, docs_params));
  CHECK(validate_signature(docs_token, signed_with_port, docs_url, docs_params));

  const std::string http_url = "http://example.com/sms/webhook";
  auto signed_http_80 = compute_signature(docs_token, "http://example.com:80/sms/webhook", {});
  CHECK(validate_signature(docs_token, signed_http_80, http_url, {}));
  // A non-default port is only ever removed, never invented.
  auto signed_8080 = compute_signature(docs_token, "http://example.com:8080/sms/webhook", {});
  CHECK(validate_signature(docs_token, signed_8080, "http://example.com:8080/sms/webhook", {}));
  CHECK_FALSE(validate_signature(docs_token, signed_8080, http_url, {}));
}

TEST_CASE("url port helpers follow Twilio's addPort and removePort", "[twilio]") {
  using fl::twilio::url_with_default_port;
  using fl::twilio::url_without_port;
  CHECK(url_with_default_port("HTTPS://u:p@h.example/x?y=1") == "HTTPS://u:p@h.example:443/x?y=1");
  CHECK(url_with_default_port("http://h.example") == "http://h.example:80");
  CHECK(url_with_default_port("http://[::1]:8080/x") == "http://[::1]:8080/x");
  CHECK(url_with_default_port("not a url") == "not a url");
  CHECK(url_without_port("http://[::1]:8080/x") == "http://[::1]/x");
  CHECK(url_without_port("https://h.example:443/a:b") == "https://h.example/a:b");
}
