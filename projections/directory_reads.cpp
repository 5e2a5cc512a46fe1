#include "projections/directory_reads.hpp"

#include <algorithm>

#include "domain/dispatch_streams.hpp"
#include "projections/directory_projection.hpp"
#include "projections/keys.hpp"

namespace fl::projections {

namespace {

using P = directory_projection;

struct match_all {
  template <class Record>
  bool operator()(const Record&) const {
    return true;
  }
};

template <class Decode, class Match = match_all>
auto list(const projection_db& db, std::size_t family, std::string_view tenant, char tag,
          const page_request& page, Decode decode, Match match = {}, bool filtered = false)
    -> expected<directory_page<typename decltype(decode(""))::value_type>, query_error> {
  using record = typename decltype(decode(""))::value_type;
  std::string prefix = keys::key(tenant, tag);
  std::string from = prefix;
  if (page.cursor) {
    if (!domain::is_valid_entity_id(*page.cursor))
      return unexpected{query_error{"cursor", "cursor is not one this listing gave out"}};
    from.append(*page.cursor);
    from.push_back('\0');  // the first key after the cursor's
  }
  const std::size_t limit = std::clamp<std::size_t>(page.limit, 1, read_model::max_limit);
  directory_page<record> out;
  std::size_t examined = 0;
  std::string last_examined;
  bool more = false;
  auto view = db.snapshot();
  view.scan(
      family, from, prefix_end(prefix), false, [&](std::string_view key, std::string_view value) {
        if (out.items.size() == limit || (filtered && examined == directory_reads::scan_budget)) {
          more = true;
          return false;
        }
        ++examined;
        last_examined = key.substr(prefix.size());
        auto r = decode(value);
        if (r && match(*r)) out.items.push_back(std::move(*r));
        return true;
      });
  if (more) out.next_cursor = std::move(last_examined);
  return out;
}

template <class Decode>
auto one(const projection_db& db, std::size_t family, std::string_view tenant, char tag,
         std::string_view id, Decode decode) -> decltype(decode("")) {
  if (!domain::is_valid_entity_id(id)) return std::nullopt;
  auto bytes = db.get(family, keys::key(tenant, tag, id));
  if (!bytes) return std::nullopt;
  return decode(*bytes);
}

query_error bad_id(std::string_view parameter) {
  return {std::string(parameter), "must be 1-64 characters of A-Z a-z 0-9 _ -"};
}

query_error unreadable(std::string_view id) {
  return {"", "the directory's record of " + std::string(id) + " does not read"};
}

bool is_e164(std::string_view phone) {
  if (phone.size() < 2 || phone.size() > 16 || phone.front() != '+') return false;
  return std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

directory_reads::directory_reads(const projection_db& db)
    : db_(db), family_(db.family(directory_projection::family_name)) {}

expected<directory_page<customer_record>, query_error> directory_reads::customers(
    std::string_view tenant, const page_request& page) const {
  return list(db_, family_, tenant, P::customer_tag, page, decode_customer);
}

std::optional<customer_record> directory_reads::customer(std::string_view tenant,
                                                         std::string_view id) const {
  return one(db_, family_, tenant, P::customer_tag, id, decode_customer);
}

std::vector<customer_record> directory_reads::customers_with_phone(std::string_view tenant,
                                                                   std::string_view phone) const {
  auto view = db_.snapshot();
  auto ids = view.get(family_, keys::key(tenant, P::phone_tag, phone));
  if (!ids) return {};
  std::vector<std::string> record_keys;
  for (const auto& id : decode_ids(*ids))
    record_keys.push_back(keys::key(tenant, P::customer_tag, id));
  std::vector<customer_record> out;
  for (const auto& bytes : view.get_many(family_, record_keys))
    if (bytes)
      if (auto c = decode_customer(*bytes)) out.push_back(std::move(*c));
  return out;
}

expected<directory_page<technician_record>, query_error> directory_reads::technicians(
    std::string_view tenant, const page_request& page) const {
  return list(db_, family_, tenant, P::technician_tag, page, decode_technician);
}

std::optional<technician_record> directory_reads::technician(std::string_view tenant,
                                                             std::string_view id) const {
  return one(db_, family_, tenant, P::technician_tag, id, decode_technician);
}

expected<directory_page<job_record>, query_error> directory_reads::jobs(
    std::string_view tenant, const job_filter& filter, const page_request& page) const {
  auto match = [&filter](const job_record& j) {
    if (filter.status && j.status != *filter.status) return false;
    if (filter.technician_id && j.technician_id != *filter.technician_id) return false;
    if (filter.customer_id && j.customer_id != *filter.customer_id) return false;
    return true;
  };
  bool filtered = filter.status || filter.technician_id || filter.customer_id;
  return list(db_, family_, tenant, P::job_tag, page, decode_job, match, filtered);
}

std::optional<job_record> directory_reads::job(std::string_view tenant, std::string_view id) const {
  return one(db_, family_, tenant, P::job_tag, id, decode_job);
}

expected<directory_page<contractor_record>, query_error> directory_reads::contractors(
    std::string_view tenant, const page_request& page) const {
  return list(db_, family_, tenant, P::contractor_tag, page, decode_contractor);
}

expected<std::optional<contractor_record>, query_error> directory_reads::contractor(
    std::string_view tenant, std::string_view id) const {
  if (!domain::is_valid_entity_id(id)) return unexpected{bad_id("id")};
  auto bytes = db_.get(family_, keys::key(tenant, P::contractor_tag, id));
  if (!bytes) return std::optional<contractor_record>{};
  auto c = decode_contractor(*bytes);
  if (!c) return unexpected{unreadable(id)};
  return c;
}

expected<std::optional<contractor_record>, query_error> directory_reads::contractor_by_phone(
    std::string_view tenant, std::string_view e164) const {
  if (!is_e164(e164)) return unexpected{query_error{"phone", "must be E.164: + and digits"}};
  auto view = db_.snapshot();
  auto id = view.get(family_, keys::key(tenant, P::contractor_phone_tag, e164));
  if (!id) return std::optional<contractor_record>{};
  auto bytes = view.get(family_, keys::key(tenant, P::contractor_tag, *id));
  if (!bytes) return std::optional<contractor_record>{};
  auto c = decode_contractor(*bytes);
  if (!c) return unexpected{unreadable(*id)};
  return c;
}

expected<std::vector<property_record>, query_error> directory_reads::properties_of(
    std::string_view tenant, std::string_view contractor_id) const {
  if (!domain::is_valid_entity_id(contractor_id)) return unexpected{bad_id("contractor_id")};
  auto view = db_.snapshot();
  auto bytes = view.get(family_, keys::key(tenant, P::contractor_tag, contractor_id));
  if (!bytes) return std::vector<property_record>{};
  auto c = decode_contractor(*bytes);
  if (!c) return unexpected{unreadable(contractor_id)};
  std::vector<std::string> record_keys;
  for (const auto& id : c->property_ids)
    record_keys.push_back(keys::key(tenant, P::property_tag, id));
  std::vector<property_record> out;
  for (const auto& found : view.get_many(family_, record_keys)) {
    if (!found) continue;
    auto p = decode_property(*found);
    if (!p) return unexpected{unreadable(contractor_id)};
    out.push_back(std::move(*p));
  }
  return out;
}

expected<directory_page<property_record>, query_error> directory_reads::properties(
    std::string_view tenant, const page_request& page) const {
  return list(db_, family_, tenant, P::property_tag, page, decode_property);
}

std::optional<property_record> directory_reads::property(std::string_view tenant,
                                                         std::string_view id) const {
  return one(db_, family_, tenant, P::property_tag, id, decode_property);
}

}  // namespace fl::projections
