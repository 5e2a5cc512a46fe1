#pragma once

// A fake of Anthropic's Messages API on 127.0.0.1, on a raw socket so a test
// sees every request byte as it came and can make the fake hang.

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace fl::testing {

/// One request the fake received.
struct anthropic_request {
  std::string method;
  std::string target;
  /// Names lower-cased, in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::steady_clock::time_point received_at;

  /// The first header called `name` (lower-case), or "".
  std::string header(const std::string& name) const;
};

/// What the fake answers to one request.
struct anthropic_reply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  /// Wait this long before answering (a client timeout fires first).
  std::chrono::milliseconds delay{0};

  /// 200 with a Messages API answer whose one text block is `text`.
  static anthropic_reply text(const std::string& text);
  /// `status` with Anthropic's error shape.
  static anthropic_reply error(int status, const std::string& type, const std::string& message,
                               std::vector<std::pair<std::string, std::string>> headers = {});
};

/// Answers requests one connection at a time with the replies queued, in
/// order; once they run out, with 500 "nothing scripted". Each answer closes
/// its connection.
class fake_anthropic {
 public:
  fake_anthropic();
  ~fake_anthropic();
  fake_anthropic(const fake_anthropic&) = delete;
  fake_anthropic& operator=(const fake_anthropic&) = delete;

  /// `http://127.0.0.1:<port>`.
  std::string base_url() const;
  void enqueue(anthropic_reply reply);
  std::vector<anthropic_request> requests() const;

 private:
  void serve();
  void handle(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  bool stopping_ = false;  // guarded by mutex_
  mutable std::mutex mutex_;
  std::deque<anthropic_reply> replies_;      // guarded by mutex_
  std::vector<anthropic_request> received_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace fl::testing
