// `?min_position=N` on the API's GETs: read-your-writes, waiting off the
// server threads through `server_deps::await_position` (a fake here).

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <future>
#include <mutex>
#include <optional>

#include "http/server.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/support/http_client.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

// What the fake `await_position` was asked, and the `done` it was handed.
struct awaited {
  std::mutex mutex;
  std::vector<std::uint64_t> positions;
  std::vector<std::chrono::milliseconds> timeouts;
  std::function<void(bool)> done;

  std::size_t calls() {
    std::lock_guard lock(mutex);
    return positions.size();
  }
  std::function<void(bool)> take_done() {
    std::lock_guard lock(mutex);
    return std::exchange(done, nullptr);
  }
};

// A bare HTTP edge (no actors, no log): `GET /api/v1/tenants` with the
// operator token stands for any GET of the API.
class bare_server {
 public:
  explicit bare_server(awaited& seen, std::function<void(std::function<void(bool)>&)> on_wait) {
    http::server_deps deps;
    deps.admin.operator_token = secret(operator_token);
    deps.admin.tenants = &directory_;
    deps.readiness_detail = [] { return std::string("projections at 3/9"); };
    deps.await_position = [&seen, on_wait](std::uint64_t position,
                                           std::chrono::milliseconds timeout,
                                           std::function<void(bool)> done) {
      {
        std::lock_guard lock(seen.mutex);
        seen.positions.push_back(position);
        seen.timeouts.push_back(timeout);
        seen.done = std::move(done);
      }
      if (on_wait) on_wait(seen.done);
    };
    auto started = http::server::start({"127.0.0.1", 0, 2}, deps);
    REQUIRE(started);
    server_ = std::move(*started);
  }

  http::server& server() { return *server_; }

  http_response get(const std::string& path_and_query) {
    return http_request("GET",
                        "http://127.0.0.1:" + std::to_string(server_->port()) + path_and_query, "",
                        {{"Authorization", std::string("Bearer ") + operator_token}});
  }

 private:
  domain::tenant_directory directory_;
  std::unique_ptr<http::server> server_;
};

}  // namespace

TEST_CASE("a GET whose min_position is not a non-negative integer gets 400 naming the parameter",
          "[min_position]") {
  awaited seen;
  bare_server s(seen, [](std::function<void(bool)>& done) { done(true); });
  for (std::string bad : {"-1", "abc", "", "1.5", "0x10", "99999999999999999999999", "%zz"}) {
    INFO(bad);
    auto r = s.get("/api/v1/tenants?min_position=" + bad);
    CHECK(r.status == 400);
    auto j = json::parse(r.body);
    CHECK(j["error"]["code"] == "invalid_parameter");
    CHECK(j["error"]["message"].get<std::string>().find("min_position") != std::string::npos);
  }
  CHECK(seen.calls() == 0);
}

TEST_CASE("a GET whose min_position the projections do not reach in time gets 503 saying how far",
          "[min_position]") {
  awaited seen;
  // The fake gives up at once, as the real one does after the timeout.
  bare_server s(seen, [](std::function<void(bool)>& done) { done(false); });
  auto r = s.get("/api/v1/tenants?min_position=42");
  CHECK(r.status == 503);
  auto j = json::parse(r.body);
  CHECK(j["error"]["code"] == "projections_behind");
  auto message = j["error"]["message"].get<std::string>();
  CHECK(message.find("42") != std::string::npos);
  CHECK(message.find("projections at 3/9") != std::string::npos);
  REQUIRE(seen.calls() == 1);
  CHECK(seen.positions[0] == 42);
  CHECK(seen.timeouts[0] == std::chrono::seconds(5));
}

TEST_CASE("a GET whose min_position is reached gets the handler's answer once it is",
          "[min_position]") {
  awaited seen;
  bare_server s(seen, {});
  auto pending =
      std::async(std::launch::async, [&] { return s.get("/api/v1/tenants?min_position=7"); });
  REQUIRE(eventually([&] { return seen.calls() == 1; }));
  CHECK(pending.wait_for(std::chrono::milliseconds(100)) == std::future_status::timeout);
  // Reached later, from another thread than the server's.
  std::thread([done = seen.take_done()] { done(true); }).join();
  auto r = pending.get();
  CHECK(r.status == 200);
  CHECK(json::parse(r.body)["items"].is_array());
  CHECK(seen.positions[0] == 7);
}

TEST_CASE("requests without min_position, and the operations routes, do not wait",
          "[min_position]") {
  awaited seen;
  bare_server s(seen, [](std::function<void(bool)>& done) { done(false); });
  CHECK(s.get("/api/v1/tenants").status == 200);
  CHECK(s.get("/api/v1/tenants?limit=5").status == 200);
  CHECK(s.get("/healthz?min_position=5").status == 200);
  CHECK(seen.calls() == 0);
}

TEST_CASE("a request waiting for its min_position is in flight: drain waits for its answer",
          "[min_position][drain]") {
  awaited seen;
  bare_server s(seen, {});
  auto pending =
      std::async(std::launch::async, [&] { return s.get("/api/v1/tenants?min_position=3"); });
  REQUIRE(eventually([&] { return seen.calls() == 1; }));
  CHECK_FALSE(s.server().drain(std::chrono::milliseconds(100)));
  auto done = seen.take_done();
  done(true);
  CHECK(pending.get().status == 200);
  CHECK(s.server().drain(std::chrono::milliseconds(1000)));
}
