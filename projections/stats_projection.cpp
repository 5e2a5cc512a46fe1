#include "projections/stats_projection.hpp"

#include "domain/local_calendar.hpp"
#include "domain/message_status.hpp"
#include "projections/keys.hpp"
#include "projections/record_codec.hpp"
#include "projections/stats_counters.hpp"

namespace fl::projections {

std::string encode(const stats_counters& c) {
  record_writer w;
  w.u64(c.sent);
  w.u64(c.received);
  w.u64(c.delivered);
  w.u64(c.failed);
  return w.take();
}

stats_counters decode_counters(std::string_view bytes) {
  record_reader r(bytes);
  stats_counters c;
  c.sent = r.u64();
  c.received = r.u64();
  c.delivered = r.u64();
  c.failed = r.u64();
  return r.ok() ? c : stats_counters{};
}

namespace {

enum class counter { sent, received, delivered, failed };

using cached_counters = record_cache<std::string, stats_counters>;

void bump(write_set& out, cached_counters& cached, std::string_view key, counter which) {
  auto* slot = cached.find(key);
  if (!slot) {
    auto bytes = out.peek(key);
    slot = &cached.keep(std::string(key), std::string(key),
                        bytes ? decode_counters(*bytes) : stats_counters{}, true);
  }
  auto& c = slot->record;
  slot->dirty = true;
  switch (which) {
    case counter::sent:
      ++c.sent;
      break;
    case counter::received:
      ++c.received;
      break;
    case counter::delivered:
      ++c.delivered;
      break;
    case counter::failed:
      ++c.failed;
      break;
  }
}

// Counts the final outcome of one message once: the first final status wins.
bool first_final(write_set& out, const std::string& tenant, std::string_view message,
                 std::string_view status) {
  auto key = keys::key(tenant, 'f', message);
  if (out.peek(key)) return false;
  out.put(std::move(key), std::string(status));
  return true;
}

void set_opted_out(write_set& out, const std::string& tenant, std::string_view phone, bool on) {
  auto marker = keys::key(tenant, 'o', phone);
  bool was = out.peek(marker).has_value();
  if (was == on) return;
  auto count_key = keys::key(tenant, 'n');
  auto stored = out.peek(count_key);
  std::uint64_t count = stored ? storage::keys::read_be64(*stored) : 0;
  if (on) {
    out.put(std::move(marker), "");
    ++count;
  } else {
    out.erase(std::move(marker));
    if (count > 0) --count;
  }
  out.put(std::move(count_key), storage::keys::be64(count));
}

}  // namespace

domain::local_date_finder& stats_projection::dates_of(const std::string& tenant,
                                                      const write_set& out) {
  if (auto it = zones_.find(tenant); it != zones_.end()) return it->second;
  auto name = out.get(keys::key(tenant, 'z'));
  const date::time_zone* zone = name ? domain::find_time_zone(*name) : nullptr;
  return zones_.emplace(tenant, domain::local_date_finder(zone)).first->second;
}

void stats_projection::end_batch(write_set& out) {
  if (counters_.size() <= max_cached) return;
  before_commit(out);
  counters_.clear();
}

void stats_projection::before_commit(write_set& out) {
  counters_.flush([&](const auto& s) { out.put(s.key, encode(s.record)); });
}

void stats_projection::apply(const events::recorded_event& e, write_set& out) {
  const auto& tenant = e.tenant;
  auto count = [&](counter which) {
    const auto& when = dates_of(tenant, out).of(e.recorded_at);
    thread_local std::string buffer;
    bump(out, counters_, keys::key_into(buffer, tenant, 'd', when.day), which);
    bump(out, counters_, keys::key_into(buffer, tenant, 'M', when.month), which);
  };
  std::visit(events::overloaded{
                 [&](const events::tenant_created& t) {
                   out.put(keys::key(tenant, 'z'), t.timezone);
                   zones_.erase(tenant);
                 },
                 [&](const events::sms_received&) { count(counter::received); },
                 [&](const events::sms_sent&) { count(counter::sent); },
                 [&](const events::sms_status_changed& s) {
                   auto status = domain::parse_message_status(s.status);
                   if (!status) return;
                   bool delivered = *status == domain::message_status::delivered;
                   bool failed = *status == domain::message_status::failed ||
                                 *status == domain::message_status::undelivered;
                   if (!delivered && !failed) return;
                   if (!first_final(out, tenant, s.message_sid, s.status)) return;
                   count(delivered ? counter::delivered : counter::failed);
                 },
                 [&](const events::sms_failed& f) {
                   if (first_final(out, tenant, "#" + f.message_id, "failed"))
                     count(counter::failed);
                 },
                 [&](const events::opted_out& o) { set_opted_out(out, tenant, o.phone, true); },
                 [&](const events::opted_in& o) { set_opted_out(out, tenant, o.phone, false); },
                 [](const auto&) {},
             },
             e.data);
}

}  // namespace fl::projections
