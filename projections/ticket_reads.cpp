#include "projections/ticket_reads.hpp"

#include <algorithm>
#include <charconv>

#include "projections/keys.hpp"
#include "projections/ticket_projection.hpp"

namespace fl::projections {

namespace {

using P = ticket_projection;

std::optional<std::uint64_t> parse_position(std::string_view text) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n == 0) return std::nullopt;
  return n;
}

bool matches(const ticket_record& t, const ticket_filter& f) {
  if (f.status && t.status() != *f.status) return false;
  if (f.contractor_id && t.contractor_id != *f.contractor_id) return false;
  if (f.property_id && t.ticket.property_id != *f.property_id) return false;
  return true;
}

}  // namespace

ticket_reads::ticket_reads(const projection_db& db)
    : db_(db), family_(db.family(ticket_projection::family_name)) {}

expected<ticket_page, query_error> ticket_reads::tickets(std::string_view tenant,
                                                         const ticket_filter& filter,
                                                         const page_request& page) const {
  std::string from = keys::key(tenant, P::record_tag);
  std::string to = prefix_end(from);
  if (page.cursor) {
    auto after = parse_position(*page.cursor);
    if (!after) return unexpected{query_error{"cursor", "cursor is not one this listing gave out"}};
    // Keys hold ~position: the first key after the cursor's.
    from = P::record_key(tenant, *after - 1);
  }
  const std::size_t limit = std::clamp<std::size_t>(page.limit, 1, read_model::max_limit);
  const bool filtered = filter.status || filter.contractor_id || filter.property_id;
  ticket_page out;
  std::size_t examined = 0;
  std::uint64_t last_examined = 0;
  bool more = false;
  auto view = db_.snapshot();
  view.scan(family_, from, to, false, [&](std::string_view key, std::string_view value) {
    if (out.items.size() == limit || (filtered && examined == scan_budget)) {
      more = true;
      return false;
    }
    ++examined;
    last_examined = ~storage::keys::read_be64(key.substr(key.size() - 8));
    auto t = decode_ticket(value);
    if (t && matches(*t, filter)) out.items.push_back(std::move(*t));
    return true;
  });
  if (more && last_examined != 0) out.next_cursor = std::to_string(last_examined);
  return out;
}

std::optional<ticket_record> ticket_reads::ticket(std::string_view tenant,
                                                  std::string_view id) const {
  if (id.empty()) return std::nullopt;
  auto view = db_.snapshot();
  auto where = view.get(family_, P::id_key(tenant, id));
  if (!where || where->size() != 8) return std::nullopt;
  auto bytes = view.get(family_, P::record_key(tenant, storage::keys::read_be64(*where)));
  if (!bytes) return std::nullopt;
  return decode_ticket(*bytes);
}

}  // namespace fl::projections
