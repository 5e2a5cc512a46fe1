#include "outbound/sandbox_transport.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "outbound/reconcile.hpp"

namespace fl::outbound {

namespace {

using steady = std::chrono::steady_clock;

class sandbox_transport final : public transport {
 public:
  sandbox_transport(std::function<void(status_report)> on_status, sandbox_options options)
      : on_status_(std::move(on_status)), options_(options), rng_(std::random_device{}()) {
    options_.delivered_after = std::max(options_.delivered_after, options_.sent_after);
    thread_ = std::thread([this] { run(); });
  }

  ~sandbox_transport() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  void send(send_request request, std::function<void(send_result)> done) override {
    auto now = steady::now();
    std::lock_guard lock(mutex_);
    forget_old();
    std::string sid = new_sid();
    records_.push_back(
        twilio::found_message{sid, "queued", request.to, request.from, request.body, system_now()});
    status_report report{std::move(request.tenant_id),
                         std::move(request.from),
                         std::move(request.to),
                         sid,
                         {},
                         std::nullopt};
    schedule(now, [done = std::move(done), sid] {
      done(send_result{send_result::kind::accepted, sid, {}, {}, {}, 201});
    });
    schedule(now + options_.sent_after, [this, report] { advance(report, "sent"); });
    schedule(now + options_.delivered_after, [this, report] { advance(report, "delivered"); });
  }

  void find_sent(send_request request, std::function<void(lookup_result)> done) override {
    std::lock_guard lock(mutex_);
    std::vector<twilio::found_message> candidates(records_.begin(), records_.end());
    auto match = pick_sent(request, candidates);
    lookup_result answer = match ? lookup_result{lookup_result::kind::found,
                                                 candidates[*match].sid,
                                                 candidates[*match].status,
                                                 {}}
                                 : lookup_result{lookup_result::kind::not_found, {}, {}, {}};
    schedule(steady::now(), [done = std::move(done), answer = std::move(answer)] { done(answer); });
  }

  std::string_view name() const override { return "sandbox"; }

 private:
  struct job {
    steady::time_point due;
    std::uint64_t seq;
    std::function<void()> run;
  };
  /// Orders the heap earliest first, then in scheduling order.
  static bool later(const job& a, const job& b) {
    return a.due != b.due ? a.due > b.due : a.seq > b.seq;
  }

  // Callers hold mutex_.
  void schedule(steady::time_point due, std::function<void()> run) {
    jobs_.push_back(job{due, next_seq_++, std::move(run)});
    std::push_heap(jobs_.begin(), jobs_.end(), later);
    wake_.notify_all();
  }

  std::string new_sid() {
    static constexpr char hex[] = "0123456789abcdef";
    std::string sid = "SM";
    for (int word = 0; word < 2; ++word) {
      auto bits = rng_();
      for (int i = 0; i < 16; ++i, bits >>= 4) sid += hex[bits & 0xF];
    }
    return sid;
  }

  void forget_old() {
    auto horizon = system_now() - options_.remember_for;
    while (!records_.empty() && records_.front().date_created < horizon) records_.pop_front();
  }

  /// Runs on the timer thread, without the lock.
  void advance(status_report report, const char* status) {
    {
      std::lock_guard lock(mutex_);
      // Newest first: the message was accepted moments ago.
      auto it = std::find_if(records_.rbegin(), records_.rend(),
                             [&](const auto& r) { return r.sid == report.sid; });
      if (it != records_.rend()) it->status = status;
    }
    report.status = status;
    if (on_status_) on_status_(std::move(report));
  }

  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (jobs_.empty()) {
        wake_.wait(lock);
        continue;
      }
      auto due = jobs_.front().due;
      if (due > steady::now()) {
        wake_.wait_until(lock, due);
        continue;
      }
      std::pop_heap(jobs_.begin(), jobs_.end(), later);
      auto next = std::move(jobs_.back());
      jobs_.pop_back();
      lock.unlock();
      next.run();
      lock.lock();
    }
    jobs_.clear();  // dropped: the owner is going away
  }

  std::function<void(status_report)> on_status_;
  sandbox_options options_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<job> jobs_;  // a heap, see `later`
  std::uint64_t next_seq_ = 0;
  std::deque<twilio::found_message> records_;  // oldest first
  std::mt19937_64 rng_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<transport> make_sandbox_transport(std::function<void(status_report)> on_status,
                                                  sandbox_options options) {
  return std::make_unique<sandbox_transport>(std::move(on_status), options);
}

}  // namespace fl::outbound
