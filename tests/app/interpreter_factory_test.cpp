#include "app/interpreter_factory.hpp"

#include <catch2/catch.hpp>

#include "domain/rules_interpreter.hpp"
#include "tests/interpret/fake_anthropic.hpp"

#include "interpret/claude_interpreter.hpp"

using namespace fl::app;
using fl::domain::interpreter_kind;

namespace {

constexpr const char* reading =
    R"({"intent":"provide_details","equipment":["loader"],"bulk_salt":{"quantity":2,"unit":"yards"},)"
    R"("bag_salt":null,"calcium_chloride":3,"notes":null,"work_started_at":null,)"
    R"("work_finished_at":null,"property_hint":null,"confidence":"high"})";

}  // namespace

TEST_CASE("without an Anthropic key the interpreter is the rules", "[config][interpreter]") {
  auto c = resolve_config({}, {}, {});
  REQUIRE(c);
  auto reader = make_interpreter(*c);
  REQUIRE(reader);
  CHECK(dynamic_cast<fl::domain::rules_interpreter*>(reader.get()));
  auto r = reader->interpret("Loader 2 yards bulk 3 bags calcium", {});
  CHECK(r.reading == fl::domain::interpret_with_rules("Loader 2 yards bulk 3 bags calcium"));
  CHECK_FALSE(r.fallback_reason);
  CHECK_FALSE(r.model);
}

TEST_CASE("an empty Anthropic key in the config file leaves the rules", "[config][interpreter]") {
  auto c = resolve_config({}, {}, {{"anthropic_api_key", ""}});
  REQUIRE(c);
  CHECK(dynamic_cast<fl::domain::rules_interpreter*>(make_interpreter(*c).get()));
}

TEST_CASE("with a key the interpreter asks Claude at the configured base, model and key",
          "[config][interpreter]") {
  fl::testing::fake_anthropic fake;
  fake.enqueue(fl::testing::anthropic_reply::text(reading));
  auto c = resolve_config({},
                          {{"anthropic_api_key", "sk-ant-configured"},
                           {"anthropic_api_base", fake.base_url()},
                           {"anthropic_model", "claude-haiku-4-5"},
                           {"anthropic_timeout_ms", "2000"}},
                          {});
  REQUIRE(c);
  auto reader = make_interpreter(*c);
  CHECK(dynamic_cast<fl::interpret::claude_interpreter*>(reader.get()));
  auto r = reader->interpret("Loader 2 yards bulk 3 bags calcium", {});
  CHECK(r.reading.interpreter == interpreter_kind::claude);
  CHECK(r.model == "claude-haiku-4-5");
  CHECK(r.reading.calcium_chloride == 3);
  auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].header("x-api-key") == "sk-ant-configured");
  CHECK(requests[0].body.find("\"model\":\"claude-haiku-4-5\"") != std::string::npos);
}

TEST_CASE("the configured Anthropic timeout bounds the wait for Claude", "[config][interpreter]") {
  fl::testing::fake_anthropic fake;
  auto hang = fl::testing::anthropic_reply::text(reading);
  hang.delay = std::chrono::milliseconds(3000);
  fake.enqueue(hang);
  auto c = resolve_config({},
                          {{"anthropic_api_key", "k"},
                           {"anthropic_api_base", fake.base_url()},
                           {"anthropic_timeout_ms", "200"}},
                          {});
  REQUIRE(c);
  auto start = std::chrono::steady_clock::now();
  auto r = make_interpreter(*c)->interpret("3 bags", {});
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(700));
  CHECK(r.reading.interpreter == interpreter_kind::rules);
  CHECK(r.fallback_reason == "timed out after 200 ms");
}
