#include "outbound/reconcile.hpp"

namespace fl::outbound {

std::optional<std::size_t> pick_sent(const send_request& request,
                                     const std::vector<twilio::found_message>& candidates) {
  bool via_service = request.messaging_service_sid && !request.messaging_service_sid->empty();
  std::optional<std::size_t> after, before, undated;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto& c = candidates[i];
    if (c.body != request.body || c.to != request.to) continue;
    if (!via_service && c.from != request.from) continue;
    if (!c.date_created) {
      if (!undated) undated = i;
      continue;
    }
    auto created = *c.date_created;
    if (created >= request.queued_at) {
      if (!after || created < *candidates[*after].date_created) after = i;
    } else if (created >= request.queued_at - reconcile_clock_skew) {
      if (!before || created > *candidates[*before].date_created) before = i;
    }
  }
  if (after) return after;
  if (before) return before;
  return undated;
}

}  // namespace fl::outbound
