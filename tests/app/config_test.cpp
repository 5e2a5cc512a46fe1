#include "app/config.hpp"

#include <catch2/catch.hpp>

#include <fstream>

#include "tests/support/temp_dir.hpp"

using namespace fl::app;

TEST_CASE("with nothing set the configuration is the contract's defaults", "[config]") {
  auto c = resolve_config({}, {}, {});
  REQUIRE(c);
  CHECK(c->listen_host == "127.0.0.1");
  CHECK(c->listen_port == 8080);
  CHECK(c->data_dir == "./data");
  CHECK(c->public_url == "http://127.0.0.1:8080");
  CHECK(c->sms_transport == "sandbox");
  CHECK(c->twilio_api_base == "https://api.twilio.com");
  CHECK(c->anthropic_api_base == "https://api.anthropic.com");
  CHECK_FALSE(c->operator_token);
}

TEST_CASE("flags win over the environment, which wins over the config file", "[config]") {
  setting_values file{
      {"listen", "0.0.0.0:7000"}, {"data_dir", "/file"}, {"public_url", "https://file.example"}};
  setting_values env{{"listen", "127.0.0.1:7001"}, {"data_dir", "/env"}};
  setting_values flags{{"listen", "127.0.0.1:7002"}};
  auto c = resolve_config(flags, env, file);
  REQUIRE(c);
  CHECK(c->listen_port == 7002);
  CHECK(c->data_dir == "/env");
  CHECK(c->public_url == "https://file.example");
}

TEST_CASE("the public URL defaults to the listen address", "[config]") {
  auto c = resolve_config({{"listen", "0.0.0.0:9090"}}, {}, {});
  REQUIRE(c);
  CHECK(c->public_url == "http://0.0.0.0:9090");
}

TEST_CASE("Twilio credentials make twilio the default transport", "[config]") {
  auto c = resolve_config({}, {{"twilio_account_sid", "AC1"}, {"twilio_auth_token", "tok"}}, {});
  REQUIRE(c);
  CHECK(c->sms_transport == "twilio");
  CHECK(c->twilio_auth_token->reveal() == "tok");
}

TEST_CASE("the twilio transport without credentials is refused by name", "[config]") {
  auto c = resolve_config({}, {{"sms_transport", "twilio"}}, {});
  REQUIRE_FALSE(c);
  CHECK(c.error().find("FIELDLINE_SMS_TRANSPORT") != std::string::npos);
}

TEST_CASE("a bad listen address, URL or transport names the setting and its source", "[config]") {
  auto listen = resolve_config({{"listen", "localhost"}}, {}, {});
  REQUIRE_FALSE(listen);
  CHECK(listen.error().find("listen (flag)") != std::string::npos);
  auto port = resolve_config({}, {{"listen", "127.0.0.1:99999"}}, {});
  REQUIRE_FALSE(port);
  CHECK(port.error().find("FIELDLINE_LISTEN") != std::string::npos);
  auto url = resolve_config({}, {}, {{"public_url", "ftp://x"}});
  REQUIRE_FALSE(url);
  CHECK(url.error().find("config file") != std::string::npos);
  auto transport = resolve_config({{"sms_transport", "carrier-pigeon"}}, {}, {});
  REQUIRE_FALSE(transport);
}

TEST_CASE("the environment is read under the contract's variable names", "[config]") {
  auto values = from_environment([](const char* name) -> const char* {
    std::string n(name);
    if (n == "FIELDLINE_LISTEN") return "127.0.0.1:1234";
    if (n == "ANTHROPIC_API_KEY") return "sk-test";
    if (n == "FIELDLINE_DATA_DIR") return "";  // empty counts as unset
    return nullptr;
  });
  CHECK(values.size() == 2);
  CHECK(values.at("listen") == "127.0.0.1:1234");
  CHECK(values.at("anthropic_api_key") == "sk-test");
}

TEST_CASE("a config file with an unknown key or a non-string value is an error", "[config]") {
  fl::testing::temp_dir dir;
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  CHECK(from_config_file(write("good.json", R"({"listen":"127.0.0.1:1","data_dir":"/d"})")));
  auto typo = from_config_file(write("typo.json", R"({"lisen":"127.0.0.1:1"})"));
  REQUIRE_FALSE(typo);
  CHECK(typo.error().find("lisen") != std::string::npos);
  CHECK_FALSE(from_config_file(write("number.json", R"({"listen":8080})")));
  CHECK_FALSE(from_config_file(write("broken.json", R"({"listen":)")));
  CHECK_FALSE(from_config_file((dir / "missing.json").string()));
}

TEST_CASE("the Claude model and timeout have defaults and are read from the environment",
          "[config]") {
  auto defaults = resolve_config({}, {}, {});
  REQUIRE(defaults);
  CHECK(defaults->anthropic_model == "claude-sonnet-4-5");
  CHECK(defaults->anthropic_timeout_ms == 8000);
  CHECK_FALSE(defaults->anthropic_api_key);
  auto env = from_environment([](const char* name) -> const char* {
    std::string n = name;
    if (n == "FIELDLINE_ANTHROPIC_MODEL") return "claude-haiku-4-5";
    if (n == "FIELDLINE_ANTHROPIC_TIMEOUT_MS") return "2500";
    return nullptr;
  });
  auto c = resolve_config({}, env, {});
  REQUIRE(c);
  CHECK(c->anthropic_model == "claude-haiku-4-5");
  CHECK(c->anthropic_timeout_ms == 2500);
}

TEST_CASE("a bad Claude model name or timeout is an error naming the setting", "[config]") {
  for (auto timeout : {"0", "99", "120001", "8s", "-1", ""}) {
    auto c = resolve_config({}, {{"anthropic_timeout_ms", timeout}}, {});
    REQUIRE_FALSE(c);
    CHECK(c.error().find("anthropic_timeout_ms (FIELDLINE_ANTHROPIC_TIMEOUT_MS)") == 0);
  }
  for (auto model : {"", "claude sonnet", "claude\n"}) {
    auto c = resolve_config({}, {}, {{"anthropic_model", model}});
    REQUIRE_FALSE(c);
    CHECK(c.error().find("anthropic_model (config file)") == 0);
  }
}
