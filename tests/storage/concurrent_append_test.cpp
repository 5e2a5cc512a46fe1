// Many appenders at once: nothing lost, nothing duplicated, every sequence
// gap-free; and the writer groups waiting appends into shared rounds.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/event_store.hpp"
#include "tests/support/sample_events.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
using storage::expected_version;
using testing::open_store;

namespace {

// Counts group commit rounds: the hook runs once per round that writes.
storage::store_options counting(std::shared_ptr<std::atomic<std::uint64_t>> rounds) {
  storage::store_options o;
  o.inject_write_failure = [rounds](std::uint64_t) {
    ++*rounds;
    return false;
  };
  return o;
}

}  // namespace

TEST_CASE(
    "concurrent appenders lose nothing, duplicate nothing and keep every sequence "
    "gap-free",
    "[storage][concurrency]") {
  testing::temp_dir dir;
  auto rounds = std::make_shared<std::atomic<std::uint64_t>>(0);
  auto store = open_store(dir / "data", counting(rounds));
  constexpr int threads = 16, per_thread = 200, shared_streams = 3;
  std::atomic<int> conflicts{0}, failures{0};

  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::uint64_t own_version = 0;
      for (int i = 0; i < per_thread; ++i) {
        std::string sid = std::to_string(t) + "/" + std::to_string(i);
        if (i % 4 == 0) {
          // A shared stream: read its version, append expecting it, retry on
          // conflict.
          std::string stream = "shared:" + std::to_string((t + i) % shared_streams);
          for (;;) {
            auto v = store->stream_version(stream);
            if (!v) {
              ++failures;
              break;
            }
            auto r = store->append({"t" + std::to_string(t % 2),
                                    stream,
                                    expected_version::exactly(*v),
                                    {testing::inbound_with_sid(sid)},
                                    {}});
            if (r) break;
            if (r.error().code != storage::store_errc::version_conflict) {
              ++failures;
              break;
            }
            ++conflicts;
          }
        } else {
          // The thread's own stream: nobody else writes it, so exactly()
          // never conflicts.
          auto r = store->append({"t" + std::to_string(t % 2),
                                  "own:" + std::to_string(t),
                                  expected_version::exactly(own_version),
                                  {testing::inbound_with_sid(sid)},
                                  {}});
          if (!r) {
            ++failures;
            continue;
          }
          own_version = r->stream_version;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  CHECK(failures == 0);

  constexpr std::size_t total = threads * per_thread;
  CHECK(store->last_position() == total);
  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  REQUIRE(all->size() == total);

  std::set<std::string> sids;
  std::map<std::string, std::uint64_t> versions;
  for (std::size_t i = 0; i < all->size(); ++i) {
    const auto& rec = (*all)[i];
    CHECK(rec.position == i + 1);
    sids.insert(std::get<events::sms_received>(rec.data).message_sid);
    CHECK(rec.version == ++versions[rec.stream]);  // each stream gap-free
  }
  CHECK(sids.size() == total);  // all distinct: nothing lost or written twice

  std::uint64_t shared_total = 0;
  for (int s = 0; s < shared_streams; ++s) {
    auto v = store->stream_version("shared:" + std::to_string(s));
    REQUIRE(v);
    shared_total += *v;
  }
  CHECK(shared_total == threads * per_thread / 4);
  for (int t = 0; t < threads; ++t) {
    auto own = store->read_stream("own:" + std::to_string(t));
    REQUIRE(own);
    CHECK(own->size() == per_thread * 3 / 4);
  }
  auto report = store->verify();
  CHECK(report.ok);
  CHECK(report.events_checked == total);
  // Waiting appenders share rounds.
  CHECK(*rounds < total);
  INFO("rounds: " << *rounds << " for " << total << " appends, " << conflicts << " conflicts");
  CHECK(*rounds <= total / 2);
}

TEST_CASE("appends queued while the writer is busy are committed together in one round",
          "[storage][concurrency]") {
  testing::temp_dir dir;
  std::atomic<std::uint64_t> rounds{0};
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  storage::store_options options;
  options.inject_write_failure = [&](std::uint64_t round) {
    ++rounds;
    if (round == 1) {
      entered.set_value();
      released.wait_for(std::chrono::seconds(30));  // bounded: a failed test must not hang
    }
    return false;
  };
  auto store = open_store(dir / "data", options);

  constexpr int n = 500;
  std::vector<std::promise<storage::append_outcome>> done(n + 1);
  auto submit = [&](int i) {
    store->append_async({"t1",
                         "s" + std::to_string(i % 7),
                         expected_version::any(),
                         {testing::inbound_with_sid(std::to_string(i))},
                         {}},
                        [&done, i](storage::append_outcome r) { done[i].set_value(std::move(r)); });
  };
  submit(0);
  REQUIRE(entered.get_future().wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  for (int i = 1; i <= n; ++i) submit(i);
  release.set_value();

  std::uint64_t expected_position = 1;
  for (int i = 0; i <= n; ++i) {
    auto r = done[i].get_future().get();
    REQUIRE(r);
    CHECK(r->first_position == expected_position++);  // in submission order
  }
  CHECK(rounds == 2);  // the held round, then everything queued meanwhile
  CHECK(store->verify().ok);
}

TEST_CASE("many appends submitted with append_async complete in far fewer rounds than appends",
          "[storage][concurrency]") {
  testing::temp_dir dir;
  auto rounds = std::make_shared<std::atomic<std::uint64_t>>(0);
  auto store = open_store(dir / "data", counting(rounds));
  constexpr int n = 2000;
  std::atomic<int> acknowledged{0}, failed{0};
  std::promise<void> all_done;
  for (int i = 0; i < n; ++i) {
    store->append_async({"t1",
                         "s" + std::to_string(i % 5),
                         expected_version::any(),
                         {testing::inbound_with_sid(std::to_string(i))},
                         {}},
                        [&](storage::append_outcome r) {
                          if (!r)
                            ++failed;  // callbacks run on the writer thread: no assertions there
                          if (++acknowledged == n) all_done.set_value();
                        });
  }
  REQUIRE(all_done.get_future().wait_for(std::chrono::seconds(120)) == std::future_status::ready);
  CHECK(failed == 0);
  CHECK(store->last_position() == n);
  INFO("rounds: " << *rounds << " for " << n << " appends");
  CHECK(*rounds <= n / 10);
}
