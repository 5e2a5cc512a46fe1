#include "projections/read_model.hpp"

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

bool matches(const message_record& m, const message_filter& f) {
  if (f.direction && m.direction != *f.direction) return false;
  if (f.status && m.status != *f.status) return false;
  if (f.trigger && m.trigger != *f.trigger) return false;
  if (f.customer_id && m.customer_id != *f.customer_id) return false;
  if (f.contractor_id && m.contractor_id != *f.contractor_id) return false;
  return true;
}

}  // namespace

read_model::read_model(const projection_db& db)
    : db_(db),
      messages_(db.family(message_projection::family_name)),
      conversations_(db.family(conversation_projection::family_name)),
      stats_(db.family(stats_projection::family_name)) {}

expected<message_page, query_error> read_model::messages(std::string_view tenant,
                                                         const message_filter& filter,
                                                         const page_request& page) const {
  std::string from = keys::key(tenant, 'm');
  std::string to = prefix_end(from);
  if (page.cursor) {
    auto before = parse_position(*page.cursor);
    if (!before) return unexpected{bad_cursor()};
    to = keys::key(tenant, 'm', *before);
  }
  message_page out;
  std::size_t examined = 0;
  std::uint64_t last_examined = 0;
  bool more = false;
  auto view = db_.snapshot();
  view.scan(messages_, from, to, true, [&](std::string_view, std::string_view value) {
    if (out.items.size() == page.limit || examined == scan_budget) {
      more = true;
      return false;
    }
    ++examined;
    auto m = decode_message(value);
    if (!m) return true;
    if (filter.since && m->created_at_us < to_micros(*filter.since)) return false;
    last_examined = m->position;
    if (matches(*m, filter)) out.items.push_back(std::move(*m));
    return true;
  });
  if (more && last_examined != 0) out.next_cursor = std::to_string(last_examined);
  return out;
}

expected<conversation_page, query_error> read_model::conversations(std::string_view tenant,
                                                                   const page_request& page) const {
  auto view = db_.snapshot();
  std::uint64_t as_of = view.checkpoint(conversations_);
  std::string from = keys::key(tenant, 'a');
  std::string to = prefix_end(from);
  if (page.cursor) {
    // "<as_of>.<position>": the listing's start and the last item shown.
    auto dot = page.cursor->find('.');
    if (dot == std::string::npos) return unexpected{bad_cursor()};
    auto pinned = parse_position(std::string_view(*page.cursor).substr(0, dot));
    auto before = parse_position(std::string_view(*page.cursor).substr(dot + 1));
    if (!pinned || !before || *before > *pinned) return unexpected{bad_cursor()};
    as_of = std::min(as_of, *pinned);
    to = keys::key(tenant, 'a', *before);
  }
  conversation_page out;
  std::vector<std::string> keys;
  std::uint64_t last_position = 0;
  bool more = false;
  view.scan(conversations_, from, to, true, [&](std::string_view key, std::string_view value) {
    std::uint64_t position = read_be64(key.substr(key.size() - 8));
    if (position > as_of) return true;  // after the listing started
    auto entry = decode_activity(value);
    // The conversation's latest message as of `as_of` is the one shown.
    if (!entry || (entry->superseded_at != 0 && entry->superseded_at <= as_of)) return true;
    if (keys.size() == page.limit) {
      more = true;
      return false;
    }
    keys.push_back(keys::key(tenant, 'v', entry->phone));
    last_position = position;
    return true;
  });
  for (auto& bytes : view.get_many(conversations_, keys))
    if (bytes)
      if (auto c = decode_conversation(*bytes)) out.items.push_back(std::move(*c));
  if (more) out.next_cursor = std::to_string(as_of) + "." + std::to_string(last_position);
  return out;
}

expected<std::optional<conversation_detail>, query_error> read_model::conversation(
    std::string_view tenant, std::string_view phone, const page_request& page) const {
  auto view = db_.snapshot();
  auto bytes = view.get(conversations_, keys::key(tenant, 'v', phone));
  if (!bytes) return std::optional<conversation_detail>{};
  auto c = decode_conversation(*bytes);
  if (!c) return std::optional<conversation_detail>{};
  conversation_detail out;
  out.conversation = std::move(*c);
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
  for (auto& bytes : view.get_many(messages_, keys))
    if (bytes)
      if (auto m = decode_message(*bytes)) out.messages.push_back(std::move(*m));
  if (more && !out.messages.empty()) out.next_cursor = std::to_string(out.messages.back().position);
  return std::optional<conversation_detail>{std::move(out)};
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
