#include "domain/outbound_policy.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace fl::domain {

namespace {

double positive_or_one(double x) {
  return std::isfinite(x) && x > 0 ? x : 1.0;
}

}  // namespace

send_rate_limiter::send_rate_limiter(double per_second, double burst) {
  const double rate = positive_or_one(per_second);
  const double depth = std::isfinite(burst) && burst >= 1 ? burst : 1.0;
  interval_ = std::chrono::microseconds(std::llround(1e6 / rate));
  tolerance_ = std::chrono::microseconds(std::llround((depth - 1) * 1e6 / rate));
}

fl::timestamp send_rate_limiter::reserve(fl::timestamp now) {
  // GCRA, the token bucket written with one timestamp: `next_` is when the
  // next message would go if messages went at exactly the steady rate; a
  // message may go up to `tolerance_` ahead of that.
  const fl::timestamp steady = next_ ? std::max(*next_, now) : now;
  const fl::timestamp at = std::max(now, steady - tolerance_);
  next_ = steady + interval_;
  return at;
}

std::chrono::milliseconds backoff_delay(const retry_policy& policy, int attempt, double unit_random,
                                        std::optional<std::chrono::milliseconds> retry_after) {
  using std::chrono::milliseconds;
  const std::int64_t cap = std::max<std::int64_t>(policy.cap.count(), 0);
  const std::int64_t base = std::clamp<std::int64_t>(policy.base.count(), 0, cap);
  // base * 2^(attempt-1), saturating at `cap` (and before the shift overflows).
  std::int64_t ceiling = base;
  for (int i = 1; i < attempt && ceiling > 0 && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  const double u = std::isfinite(unit_random) ? std::clamp(unit_random, 0.0, 1.0) : 0.0;
  auto delay = static_cast<std::int64_t>(std::floor(static_cast<double>(ceiling) * u));
  delay = std::min(delay, ceiling > 0 ? ceiling - 1 : 0);  // [0, ceiling) even if u == 1
  milliseconds out{delay};
  if (retry_after && *retry_after > out) out = *retry_after;
  return out;
}

std::string_view to_string(send_failure_kind kind) {
  return kind == send_failure_kind::retryable ? "retryable" : "permanent";
}

send_failure_kind classify_send_failure(int http_status, std::optional<std::int64_t> twilio_code) {
  static constexpr std::array<std::int64_t, 12> permanent_codes{
      21211, 21408, 21602, 21606, 21610, 21612, 21614, 21617, 21635, 30004, 30005, 30006};
  static constexpr std::array<std::int64_t, 4> retryable_codes{20429, 14107, 21611, 30001};
  if (twilio_code) {
    if (std::find(permanent_codes.begin(), permanent_codes.end(), *twilio_code) !=
        permanent_codes.end())
      return send_failure_kind::permanent;
    if (std::find(retryable_codes.begin(), retryable_codes.end(), *twilio_code) !=
        retryable_codes.end())
      return send_failure_kind::retryable;
  }
  if (http_status <= 0 || http_status == 408 || http_status == 429 ||
      (http_status >= 500 && http_status <= 599))
    return send_failure_kind::retryable;
  return send_failure_kind::permanent;
}

bool marks_opted_out(std::optional<std::int64_t> twilio_code) {
  return twilio_code == 21610;
}

}  // namespace fl::domain
