// twilio::rest_client under load and at destruction.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "tests/outbound/outbound_test_support.hpp"
#include "tests/support/fake_twilio.hpp"
#include "twilio/rest_client.hpp"

using namespace fl::testing;
using fl::twilio::create_result;
using fl::twilio::rest_client;

namespace {

/// Counts callbacks; outlives the client so late callbacks would be seen.
struct tally {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<create_result> results;

  auto callback() {
    return [this](create_result r) {
      {
        std::lock_guard lock(mutex);
        results.push_back(std::move(r));
      }
      changed.notify_all();
    };
  }
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] { return results.size() >= n; });
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return results.size();
  }
};

}  // namespace

TEST_CASE("two hundred concurrent creates all complete with distinct sids", "[twilio_rest]") {
  fake_twilio fake;
  auto options = options_for(fake.base_url());
  options.request_timeout = 20s;
  rest_client client(options);
  auto results = std::make_shared<tally>();
  constexpr std::size_t n = 200;
  for (std::size_t i = 0; i < n; ++i) {
    auto message = sample_message();
    message.body = "message " + std::to_string(i);
    client.create(std::move(message), results->callback());
  }
  REQUIRE(results->wait_for(n, 60s));
  std::set<std::string> sids;
  for (const auto& r : results->results) {
    INFO(r.error_message);
    CHECK(r.outcome == create_result::kind::created);
    sids.insert(r.sid);
  }
  CHECK(sids.size() == n);
  CHECK(fake.request_count() == n);
}

TEST_CASE("requests beyond max_in_flight wait their turn and still complete", "[twilio_rest]") {
  fake_twilio fake;
  for (int i = 0; i < 4; ++i) fake.enqueue(canned_response::hang_for(1s));
  auto options = options_for(fake.base_url());
  options.max_in_flight = 2;
  rest_client client(options);
  auto results = std::make_shared<tally>();
  for (int i = 0; i < 6; ++i) client.create(sample_message(), results->callback());
  // Only two are on the wire while the first ones hang.
  REQUIRE(fake.wait_for_requests(2, 5s));
  std::this_thread::sleep_for(150ms);
  CHECK(fake.request_count() == 2);
  REQUIRE(results->wait_for(6, 10s));
  CHECK(fake.request_count() == 6);
}

TEST_CASE("destroying the client with requests in flight returns promptly and calls no callback",
          "[twilio_rest]") {
  fake_twilio fake;
  for (int i = 0; i < 8; ++i) fake.enqueue(canned_response::hang_for(5s));
  auto results = std::make_shared<tally>();
  auto options = options_for(fake.base_url());
  options.max_in_flight = 4;  // four on the wire, four still queued
  auto client = std::make_unique<rest_client>(options);
  for (int i = 0; i < 8; ++i) client->create(sample_message(), results->callback());
  REQUIRE(fake.wait_for_requests(4, 5s));

  auto before = std::chrono::steady_clock::now();
  client.reset();
  CHECK(std::chrono::steady_clock::now() - before < 1s);
  std::this_thread::sleep_for(200ms);
  CHECK(results->count() == 0);
}

TEST_CASE("destroying a client right after creating it does not hang", "[twilio_rest]") {
  for (int i = 0; i < 20; ++i) {
    rest_client client(options_for("http://127.0.0.1:" + std::to_string(closed_port())));
    client.create(sample_message(), [](create_result) {});
  }
  SUCCEED();
}

TEST_CASE("a callback may queue the next request on the same client", "[twilio_rest]") {
  fake_twilio fake;
  rest_client client(options_for(fake.base_url()));
  awaited<create_result> second;
  // No Catch2 assertion on the client's thread: Catch2 v2 is not thread-safe.
  client.create(sample_message(), [&client, cb = second.callback()](create_result) {
    client.create(sample_message(), cb);
  });
  CHECK(second.get().outcome == create_result::kind::created);
  CHECK(fake.request_count() == 2);
}

TEST_CASE("post runs a task on the client's thread", "[twilio_rest]") {
  rest_client client(fl::twilio::rest_options{});
  awaited<std::thread::id> ran_on;
  client.post([cb = ran_on.callback()] { cb(std::this_thread::get_id()); });
  CHECK(ran_on.get() != std::this_thread::get_id());
}
