// Claude over one libcurl multi handle on one thread, the rules as fallback.

#include "interpret/claude_interpreter.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/rules_interpreter.hpp"

#include "interpret/claude_messages.hpp"
#include "net/curl_exchange.hpp"

namespace fl::interpret {

namespace {

using clock = std::chrono::steady_clock;
using domain::interpreter_result;
using std::chrono::milliseconds;

constexpr std::string_view anthropic_version = "2023-06-01";
constexpr milliseconds idle_poll{1000};

std::string ms_text(milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

/// One text to read, from the call to its answer.
struct job {
  std::string text;
  std::string request_body;
  domain::interpreter::callback done;
  clock::time_point deadline;
  clock::time_point not_before;  // when waiting to retry
  int attempts = 0;
};

/// One request on the wire for a job.
struct transfer : net::curl_exchange {
  std::unique_ptr<job> work;
};

bool retryable_status(long status) {
  return status == 429 || (status >= 500 && status <= 599);  // 529: overloaded
}

}  // namespace

struct claude_interpreter::impl {
  explicit impl(claude_options o) : options(std::move(o)) {
    while (!options.api_base.empty() && options.api_base.back() == '/') options.api_base.pop_back();
    options.max_in_flight = std::max<std::size_t>(options.max_in_flight, 1);
    options.max_retries = std::max(options.max_retries, 0);
    url = options.api_base + "/v1/messages";
    key_header = "x-api-key: " + options.api_key.reveal();
    multi = curl_multi_init();
  }

  /// Answers with the rules' reading and why Claude's was not used.
  void fall_back(job& j, std::string reason) const {
    interpreter_result r{domain::interpret_with_rules(j.text), std::move(reason), options.model,
                         j.attempts};
    answer(j, std::move(r));
  }

  static void answer(job& j, interpreter_result r) {
    auto done = std::move(j.done);
    try {
      done(std::move(r));
    } catch (...) {
      // A callback must not throw; if one does, it must not take down the
      // thread every other text is read on.
    }
  }

  void submit(std::unique_ptr<job> j) {
    {
      std::lock_guard lock(mutex);
      if (!closed) {
        submitted.push_back(std::move(j));
        curl_multi_wakeup(multi);
        return;
      }
    }
    fall_back(*j, "the Claude interpreter stopped");
  }

  void run() {
    while (!stopping.load()) {
      {
        std::lock_guard lock(mutex);
        for (auto& j : submitted) waiting.push_back(std::move(j));
        submitted.clear();
      }
      auto now = clock::now();
      release_due_retries(now);
      expire_waiting(now);
      while (active.size() < options.max_in_flight && !waiting.empty()) {
        auto j = std::move(waiting.front());
        waiting.pop_front();
        start(std::move(j), now);
      }
      int running = 0;
      curl_multi_perform(multi, &running);
      collect_finished();
      if (stopping.load()) break;
      curl_multi_poll(multi, nullptr, 0, static_cast<int>(poll_timeout(clock::now()).count()),
                      nullptr);
    }
    // Every pending text still gets an answer: the rules'.
    std::vector<std::unique_ptr<job>> pending;
    for (auto& [easy, t] : active) {
      curl_multi_remove_handle(multi, easy);
      pending.push_back(std::move(t->work));
    }
    active.clear();
    for (auto& j : waiting) pending.push_back(std::move(j));
    waiting.clear();
    for (auto& j : delayed) pending.push_back(std::move(j));
    delayed.clear();
    {
      std::lock_guard lock(mutex);
      closed = true;
      for (auto& j : submitted) pending.push_back(std::move(j));
      submitted.clear();
    }
    for (auto& j : pending) fall_back(*j, "the Claude interpreter stopped");
  }

  void release_due_retries(clock::time_point now) {
    auto due = std::stable_partition(delayed.begin(), delayed.end(),
                                     [&](const auto& j) { return j->not_before > now; });
    for (auto it = due; it != delayed.end(); ++it) waiting.push_front(std::move(*it));
    delayed.erase(due, delayed.end());
  }

  void expire_waiting(clock::time_point now) {
    for (auto it = waiting.begin(); it != waiting.end();) {
      if ((*it)->deadline <= now) {
        auto j = std::move(*it);
        it = waiting.erase(it);
        fall_back(*j, "timed out after " + ms_text(options.timeout) +
                          " waiting for a free connection to Anthropic");
      } else {
        ++it;
      }
    }
  }

  milliseconds poll_timeout(clock::time_point now) const {
    auto next = now + idle_poll;
    for (const auto& j : delayed) next = std::min(next, j->not_before);
    for (const auto& j : waiting) next = std::min(next, j->deadline);
    auto wait = std::chrono::ceil<milliseconds>(next - now);
    return std::clamp(wait, milliseconds(0), idle_poll);
  }

  void start(std::unique_ptr<job> j, clock::time_point now) {
    auto remaining = std::chrono::floor<milliseconds>(j->deadline - now);
    if (remaining <= milliseconds(0)) {
      fall_back(*j, "timed out after " + ms_text(options.timeout));
      return;
    }
    auto t = std::make_unique<transfer>();
    if (!t->open(url, t.get(),
                 {std::min(options.connect_timeout, remaining), remaining,
                  options.max_response_bytes})) {
      fall_back(*j, "cannot create a libcurl handle");
      return;
    }
    ++j->attempts;
    t->work = std::move(j);
    CURL* e = t->easy;
    t->add_header(key_header);
    t->add_header("anthropic-version: " + std::string(anthropic_version));
    t->add_header("content-type: application/json");
    t->add_header("accept: application/json");
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->work->request_body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(t->work->request_body.size()));
    if (curl_multi_add_handle(multi, e) != CURLM_OK) {
      fall_back(*t->work, "cannot start a libcurl transfer");
      return;
    }
    active.emplace(e, std::move(t));
  }

  void collect_finished() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      auto it = active.find(msg->easy_handle);
      if (it == active.end()) continue;
      CURLcode rc = msg->data.result;
      auto t = std::move(it->second);
      active.erase(it);
      curl_multi_remove_handle(multi, t->easy);
      if (stopping.load()) {
        // The destructor answers it: put it back where run()'s end looks.
        waiting.push_back(std::move(t->work));
        continue;
      }
      finish(*t, rc);
    }
  }

  void finish(transfer& t, CURLcode rc) {
    auto& j = t.work;
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300 && rc == CURLE_OK) {
      auto reading = parse_claude_response(t.response);
      if (!reading) return fall_back(*j, std::move(reading).error());
      return answer(
          *j, interpreter_result{std::move(*reading), std::nullopt, options.model, j->attempts});
    }
    if (t.too_large)
      return fall_back(*j, "Anthropic's answer exceeds " +
                               std::to_string(options.max_response_bytes) + " bytes");
    if (status == 0 || rc != CURLE_OK) {
      if (rc == CURLE_OPERATION_TIMEDOUT)
        return fall_back(*j,
                         "timed out after " + ms_text(options.timeout) +
                             (j->attempts > 1 ? " (" + std::to_string(j->attempts) + " attempts)"
                                              : std::string()));
      std::string what = t.error[0] ? std::string(t.error.data()) : curl_easy_strerror(rc);
      return fall_back(*j, "no answer from Anthropic: " + what);
    }
    std::string why =
        "Anthropic answered " + std::to_string(status) + ": " + describe_claude_error(t.response);
    if (!retryable_status(status)) return fall_back(*j, std::move(why));
    if (j->attempts > options.max_retries)
      return fall_back(*j, why + " (" + std::to_string(j->attempts) + " attempts)");
    auto wait = t.retry_after.value_or(options.backoff * (1 << std::min(j->attempts - 1, 16)));
    auto now = clock::now();
    if (now + wait >= j->deadline)
      return fall_back(*j, why + "; retrying after " + ms_text(wait) + " would pass the " +
                               ms_text(options.timeout) + " timeout");
    j->not_before = now + wait;
    delayed.push_back(std::move(j));
  }

  claude_options options;
  std::string url;
  std::string key_header;
  CURLM* multi = nullptr;
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::vector<std::unique_ptr<job>> submitted;  // guarded by mutex
  bool closed = false;                          // guarded by mutex

  // Only the interpreter's thread touches these.
  std::deque<std::unique_ptr<job>> waiting;
  std::vector<std::unique_ptr<job>> delayed;
  std::unordered_map<CURL*, std::unique_ptr<transfer>> active;

  std::thread thread;
};

claude_interpreter::claude_interpreter(claude_options options) {
  net::init_curl_once();
  impl_ = std::make_unique<impl>(std::move(options));
  impl_->thread = std::thread([p = impl_.get()] { p->run(); });
}

claude_interpreter::~claude_interpreter() {
  impl_->stopping.store(true);
  curl_multi_wakeup(impl_->multi);
  impl_->thread.join();
  curl_multi_cleanup(impl_->multi);
}

domain::interpreter_result claude_interpreter::interpret(std::string_view text,
                                                         const domain::interpret_context& context) {
  if (std::this_thread::get_id() == impl_->thread.get_id()) {
    return interpreter_result{domain::interpret_with_rules(text),
                              "called from the Claude interpreter's own thread",
                              impl_->options.model, 0};
  }
  std::promise<interpreter_result> promise;
  auto answer = promise.get_future();
  interpret_async(std::string(text), context,
                  [&promise](interpreter_result r) { promise.set_value(std::move(r)); });
  return answer.get();
}

void claude_interpreter::interpret_async(std::string text, domain::interpret_context context,
                                         callback done) {
  auto j = std::make_unique<job>();
  if (text.size() > impl_->options.max_text_bytes) {
    j->text = std::move(text);
    j->done = std::move(done);
    return impl_->fall_back(*j, "the text is longer than " +
                                    std::to_string(impl_->options.max_text_bytes) +
                                    " bytes: not sent to Claude");
  }
  j->request_body =
      build_claude_request(text, context, impl_->options.model, impl_->options.max_tokens);
  j->text = std::move(text);
  j->done = std::move(done);
  j->deadline = clock::now() + impl_->options.timeout;
  impl_->submit(std::move(j));
}

}  // namespace fl::interpret
