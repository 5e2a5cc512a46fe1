#include "projections/outbox_projection.hpp"

#include <cstring>

#include "projections/keys.hpp"

namespace fl::projections {

namespace {

constexpr char unsent_tag = 'q';
constexpr char opted_out_tag = 'o';

std::string unsent_key(const events::recorded_event& e, std::string_view message_id) {
  std::string rest(keys::party_of(e.stream));
  rest.push_back('\0');
  rest.append(message_id);
  return keys::key(e.tenant, unsent_tag, rest);
}

}  // namespace

void outbox_projection::apply(const events::recorded_event& e, write_set& out) {
  if (!keys::is_conversation_stream(e.stream)) return;
  // Queued: kept in `unsent_` until the commit. Sent or failed: forgotten,
  // and deleted only if it is stored: a delete of a key never stored would
  // stay in the family as a tombstone that every start-up scan (`read`)
  // steps over until a compaction drops it.
  auto done = [&](std::string key) {
    unsent_.erase(key);
    if (stored_.erase(key) > 0) out.erase(std::move(key));
  };
  std::visit(events::overloaded{
                 [&](const events::sms_queued& q) { unsent_.insert(unsent_key(e, q.message_id)); },
                 [&](const events::sms_sent& s) { done(unsent_key(e, s.message_id)); },
                 [&](const events::sms_failed& f) { done(unsent_key(e, f.message_id)); },
                 [&](const events::opted_out& o) {
                   out.put(keys::key(e.tenant, opted_out_tag, o.phone), "");
                 },
                 [&](const events::opted_in& o) {
                   out.erase(keys::key(e.tenant, opted_out_tag, o.phone));
                 },
                 [](const auto&) {},
             },
             e.data);
}

void outbox_projection::before_commit(write_set& out) {
  for (const auto& key : unsent_) {
    out.put(key, "");
    stored_.insert(key);
  }
  unsent_.clear();
}

void outbox_projection::reset_caches() {
  unsent_.clear();
  stored_.clear();
}

void outbox_projection::from_checkpoint(std::uint64_t checkpoint, const stored_scan& stored) {
  stored_.clear();
  if (checkpoint == 0) return;
  // Texts unsent when the state was last written: few.
  stored([&](std::string_view key, std::string_view) {
    if (keys::tag_of(key) == unsent_tag) stored_.emplace(key);
    return true;
  });
}

outbox_projection::recovery outbox_projection::read(const projection_db& db) {
  recovery out;
  auto view = db.snapshot();
  view.scan(db.family(family_name), {}, {}, false, [&](std::string_view key, std::string_view) {
    const char tag = keys::tag_of(key);
    if (tag != opted_out_tag && tag != unsent_tag) return true;
    const auto nul = key.find('\0');
    std::string tenant(key.substr(0, nul));
    auto rest = key.substr(nul + 2);
    if (tag == opted_out_tag) {
      out.opted_out.emplace_back(std::move(tenant), std::string(rest));
    } else {
      std::string phone(rest.substr(0, rest.find('\0')));
      // Keys are sorted, so a conversation's messages are adjacent.
      if (out.with_unsent.empty() || out.with_unsent.back().first != tenant ||
          out.with_unsent.back().second != phone)
        out.with_unsent.emplace_back(std::move(tenant), std::move(phone));
    }
    return true;
  });
  return out;
}

}  // namespace fl::projections
