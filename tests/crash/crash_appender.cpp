// The child process of the crash test: opens the event store and appends
// forever from several threads, reporting each acknowledged append on stdout
// (see crash_protocol.hpp), until the parent SIGKILLs it.
//
// Usage: fl_crash_appender <data dir> <seed>
//
// It exits on its own only when the store breaks a promise it can see without
// a crash (an unexpected error, a stale expected version accepted, a resent
// external id written twice): status 3 and a message on stderr.

#include <unistd.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/event_store.hpp"
#include "tests/crash/crash_protocol.hpp"

using namespace fl;

namespace {

constexpr int kThreads = 4;
constexpr int kMaxBurst = 2;
constexpr std::size_t kMaxResendable = 64;
const std::array<std::string, 2> kTenants{"acme", "bolt"};

// One write(2) per line: lines shorter than PIPE_BUF never interleave.
void emit(const std::string& line) {
  std::size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(4);  // the parent is gone
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "fl_crash_appender: %s\n", why.c_str());
  std::fflush(stderr);
  std::_Exit(3);
}

// An append with what is needed to report and check it.
struct planned {
  storage::append_request request;
  std::vector<crash::fingerprint> prints;
  bool stale = false;                      // carries a wrong expected version: must be refused
  std::optional<std::uint64_t> resend_of;  // a copy of an append acknowledged at this position
};

// Reports an acknowledged append; runs on the caller's or the writer thread.
void report(const planned& p, const storage::append_outcome& r) {
  if (p.stale) {
    if (r) die("an append with a stale expected version to " + p.request.stream + " was accepted");
    if (r.error().code != storage::store_errc::version_conflict)
      die("a stale append failed with " + r.error().message);
    return;
  }
  if (!r) die("append to " + p.request.stream + " failed: " + r.error().message);
  crash::ack_line a;
  a.tenant = p.request.tenant;
  a.external_id = p.request.external_id;
  a.first = r->first_position;
  if (r->duplicate) {
    if (!p.resend_of) die("a fresh external id " + *p.request.external_id + " was a duplicate");
    a.kind = crash::ack_line::kind_t::duplicate;
  } else {
    if (p.resend_of)
      die("resent external id " + *p.request.external_id + " was written again at " +
          std::to_string(r->first_position) + " (first at " + std::to_string(*p.resend_of) + ")");
    a.last = r->last_position;
    a.stream_version = r->stream_version;
    a.stream = p.request.stream;
    a.events = p.prints;
  }
  emit(crash::format_line(a));
}

class appender_thread {
 public:
  // Tokens start with the process's seed, which the parent draws afresh for
  // each round, so that they are unique in the whole log.
  appender_thread(storage::event_store& store, int index, std::uint64_t process_seed)
      : store_(store),
        index_(index),
        rng_(process_seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(index + 1)),
        prefix_(std::to_string(process_seed)) {
    for (std::size_t t = 0; t < kTenants.size(); ++t) {
      auto v = store_.stream_version(owned_stream(t));
      if (!v) die("reading a stream version: " + v.error().message);
      owned_version_[t] = *v;
    }
  }

  [[noreturn]] void run() {
    for (;;) {
      if (rng_() % 2 == 0) {
        planned p = next();
        auto r = store_.append(p.request);
        report(p, r);
        settle(p, r);
      } else {
        burst();
      }
    }
  }

 private:
  std::string owned_stream(std::size_t tenant) const {
    return "outbox:" + kTenants[tenant] + ":" + std::to_string(index_);
  }

  std::string token() {
    return prefix_ + "-" + std::to_string(index_) + "-" + std::to_string(counter_++);
  }

  crash::fingerprint print(std::string_view kinds) {
    return {kinds[rng_() % kinds.size()], token()};
  }

  planned next() {
    planned p;
    const std::size_t t = rng_() % kTenants.size();
    p.request.tenant = kTenants[t];
    const std::string conversation =
        "conversation:" + kTenants[t] + ":+1555000000" + std::to_string(rng_() % 3);
    const auto roll = rng_() % 100;
    if (roll < 10 && !resendable_.empty()) {
      // A webhook retried after it was acknowledged: must come back a duplicate.
      return resendable_[rng_() % resendable_.size()];
    }
    if (roll < 35) {
      // An inbound text, sometimes with the auto-reply it triggered.
      p.request.stream = conversation;
      p.prints.push_back(print("rm"));
      if (rng_() % 3 == 0) p.prints.push_back(print("q"));
      p.request.external_id = "SM" + p.prints.front().token;
    } else if (roll < 60) {
      p.request.stream = conversation;
      const auto n = 2 + rng_() % 2;
      for (std::size_t i = 0; i < n; ++i) p.prints.push_back(print("qsc"));
    } else if (roll < 85) {
      // This thread's own stream: the exact version is known, in flight or not.
      p.request.stream = owned_stream(t);
      const auto n = 1 + rng_() % 2;
      for (std::size_t i = 0; i < n; ++i) p.prints.push_back(print("qf"));
      p.request.expected = storage::expected_version::exactly(owned_version_[t]);
      owned_version_[t] += n;
    } else if (roll < 90) {
      p.request.stream = owned_stream(t);
      p.prints.push_back(print("q"));
      p.request.expected = storage::expected_version::exactly(owned_version_[t] + 1);
      p.stale = true;
    } else {
      // A status callback, deduplicated by its own id.
      p.request.stream = conversation;
      p.prints.push_back(print("c"));
      p.request.external_id = "status-" + p.prints.front().token;
    }
    for (const auto& f : p.prints) p.request.events.push_back(crash::make_event(f));
    return p;
  }

  // Remembers acknowledged appends with an external id, to resend them.
  void settle(const planned& p, const storage::append_outcome& r) {
    if (p.stale || p.resend_of || !p.request.external_id || !r) return;
    planned again = p;
    again.resend_of = r->first_position;
    if (resendable_.size() < kMaxResendable)
      resendable_.push_back(std::move(again));
    else
      resendable_[rng_() % kMaxResendable] = std::move(again);
  }

  // Several appends in flight at once, so that group commit batches them.
  void burst() {
    const std::size_t n = 1 + rng_() % kMaxBurst;
    std::vector<planned> plans;
    for (std::size_t i = 0; i < n; ++i) plans.push_back(next());
    std::vector<std::optional<storage::append_outcome>> outcomes(n);
    std::mutex mu;
    std::condition_variable cv;
    std::size_t pending = n;
    for (std::size_t i = 0; i < n; ++i) {
      store_.append_async(plans[i].request, [&, i](storage::append_outcome r) {
        report(plans[i], r);
        // Notified under the lock: this frame outlives the last callback.
        std::lock_guard lk(mu);
        outcomes[i] = std::move(r);
        if (--pending == 0) cv.notify_one();
      });
    }
    {
      std::unique_lock lk(mu);
      cv.wait(lk, [&] { return pending == 0; });
    }
    for (std::size_t i = 0; i < n; ++i) settle(plans[i], *outcomes[i]);
  }

  storage::event_store& store_;
  const int index_;
  std::mt19937_64 rng_;
  const std::string prefix_;
  std::uint64_t counter_ = 0;
  std::array<std::uint64_t, kTenants.size()> owned_version_{};
  std::vector<planned> resendable_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <data dir> <seed>\n", argv[0]);
    return 2;
  }
  const std::uint64_t seed = std::strtoull(argv[2], nullptr, 10);
  auto store = storage::event_store::open(argv[1]);
  if (!store) die("opening " + std::string(argv[1]) + ": " + store.error().message);
  emit(crash::format_line(
      {.kind = crash::ack_line::kind_t::ready, .first = (*store)->last_position()}));

  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&store, i, seed] { appender_thread(**store, i, seed).run(); });
  for (auto& t : threads) t.join();  // never: the parent kills this process
}
