#include "outbox/unsent_scan.hpp"

#include <map>
#include <set>

namespace fl::outbox {

namespace {

constexpr std::string_view conversation_prefix = "conversation:";

}  // namespace

expected<outbox_recovery, std::string> scan_for_outbox(const storage::event_store& store) {
  // stream → its unsent message ids
  std::map<std::string, std::set<std::string>> unsent;
  std::map<std::string, std::string> tenant_of;
  std::set<std::pair<std::string, std::string>> opted_out;
  auto done =
      store.replay(1, store.last_position(), [&](std::span<const events::recorded_event> batch) {
        for (const auto& r : batch) {
          if (!r.stream.starts_with(conversation_prefix)) continue;
          if (const auto* q = std::get_if<events::sms_queued>(&r.data)) {
            unsent[r.stream].insert(q->message_id);
            tenant_of[r.stream] = r.tenant;
          } else if (const auto* s = std::get_if<events::sms_sent>(&r.data)) {
            if (auto it = unsent.find(r.stream); it != unsent.end())
              it->second.erase(s->message_id);
          } else if (const auto* f = std::get_if<events::sms_failed>(&r.data)) {
            if (auto it = unsent.find(r.stream); it != unsent.end())
              it->second.erase(f->message_id);
          }
        }
        return true;
      });
  if (!done) return unexpected{"cannot scan the log for unsent messages: " + done.error().message};
  outbox_recovery out;
  out.opted_out.assign(opted_out.begin(), opted_out.end());
  for (const auto& [stream, ids] : unsent) {
    if (ids.empty()) continue;
    const std::string& tenant = tenant_of[stream];
    // conversation:<tenant>:<phone>
    auto phone_at = conversation_prefix.size() + tenant.size() + 1;
    if (stream.size() <= phone_at) continue;
    out.with_unsent.push_back(actors::conversation_key(tenant, stream.substr(phone_at)));
  }
  return out;
}

}  // namespace fl::outbox
