#pragma once

// How outbound texts are paced and retried: pure policies over explicit
// timestamps and random draws, so tests need no clock and no sleeps.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/timestamp.hpp"

namespace fl::domain {

/// Token bucket for one sender number: `per_second` messages a second (a US
/// long code: 1), bursts of up to `burst` at once. Not thread-safe: one owner
/// (the sender's outbox) calls it.
class send_rate_limiter {
 public:
  /// `per_second` > 0 and `burst` >= 1; other values (zero, negative, NaN)
  /// are taken as 1, Twilio's long-code rate with no burst.
  explicit send_rate_limiter(double per_second, double burst = 1);

  /// Reserves the next slot and answers when the message may go (>= `now`).
  /// Requests of a burst queue up: at 1/s with no burst, the n-th of a burst
  /// at `now` goes at now + (n-1) s. An idle bucket refills up to `burst`.
  /// `now` need not grow between calls.
  fl::timestamp reserve(fl::timestamp now);

 private:
  std::chrono::microseconds interval_;   // between two messages at the steady rate
  std::chrono::microseconds tolerance_;  // how far ahead of the steady rate a burst may go
  std::optional<fl::timestamp> next_;    // when the next message would go at the steady rate
};

/// How often and how patiently a failed send is retried.
struct retry_policy {
  // Default: 8. Attempts in all, the first one included; then the message fails.
  int max_attempts = 8;
  // Default: 1 s. The ceiling of the first retry's delay; it doubles each attempt.
  std::chrono::milliseconds base{1000};
  // Default: 5 min. No delay's ceiling grows beyond this.
  std::chrono::milliseconds cap{300000};
};

/// The delay before retrying after failed attempt number `attempt` (1 = the
/// first try failed): exponential backoff with full jitter, uniform in
/// [0, min(cap, base * 2^(attempt-1))), drawn from `unit_random` in [0, 1)
/// (clamped). A Retry-After from Twilio is a floor: the delay is never
/// shorter. `attempt` below 1 counts as 1.
std::chrono::milliseconds backoff_delay(
    const retry_policy& policy, int attempt, double unit_random,
    std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

/// Whether a send that failed is worth trying again.
enum class send_failure_kind : std::uint8_t { retryable, permanent };

std::string_view to_string(send_failure_kind kind);

/// Classifies a failed call to Twilio's Messages API by its HTTP status (0 or
/// below: no HTTP answer at all — connection refused, reset or timed out) and
/// Twilio's error code, when the body had one.
///
/// Twilio's code decides first, whatever the HTTP status:
/// - permanent: 21211 invalid To; 21408 no permission for the To's region;
///   21602 empty body; 21606 From cannot send to this To; 21610 To
///   unsubscribed (replied STOP); 21612 To unreachable from this From;
///   21614 To not a mobile number; 21617 body over 1600 characters; 21635
///   To is a landline; 30004 blocked by the recipient or carrier; 30005 To
///   unknown; 30006 landline or unreachable carrier. Sending the same
///   message again gets the same answer.
/// - retryable: 20429 too many requests; 14107 over 30 replies between the
///   two numbers in 30 s; 21611 the From's queue is full (10 h of messages);
///   30001 queue overflow. Each clears with time.
/// Otherwise by HTTP status: no answer, 408, 429 and 5xx are retryable;
/// anything else (other 4xx) is permanent.
send_failure_kind classify_send_failure(int http_status, std::optional<std::int64_t> twilio_code);

/// Twilio's error 21610: the recipient replied STOP to this sender. The
/// number must be recorded as opted out.
bool marks_opted_out(std::optional<std::int64_t> twilio_code);

}  // namespace fl::domain
