#pragma once

// Claude reading crews' texts through the Anthropic Messages API (libcurl),
// with the built-in rules as the fallback for every failure. The wire format
// is in claude_messages.hpp; docs/interpretation.md, "The Claude path".

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "base/secret.hpp"
#include "domain/interpreter.hpp"

namespace fl::interpret {

/// Where and how patiently `claude_interpreter` asks Claude.
struct claude_options {
  /// Sent as `x-api-key`; never logged nor put into a fallback reason.
  secret api_key{""};
  /// Scheme, host and optional port, no trailing slash. Default: Anthropic.
  std::string api_base = "https://api.anthropic.com";
  /// Default: claude-sonnet-4-5.
  std::string model = "claude-sonnet-4-5";
  /// Longest time from a call to its answer, queueing, retries and waits
  /// included; past it the rules answer. Default: 8 s.
  std::chrono::milliseconds timeout{8000};
  /// Longest wait for one TCP (and TLS) connection. Default: 2 s.
  std::chrono::milliseconds connect_timeout{2000};
  /// Further requests after a 429, 529 or other 5xx answer. Default: 2.
  int max_retries = 2;
  /// Wait before the first retry when the answer has no `retry-after`;
  /// doubles for each further one. Default: 500 ms.
  std::chrono::milliseconds backoff{500};
  /// `max_tokens` of each request: a reading is ~100 tokens. Default: 512.
  int max_tokens = 512;
  /// Requests on the wire at once; later ones queue (their timeout runs).
  /// Default: 16.
  std::size_t max_in_flight = 16;
  /// Largest answer body read; a larger one is a failure. Default: 256 KiB.
  std::size_t max_response_bytes = 256 * 1024;
  /// Longest text sent to Claude; a longer one (no SMS is: 10 segments are
  /// 1600 characters) is read by the rules alone, so a flood of junk cannot
  /// run up the token bill. Default: 4000 bytes.
  std::size_t max_text_bytes = 4000;
};

/// Claude first, the rules when Claude cannot answer in time or properly.
///
/// POSTs `{api_base}/v1/messages` with `x-api-key`, `anthropic-version:
/// 2023-06-01` and `content-type: application/json`. A 429, 529 or other 5xx
/// answer is retried (at most `max_retries` times) after its `retry-after`
/// (delta-seconds), or after `backoff`, 2×`backoff`, … when it has none —
/// but only when that wait ends inside `timeout`. Any other failure (timeout,
/// transport error, another 4xx, a refusal, a malformed or schema-breaking
/// answer) falls back at once: the result holds the rules' reading and says
/// why (`fallback_reason`).
///
/// One thread of its own runs a libcurl multi handle; `interpret_async`
/// queues and returns at once, and its callback runs on that thread (a text
/// over `max_text_bytes` is answered inline, on the caller's thread). Both
/// calls are thread-safe. `interpret` blocks its caller until the answer
/// (at most `timeout` plus a few milliseconds); called from one of this
/// interpreter's callbacks it would wait for itself, so there it answers
/// with the rules at once.
///
/// Destruction stops the thread and answers every pending call with the
/// rules' reading (fallback reason "the Claude interpreter stopped") before
/// it returns; calls made while it runs are answered the same way.
class claude_interpreter final : public domain::interpreter {
 public:
  explicit claude_interpreter(claude_options options);
  ~claude_interpreter() override;
  claude_interpreter(const claude_interpreter&) = delete;
  claude_interpreter& operator=(const claude_interpreter&) = delete;

  domain::interpreter_result interpret(std::string_view text,
                                       const domain::interpret_context& context) override;
  void interpret_async(std::string text, domain::interpret_context context, callback done) override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace fl::interpret
