// The Claude interpreter against a fake Anthropic server on loopback:
// headers and body it sends, retries, timeouts, and the rules fallback.

#include "interpret/claude_interpreter.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "domain/rules_interpreter.hpp"
#include "tests/interpret/fake_anthropic.hpp"

#include "interpret/claude_messages.hpp"

using namespace fl::domain;
using namespace std::chrono_literals;
using fl::interpret::claude_interpreter;
using fl::interpret::claude_options;
using fl::testing::anthropic_reply;
using fl::testing::fake_anthropic;
using nlohmann::json;
using steady = std::chrono::steady_clock;

namespace {

constexpr const char* reading =
    R"({"intent":"provide_details","equipment":["skid steer"],"bulk_salt":null,"bag_salt":5,)"
    R"("calcium_chloride":null,"notes":"icy conditions","work_started_at":null,)"
    R"("work_finished_at":null,"property_hint":null,"confidence":"high"})";

constexpr const char* text = "Skid steer, 5 bags, icy conditions";

claude_options options_for(const fake_anthropic& fake) {
  claude_options o;
  o.api_key = fl::secret("sk-ant-test-key");
  o.api_base = fake.base_url() + "/";
  o.model = "claude-test-model";
  o.timeout = 3000ms;
  o.backoff = 10ms;
  return o;
}

long long ms_since(steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start).count();
}

}  // namespace

TEST_CASE("a good answer is Claude's reading, asked with the key, version and JSON body",
          "[claude][loopback]") {
  fake_anthropic fake;
  fake.enqueue(anthropic_reply::text(reading));
  claude_interpreter claude(options_for(fake));
  interpret_context context;
  context.property_names = {"Walmart"};
  auto r = claude.interpret(text, context);

  CHECK(r.reading.interpreter == interpreter_kind::claude);
  CHECK_FALSE(r.fallback_reason);
  CHECK(r.model == "claude-test-model");
  CHECK(r.attempts == 1);
  CHECK(r.reading.equipment == std::vector<std::string>{"skid steer"});
  CHECK(r.reading.bag_salt == 5);
  CHECK(r.reading.notes == "icy conditions");

  auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  const auto& req = requests[0];
  CHECK(req.method == "POST");
  CHECK(req.target == "/v1/messages");
  CHECK(req.header("x-api-key") == "sk-ant-test-key");
  CHECK(req.header("anthropic-version") == "2023-06-01");
  CHECK(req.header("content-type") == "application/json");
  CHECK(req.header("authorization").empty());
  auto body = json::parse(req.body);
  CHECK(body.at("model") == "claude-test-model");
  CHECK(body.at("max_tokens") == 512);
  CHECK(body.at("system") == std::string(fl::interpret::claude_system_prompt()));
  auto content = json::parse(body.at("messages").at(0).at("content").get<std::string>());
  CHECK(content.at("sms") == text);
  CHECK(content.at("properties") == json::array({"Walmart"}));
}

TEST_CASE("a malformed answer falls back to the rules and says why", "[claude][loopback]") {
  fake_anthropic fake;
  fake.enqueue(anthropic_reply::text("Sure! The crew used a skid steer and 5 bags."));
  claude_interpreter claude(options_for(fake));
  auto r = claude.interpret(text, {});
  CHECK(r.reading == interpret_with_rules(text));
  CHECK(r.reading.interpreter == interpreter_kind::rules);
  REQUIRE(r.fallback_reason);
  CHECK(r.fallback_reason->find("malformed") != std::string::npos);
  CHECK(r.attempts == 1);
  CHECK(fake.requests().size() == 1);  // a malformed answer is not asked again
}

TEST_CASE("an answer breaking the schema falls back to the rules", "[claude][loopback]") {
  fake_anthropic fake;
  fake.enqueue(
      anthropic_reply::text(R"({"intent":"provide_details","bag_salt":-5,"confidence":"high"})"));
  claude_interpreter claude(options_for(fake));
  auto r = claude.interpret(text, {});
  CHECK(r.reading.interpreter == interpreter_kind::rules);
  REQUIRE(r.fallback_reason);
  CHECK(r.fallback_reason->find("bag_salt") != std::string::npos);
}

TEST_CASE("a 429 is retried after its retry-after and the retry's answer is used",
          "[claude][loopback]") {
  fake_anthropic fake;
  fake.enqueue(
      anthropic_reply::error(429, "rate_limit_error", "slow down", {{"retry-after", "1"}}));
  fake.enqueue(anthropic_reply::text(reading));
  claude_interpreter claude(options_for(fake));
  auto r = claude.interpret(text, {});
  CHECK(r.reading.interpreter == interpreter_kind::claude);
  CHECK_FALSE(r.fallback_reason);
  CHECK(r.attempts == 2);
  auto requests = fake.requests();
  REQUIRE(requests.size() == 2);
  auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(requests[1].received_at -
                                                                   requests[0].received_at);
  // retry-after: 1 s, not the 10 ms backoff.
  CHECK(gap >= 990ms);
  CHECK(gap < 2000ms);
  CHECK(requests[1].body == requests[0].body);
}

TEST_CASE("a 529 overloaded answer is retried with backoff", "[claude][loopback]") {
  fake_anthropic fake;
  fake.enqueue(anthropic_reply::error(529, "overloaded_error", "Overloaded"));
  fake.enqueue(anthropic_reply::text(reading));
  claude_interpreter claude(options_for(fake));
  auto r = claude.interpret(text, {});
  CHECK(r.reading.interpreter == interpreter_kind::claude);
  CHECK(r.attempts == 2);
}

TEST_CASE("a retry-after past the timeout falls back at once without waiting",
          "[claude][loopback]") {
  fake_anthropic fake;
  fake.enqueue(
      anthropic_reply::error(429, "rate_limit_error", "slow down", {{"retry-after", "30"}}));
  claude_interpreter claude(options_for(fake));
  auto start = steady::now();
  auto r = claude.interpret(text, {});
  CHECK(ms_since(start) < 1000);
  CHECK(r.reading.interpreter == interpreter_kind::rules);
  REQUIRE(r.fallback_reason);
  CHECK(r.fallback_reason->find("429") != std::string::npos);
  CHECK(r.fallback_reason->find("timeout") != std::string::npos);
  CHECK(fake.requests().size() == 1);
}

TEST_CASE("a server that does not answer falls back to the rules within the timeout",
          "[claude][loopback]") {
  fake_anthropic fake;
  auto hang = anthropic_reply::text(reading);
  hang.delay = 3000ms;
  fake.enqueue(hang);
  auto options = options_for(fake);
  options.timeout = 300ms;
  claude_interpreter claude(options);
  auto start = steady::now();
  auto r = claude.interpret(text, {});
  auto elapsed = ms_since(start);
  CHECK(elapsed >= 290);
  CHECK(elapsed < 800);
  CHECK(r.reading == interpret_with_rules(text));
  REQUIRE(r.fallback_reason);
  CHECK(r.fallback_reason->find("timed out after 300 ms") != std::string::npos);
}

TEST_CASE("a 500 on every attempt falls back after the bounded retries", "[claude][loopback]") {
  fake_anthropic fake;
  for (int i = 0; i < 5; ++i) fake.enqueue(anthropic_reply::error(500, "api_error", "boom"));
  claude_interpreter claude(options_for(fake));
  auto r = claude.interpret(text, {});
  CHECK(r.reading.interpreter == interpreter_kind::rules);
  REQUIRE(r.fallback_reason);
  CHECK(r.fallback_reason->find("500") != std::string::npos);
  CHECK(r.fallback_reason->find("api_error: boom") != std::string::npos);
  CHECK(r.attempts == 3);
  CHECK(fake.requests().size() == 3);
}

TEST_CASE("a 401 is not retried and its reason never holds the key", "[claude][loopback]") {
  fake_anthropic fake;
  fake.enqueue(anthropic_reply::error(401, "authentication_error", "invalid x-api-key"));
  claude_interpreter claude(options_for(fake));
  auto r = claude.interpret(text, {});
  CHECK(r.reading.interpreter == interpreter_kind::rules);
  REQUIRE(r.fallback_reason);
  CHECK(r.fallback_reason->find("401") != std::string::npos);
  CHECK(r.fallback_reason->find("sk-ant-test-key") == std::string::npos);
  CHECK(fake.requests().size() == 1);
}

TEST_CASE("no server at the base URL falls back to the rules", "[claude][loopback]") {
  std::string dead_base;
  {
    fake_anthropic fake;  // a port that was just free and is closed again
    dead_base = fake.base_url();
  }
  claude_options options;
  options.api_key = fl::secret("k");
  options.api_base = dead_base;
  claude_interpreter claude(options);
  auto r = claude.interpret(text, {});
  CHECK(r.reading.interpreter == interpreter_kind::rules);
  REQUIRE(r.fallback_reason);
  CHECK(r.fallback_reason->find("no answer from Anthropic") != std::string::npos);
}

TEST_CASE("interpret_async returns at once and answers on the interpreter's thread",
          "[claude][loopback]") {
  fake_anthropic fake;
  auto slow = anthropic_reply::text(reading);
  slow.delay = 200ms;
  fake.enqueue(slow);
  claude_interpreter claude(options_for(fake));
  std::mutex m;
  std::condition_variable cv;
  std::optional<interpreter_result> result;
  std::thread::id answered_on;
  auto start = steady::now();
  claude.interpret_async(text, {}, [&](interpreter_result r) {
    std::lock_guard lock(m);
    result = std::move(r);
    answered_on = std::this_thread::get_id();
    cv.notify_all();
  });
  CHECK(ms_since(start) < 100);
  std::unique_lock lock(m);
  REQUIRE(cv.wait_for(lock, 3s, [&] { return result.has_value(); }));
  CHECK(result->reading.interpreter == interpreter_kind::claude);
  CHECK(answered_on != std::this_thread::get_id());
}

TEST_CASE("destroying the interpreter answers a pending call with the rules",
          "[claude][loopback]") {
  fake_anthropic fake;
  auto hang = anthropic_reply::text(reading);
  hang.delay = 3000ms;
  fake.enqueue(hang);
  std::optional<interpreter_result> result;
  auto start = steady::now();
  {
    claude_interpreter claude(options_for(fake));
    claude.interpret_async(text, {}, [&](interpreter_result r) { result = std::move(r); });
    while (fake.requests().empty() && ms_since(start) < 2000) std::this_thread::sleep_for(5ms);
  }
  CHECK(ms_since(start) < 2000);
  REQUIRE(result);
  CHECK(result->reading.interpreter == interpreter_kind::rules);
  CHECK(result->fallback_reason == "the Claude interpreter stopped");
}

TEST_CASE("many texts at once each get Claude's reading", "[claude][loopback]") {
  fake_anthropic fake;
  for (int i = 0; i < 8; ++i) fake.enqueue(anthropic_reply::text(reading));
  claude_interpreter claude(options_for(fake));
  std::atomic<int> claude_readings{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i)
    callers.emplace_back([&] {
      for (int k = 0; k < 2; ++k)
        if (claude.interpret(text, {}).reading.interpreter == interpreter_kind::claude)
          ++claude_readings;
    });
  for (auto& t : callers) t.join();
  CHECK(claude_readings == 8);
  CHECK(fake.requests().size() == 8);
}

TEST_CASE("a text longer than the bound is read by the rules without asking Claude",
          "[claude][loopback]") {
  fake_anthropic fake;
  fake.enqueue(anthropic_reply::text(reading));
  auto options = options_for(fake);
  options.max_text_bytes = 100;
  claude_interpreter claude(options);
  const std::string long_text = "Plow truck 3 yards salt " + std::string(200, 'x');
  auto r = claude.interpret(long_text, {});
  CHECK(r.reading == interpret_with_rules(long_text));
  REQUIRE(r.fallback_reason);
  CHECK(r.fallback_reason->find("longer than 100 bytes") != std::string::npos);
  CHECK(r.attempts == 0);
  CHECK(fake.requests().empty());
  CHECK(claude.interpret(text, {}).reading.interpreter == interpreter_kind::claude);
}
