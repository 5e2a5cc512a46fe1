// The sandbox transport: accepted with generated sids, simulated statuses,
// truthful reconciliation, clean shutdown.

#include "outbound/sandbox_transport.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "base/timestamp.hpp"
#include "tests/outbound/outbound_test_support.hpp"

#include "outbound/transport.hpp"

using namespace fl::testing;
using fl::outbound::lookup_result;
using fl::outbound::make_sandbox_transport;
using fl::outbound::sandbox_options;
using fl::outbound::send_request;
using fl::outbound::send_result;
using fl::outbound::status_report;

namespace {

/// The statuses reported, shared so that late reports have somewhere to go.
struct reports {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<status_report> seen;

  auto callback() {
    return [this](status_report r) {
      {
        std::lock_guard lock(mutex);
        seen.push_back(std::move(r));
      }
      changed.notify_all();
    };
  }
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] { return seen.size() >= n; });
  }
  std::vector<status_report> snapshot() {
    std::lock_guard lock(mutex);
    return seen;
  }
};

sandbox_options fast() {
  return sandbox_options{std::chrono::milliseconds(20), std::chrono::milliseconds(60)};
}

}  // namespace

TEST_CASE("the sandbox accepts every text with a fresh well-formed SM sid", "[transport]") {
  auto statuses = std::make_shared<reports>();
  auto sandbox = make_sandbox_transport(statuses->callback(), fast());
  CHECK(sandbox->name() == "sandbox");
  std::regex sid_shape("SM[0-9a-f]{32}");
  auto first = send_and_wait(*sandbox, sample_send_request());
  auto second = send_and_wait(*sandbox, sample_send_request());
  CHECK(first.outcome == send_result::kind::accepted);
  CHECK(second.outcome == send_result::kind::accepted);
  CHECK(std::regex_match(first.sid, sid_shape));
  CHECK(std::regex_match(second.sid, sid_shape));
  CHECK(first.sid != second.sid);
}

TEST_CASE("the sandbox answers a send later on its own thread", "[transport]") {
  auto statuses = std::make_shared<reports>();
  auto sandbox = make_sandbox_transport(statuses->callback(), fast());
  awaited<std::thread::id> answered_on;
  sandbox->send(sample_send_request(),
                [cb = answered_on.callback()](send_result) { cb(std::this_thread::get_id()); });
  CHECK(answered_on.get() != std::this_thread::get_id());
}

TEST_CASE("the sandbox reports exactly sent then delivered for each text", "[transport]") {
  auto statuses = std::make_shared<reports>();
  auto sandbox = make_sandbox_transport(statuses->callback(), fast());
  auto accepted = send_and_wait(*sandbox, sample_send_request());
  REQUIRE(statuses->wait_for(2, std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // nothing more comes
  auto seen = statuses->snapshot();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].status == "sent");
  CHECK(seen[1].status == "delivered");
  for (const auto& r : seen) {
    CHECK(r.sid == accepted.sid);
    CHECK(r.tenant_id == "tenant-1");
    CHECK(r.from == "+15005550006");
    CHECK(r.to == "+15558675310");
    CHECK_FALSE(r.error_code);
  }
}

TEST_CASE("the sandbox's find_sent tells the truth about what it accepted", "[transport]") {
  auto statuses = std::make_shared<reports>();
  auto sandbox = make_sandbox_transport(statuses->callback(), fast());
  auto request = sample_send_request();
  CHECK(find_and_wait(*sandbox, request).outcome == lookup_result::kind::not_found);

  auto accepted = send_and_wait(*sandbox, request);
  auto found = find_and_wait(*sandbox, request);
  CHECK(found.outcome == lookup_result::kind::found);
  CHECK(found.sid == accepted.sid);

  auto other_body = request;
  other_body.body += "!";
  CHECK(find_and_wait(*sandbox, other_body).outcome == lookup_result::kind::not_found);
  auto other_to = request;
  other_to.to = "+15550000000";
  CHECK(find_and_wait(*sandbox, other_to).outcome == lookup_result::kind::not_found);
  auto queued_later = request;
  queued_later.queued_at = fl::system_now() + std::chrono::minutes(5);
  CHECK(find_and_wait(*sandbox, queued_later).outcome == lookup_result::kind::not_found);

  REQUIRE(statuses->wait_for(2, std::chrono::seconds(5)));
  CHECK(find_and_wait(*sandbox, request).status == "delivered");
}

TEST_CASE("destroying the sandbox drops statuses not yet due and returns promptly", "[transport]") {
  auto statuses = std::make_shared<reports>();
  auto sandbox = make_sandbox_transport(
      statuses->callback(), sandbox_options{std::chrono::seconds(10), std::chrono::seconds(20)});
  for (int i = 0; i < 5; ++i) (void)send_and_wait(*sandbox, sample_send_request());
  auto before = std::chrono::steady_clock::now();
  sandbox.reset();
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(1));
  CHECK(statuses->snapshot().empty());
}
