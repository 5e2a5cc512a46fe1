#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>

#include "storage/event_store.hpp"
#include "storage/keys.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/sample_events.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
using namespace std::chrono_literals;

namespace {

const std::string binary = FL_BINARY;

void append_sample_log(const std::filesystem::path& data, int n) {
  auto store = storage::event_store::open(data);
  REQUIRE(store);
  for (int i = 0; i < n; ++i) {
    std::string stream = i % 2 ? "conversation:t1:+15551230001" : "conversation:t1:+15551230002";
    REQUIRE((*store)->append({"t1",
                              stream,
                              storage::expected_version::any(),
                              {testing::sample_inbound(i)},
                              std::nullopt}));
  }
}

std::uint16_t bound_port(testing::child_process& server) {
  REQUIRE(server.wait_for_output("listening on http://", 10s));
  std::smatch m;
  std::string out = server.output();
  REQUIRE(std::regex_search(out, m, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))")));
  return static_cast<std::uint16_t>(std::stoi(m[1]));
}

}  // namespace

TEST_CASE("serve answers health checks and stops cleanly on SIGTERM", "[binary]") {
  testing::temp_dir dir;
  testing::child_process server(
      {binary, "serve", "--listen", "127.0.0.1:0", "--data", (dir / "data").string()});
  auto port = bound_port(server);
  auto base = "http://127.0.0.1:" + std::to_string(port);

  auto health = testing::http_request("GET", base + "/healthz");
  CHECK(health.status == 200);
  auto ready = testing::http_request("GET", base + "/readyz");
  CHECK(ready.status == 200);
  CHECK(nlohmann::json::parse(ready.body)["ready"] == true);
  auto missing = testing::http_request("GET", base + "/no/such/route");
  CHECK(missing.status == 404);
  CHECK(nlohmann::json::parse(missing.body)["error"]["code"] == "not_found");

  server.signal(SIGTERM);
  CHECK(server.wait_exit(10s) == 0);
  CHECK(server.output().find("stopped cleanly") != std::string::npos);
}

TEST_CASE("a second server on the same data directory is refused as locked", "[binary]") {
  testing::temp_dir dir;
  auto data = (dir / "data").string();
  testing::child_process first({binary, "serve", "--listen", "127.0.0.1:0", "--data", data});
  bound_port(first);
  auto [code, out] =
      testing::run_program({binary, "serve", "--listen", "127.0.0.1:0", "--data", data});
  CHECK(code == 3);
  CHECK(out.find("in use by another fieldline process") != std::string::npos);
}

TEST_CASE("serve refuses a directory that holds something else and leaves it alone", "[binary]") {
  testing::temp_dir dir;
  std::filesystem::create_directories(dir / "photos");
  std::ofstream(dir / "photos" / "cat.jpg") << "not a database";
  auto [code, out] = testing::run_program(
      {binary, "serve", "--listen", "127.0.0.1:0", "--data", (dir / "photos").string()});
  CHECK(code == 3);
  CHECK(out.find("not_a_store") != std::string::npos);
  CHECK(std::distance(std::filesystem::directory_iterator(dir / "photos"),
                      std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("a bad setting is a usage error that names it", "[binary]") {
  auto [code, out] = testing::run_program({binary, "serve", "--listen", "nonsense"});
  CHECK(code == 2);
  CHECK(out.find("listen") != std::string::npos);
  auto [code2, out2] = testing::run_program({binary, "launch"});
  CHECK(code2 == 2);
}

TEST_CASE("verify passes on an intact log and exits 1 naming the position of a flipped byte",
          "[binary]") {
  testing::temp_dir dir;
  auto data = dir / "data";
  append_sample_log(data, 10);
  auto [rebuild_code, rebuild_out] =
      testing::run_program({binary, "rebuild", "--data", data.string()});
  REQUIRE(rebuild_code == 0);

  auto [ok_code, ok_out] = testing::run_program({binary, "verify", "--data", data.string()});
  CHECK(ok_code == 0);
  CHECK(ok_out.find("10 events") != std::string::npos);
  CHECK(ok_out.find("projections ok") != std::string::npos);

  {
    testing::raw_db db(data);
    std::string key = storage::keys::be64(7);
    std::string value = db.get(testing::raw_db::log, key);
    auto at = value.find("Skid steer");
    REQUIRE(at != std::string::npos);
    value[at] = 's';
    db.put(testing::raw_db::log, key, value);
  }
  auto [bad_code, bad_out] = testing::run_program({binary, "verify", "--data", data.string()});
  CHECK(bad_code == 1);
  CHECK(bad_out.find("BROKEN at position 7") != std::string::npos);
}

TEST_CASE("rebuild builds every projection from the log and verify then finds them equal",
          "[binary]") {
  testing::temp_dir dir;
  auto data = dir / "data";
  append_sample_log(data, 12);
  auto [code, out] = testing::run_program({binary, "rebuild", "--data", data.string()});
  CHECK(code == 0);
  CHECK(out.find("from 12 events") != std::string::npos);
  // Twice is the same as once.
  auto [again, again_out] = testing::run_program({binary, "rebuild", "--data", data.string()});
  CHECK(again == 0);
  auto [verify_code, verify_out] =
      testing::run_program({binary, "verify", "--data", data.string()});
  CHECK(verify_code == 0);
  CHECK(verify_out.find("equal to a fresh rebuild at position 12") != std::string::npos);
}

TEST_CASE("verify fails on a log whose projections were never built, saying to rebuild",
          "[binary]") {
  testing::temp_dir dir;
  auto data = dir / "data";
  append_sample_log(data, 3);
  auto [code, out] = testing::run_program({binary, "verify", "--data", data.string()});
  CHECK(code == 1);
  CHECK(out.find("chain ok") != std::string::npos);
  CHECK(out.find("fieldline rebuild") != std::string::npos);
}

TEST_CASE("rebuild of a directory without a log fails and creates nothing", "[binary]") {
  testing::temp_dir dir;
  auto [code, out] = testing::run_program({binary, "rebuild", "--data", (dir / "none").string()});
  CHECK(code != 0);
  CHECK_FALSE(std::filesystem::exists(dir / "none"));
}

TEST_CASE("replay prints the log as NDJSON, filtered by stream and time", "[binary]") {
  testing::temp_dir dir;
  auto data = dir / "data";
  append_sample_log(data, 6);

  auto [code, out] = testing::run_program({binary, "replay", "--data", data.string()});
  REQUIRE(code == 0);
  std::istringstream lines(out);
  std::string line;
  std::uint64_t expected_position = 1;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    CHECK(j["position"] == expected_position++);
    CHECK(j["type"] == "sms_received");
    CHECK(j["hash"].get<std::string>().size() == 64);
    CHECK(j["data"]["body"].get<std::string>().find("Skid steer") == 0);
  }
  CHECK(expected_position == 7);

  auto [scode, sout] = testing::run_program(
      {binary, "replay", "--data", data.string(), "--stream", "conversation:t1:+15551230001"});
  REQUIRE(scode == 0);
  CHECK(std::count(sout.begin(), sout.end(), '\n') == 3);

  auto [pcode, pout] = testing::run_program(
      {binary, "replay", "--data", data.string(), "--as-of", "2000-01-01T00:00:00Z"});
  REQUIRE(pcode == 0);
  CHECK(pout.empty());

  auto [bcode, bout] =
      testing::run_program({binary, "replay", "--data", data.string(), "--as-of", "yesterday"});
  CHECK(bcode == 2);
}

TEST_CASE("replay and verify of a missing data directory fail clearly without creating it",
          "[binary]") {
  testing::temp_dir dir;
  auto missing = dir / "nothing-here";
  auto [code, out] = testing::run_program({binary, "verify", "--data", missing.string()});
  CHECK(code == 3);
  CHECK(out.find("no fieldline data") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(missing));
  auto [rcode, rout] = testing::run_program({binary, "replay", "--data", missing.string()});
  CHECK(rcode == 3);
}
