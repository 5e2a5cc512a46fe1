#include "projections/read_model.hpp"

#include <algorithm>
#include <charconv>

#include "projections/conversation_projection.hpp"
#include "projections/keys.hpp"
#include "projections/message_projection.hpp"
#include "projections/stats_projection.hpp"

namespace fl::projections {

namespace {

using storage::keys::be64;
using storage::keys::read_be64;

std::optional<std::uint64_t> parse_position(std::string_view text) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n == 0) return std::nullopt;
  return n;
}

query_error bad_cursor() {
  return {"cursor", "cursor is not one this listing gave out"};
}

bool matches(const message_view& m, const message_filter& f) {
  if (f.direction && m.direction != *f.direction) return false;
  if (f.status && m.status != *f.status) return false;
  if (f.trigger && m.trigger != *f.trigger) return false;
  if (f.customer_id && m.customer_id != *f.customer_id) return false;
  if (f.contractor_id && m.contractor_id != *f.contractor_id) return false;
  return true;
}

constexpr std::size_t typical_record_size = 512;

// The records at `keys` of `family`, in order, those found.
stored_records fetch(const projection_db::view& view, std::size_t family,
                     const std::vector<std::string>& keys) {
  stored_records out;
  auto values = view.get_many(family, keys);
  out.reserve(keys.size(), keys.size() * typical_record_size);
  for (const auto& bytes : values)
    if (bytes) out.push_back(*bytes);
  return out;
}

template <class Record, class Decode>
std::vector<Record> decode_all(const stored_records& stored, Decode decode) {
  std::vector<Record> out;
  out.reserve(stored.size());
  for (std::size_t i = 0; i < stored.size(); ++i)
    if (auto r = decode(stored[i])) out.push_back(std::move(*r));
  return out;
}

}  // namespace

read_model::read_model(const projection_db& db)
    : db_(db),
      messages_(db.family(message_projection::family_name)),
      conversations_(db.family(conversation_projection::family_name)),
      stats_(db.family(stats_projection::family_name)) {}

expected<stored_page, query_error> read_model::stored_messages(std::string_view tenant,
                                                               const message_filter& filter,
                                                               const page_request& page) const {
  std::string from = keys::key(tenant, 'm');
  std::string to = prefix_end(from);
  if (page.cursor) {
    auto before = parse_position(*page.cursor);
    if (!before) return unexpected{bad_cursor()};
    to = keys::key(tenant, 'm', *before);
  }
  stored_page out;
  out.items.reserve(page.limit, page.limit * typical_record_size);
  std::size_t examined = 0;
  std::uint64_t last_examined = 0;
  bool more = false;
  auto view = db_.snapshot();
  const bool filtered = filter.direction || filter.status || filter.trigger || filter.customer_id ||
                        filter.contractor_id || filter.since;
  view.scan(messages_, from, to, true, [&](std::string_view key, std::string_view value) {
    if (out.items.size() == page.limit || examined == scan_budget) {
      more = true;
      return false;
    }
    ++examined;
    if (!filtered) {  // the answer decodes the record; its position is in the key
      last_examined = read_be64(key.substr(key.size() - 8));
      out.items.push_back(value);
      return true;
    }
    auto m = view_message(value);
    if (!m) return true;
    if (filter.since && m->created_at_us < to_micros(*filter.since)) return false;
    last_examined = m->position;
    if (matches(*m, filter)) out.items.push_back(value);
    return true;
  });
  if (more && last_examined != 0) out.next_cursor = std::to_string(last_examined);
  return out;
}

expected<message_page, query_error> read_model::messages(std::string_view tenant,
                                                         const message_filter& filter,
                                                         const page_request& page) const {
  auto stored = stored_messages(tenant, filter, page);
  if (!stored) return unexpected{std::move(stored.error())};
  return message_page{decode_all<message_record>(stored->items, decode_message),
                      std::move(stored->next_cursor)};
}

expected<stored_page, query_error> read_model::stored_conversations(
    std::string_view tenant, const page_request& page) const {
  auto view = db_.snapshot();
  // A first page shows every latest entry. It is pinned (for the cursor) at
  // the newest of them, not at the checkpoint (a read of its own): no move
  // of this tenant's conversations is in the snapshot after that position.
  std::uint64_t as_of = 0;
  std::uint64_t newest = UINT64_MAX;  // the first position the page may show
  std::uint64_t checkpoint = 0;
  if (page.cursor) {
    // "<as_of>.<position>": the listing's start and the last item shown.
    auto dot = page.cursor->find('.');
    if (dot == std::string::npos) return unexpected{bad_cursor()};
    auto pinned = parse_position(std::string_view(*page.cursor).substr(0, dot));
    auto before = parse_position(std::string_view(*page.cursor).substr(dot + 1));
    if (!pinned || !before || *before > *pinned) return unexpected{bad_cursor()};
    checkpoint = view.checkpoint(conversations_);
    as_of = std::min(checkpoint, *pinned);
    newest = std::min(as_of, *before - 1);
  }
  // Each conversation's latest entry at or before `newest` is also its
  // latest as of `as_of`: one more than the page, to know whether there are more.
  stored_records latest;
  latest.reserve(page.limit, page.limit * typical_record_size);
  std::vector<std::uint64_t> latest_at;  // positions, newest first
  view.scan(conversations_, conversation_projection::activity_key(tenant, newest),
            prefix_end(keys::key(tenant, 'a')), false,
            [&](std::string_view key, std::string_view value) {
              auto entry = decode_activity(value);
              if (!entry) return true;
              latest_at.push_back(conversation_projection::activity_position(key));
              if (latest_at.size() > page.limit) return false;
              latest.push_back(entry->record);
              return true;
            });
  // Conversations that moved up after `as_of` (none on a first page): their
  // latest message as of `as_of` is a superseded entry; their record is read
  // by phone. Only those that can still be on the page are looked for.
  std::vector<std::pair<std::uint64_t, std::string>> moved;  // position, `v` key
  if (page.cursor && checkpoint > as_of)
    view.scan(conversations_, conversation_projection::superseded_key(tenant, newest),
              prefix_end(keys::key(tenant, 'h')), false,
              [&](std::string_view key, std::string_view value) {
                auto position = conversation_projection::activity_position(key);
                auto newer = static_cast<std::size_t>(
                    std::partition_point(latest_at.begin(), latest_at.end(),
                                         [&](std::uint64_t p) { return p > position; }) -
                    latest_at.begin());
                if (moved.size() + newer > page.limit) return false;
                auto entry = decode_activity(value);
                if (entry && entry->superseded_at > as_of)
                  moved.emplace_back(position, keys::key(tenant, 'v', entry->phone));
                return true;
              });
  std::vector<std::optional<std::string>> moved_records;
  if (!moved.empty()) {
    std::vector<std::string> keys;
    for (const auto& m : moved) keys.push_back(m.second);
    moved_records = view.get_many(conversations_, keys);
  }
  stored_page out;
  std::uint64_t last_position = 0;
  bool more = false;
  if (moved.empty()) {
    more = latest_at.size() > page.limit;
    if (!latest.empty()) last_position = latest_at[latest.size() - 1];
    out.items = std::move(latest);
  } else {
    // Both lists are newest first: merged, the page is their first `limit`.
    out.items.reserve(page.limit, page.limit * typical_record_size);
    for (std::size_t l = 0, m = 0, taken = 0; l < latest_at.size() || m < moved.size(); ++taken) {
      if (taken == page.limit) {
        more = true;
        break;
      }
      if (m == moved.size() || (l < latest_at.size() && latest_at[l] > moved[m].first)) {
        last_position = latest_at[l];
        out.items.push_back(latest[l++]);
      } else {
        last_position = moved[m].first;
        if (const auto& bytes = moved_records[m]) out.items.push_back(*bytes);
        ++m;
      }
    }
  }
  if (!page.cursor && !latest_at.empty()) as_of = latest_at.front();
  if (more) out.next_cursor = std::to_string(as_of) + "." + std::to_string(last_position);
  return out;
}

expected<conversation_page, query_error> read_model::conversations(std::string_view tenant,
                                                                   const page_request& page) const {
  auto stored = stored_conversations(tenant, page);
  if (!stored) return unexpected{std::move(stored.error())};
  return conversation_page{decode_all<conversation_record>(stored->items, decode_conversation),
                           std::move(stored->next_cursor)};
}

expected<std::optional<stored_conversation_detail>, query_error> read_model::stored_conversation(
    std::string_view tenant, std::string_view phone, const page_request& page) const {
  auto view = db_.snapshot();
  auto bytes = view.get(conversations_, keys::key(tenant, 'v', phone));
  if (!bytes || !view_conversation(*bytes)) return std::optional<stored_conversation_detail>{};
  stored_conversation_detail out;
  out.conversation = std::move(*bytes);
  std::string by_party(phone);
  by_party.push_back('\0');
  std::string from = keys::key(tenant, 'c', by_party);
  std::string to = prefix_end(from);
  std::string start = from;
  if (page.cursor) {
    auto after = parse_position(*page.cursor);
    if (!after) return unexpected{bad_cursor()};
    start = from + be64(*after + 1);
  }
  bool more = false;
  std::vector<std::string> keys;
  view.scan(messages_, start, to, false, [&](std::string_view key, std::string_view) {
    if (keys.size() == page.limit) {
      more = true;
      return false;
    }
    keys.push_back(keys::key(tenant, 'm', key.substr(key.size() - 8)));
    return true;
  });
  out.messages = fetch(view, messages_, keys);
  if (more)
    for (std::size_t i = out.messages.size(); i-- > 0;)
      if (auto m = view_message(out.messages[i])) {
        out.next_cursor = std::to_string(m->position);
        break;
      }
  return std::optional<stored_conversation_detail>{std::move(out)};
}

expected<std::optional<conversation_detail>, query_error> read_model::conversation(
    std::string_view tenant, std::string_view phone, const page_request& page) const {
  auto stored = stored_conversation(tenant, phone, page);
  if (!stored) return unexpected{std::move(stored.error())};
  if (!*stored) return std::optional<conversation_detail>{};
  auto c = decode_conversation((*stored)->conversation);
  if (!c) return std::optional<conversation_detail>{};
  return std::optional<conversation_detail>{conversation_detail{
      std::move(*c), decode_all<message_record>((*stored)->messages, decode_message),
      std::move((*stored)->next_cursor)}};
}

stats_view read_model::stats(std::string_view tenant, std::string_view day) const {
  auto view = db_.snapshot();
  stats_view out;
  out.day = std::string(day);
  out.month = out.day.substr(0, 7);
  if (auto b = view.get(stats_, keys::key(tenant, 'd', out.day))) out.today = decode_counters(*b);
  if (auto b = view.get(stats_, keys::key(tenant, 'M', out.month)))
    out.this_month = decode_counters(*b);
  if (auto b = view.get(stats_, keys::key(tenant, 'n'))) out.opted_out = read_be64(*b);
  return out;
}

}  // namespace fl::projections
