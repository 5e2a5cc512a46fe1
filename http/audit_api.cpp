#include "http/audit_api.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <vector>

#include "base/hex.hpp"
#include "base/timestamp.hpp"
#include "domain/conversation.hpp"
#include "domain/message_status.hpp"
#include "events/record.hpp"
#include "http/auth.hpp"
#include "http/query_params.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;

constexpr std::size_t read_batch = 1024;

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

answer store_failure(const storage::store_error& e) {
  return error_answer(503, "unavailable", "the event log cannot be read: " + e.message);
}

// A path segment's percent-escapes decoded; `+` in a path is a literal plus.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int hi = hex_digit_value(text[i + 1]), lo = hex_digit_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// One event as the audit API shows it, built from its stored bytes so that
// `data` is what the log holds, less the one secret it keeps.
expected<json, std::string> audit_item(const storage::event_store& store, std::uint64_t position) {
  std::optional<expected<std::string, events::decode_error>> exported;
  auto read = store.for_each_stored(position, [&](std::uint64_t, std::string_view stored) {
    exported = events::export_json(stored);
    return false;
  });
  if (!read) return unexpected{read.error().message};
  if (!exported) return unexpected{"position " + std::to_string(position) + " is not stored"};
  if (!*exported) return unexpected{exported->error().message};
  json line = json::parse(exported->value());
  json data = line["data"];
  if (line["type"] == "tenant_created") {
    auto token = data.find("twilio_auth_token");
    if (token != data.end() && !token->is_null()) *token = "[redacted]";
  }
  return json{{"position", line["position"]},
              {"stream", line["stream"]},
              {"version", line["version"]},
              {"type", line["type"]},
              {"recorded_at", line["recorded_at"]},
              {"data", std::move(data)},
              {"hash", line["hash"]},
              {"prev_hash", line["prev_hash"]}};
}

// Answers the page's items, or 503 itself when one cannot be read.
std::optional<json> audit_items(const storage::event_store& store,
                                const std::vector<std::uint64_t>& positions,
                                const respond_fn& respond) {
  json items = json::array();
  for (auto position : positions) {
    auto item = audit_item(store, position);
    if (!item) {
      respond(error_answer(503, "unavailable", "the event log cannot be read: " + item.error()));
      return std::nullopt;
    }
    items.push_back(std::move(*item));
  }
  return items;
}

json status_json(const std::optional<domain::message_status>& s) {
  return s ? json(domain::to_string(*s)) : json();
}

json state_json(const domain::conversation_state& s) {
  json pending = json::array();
  for (const auto& m : s.pending)
    pending.push_back({{"message_id", m.message_id},
                       {"from", m.from},
                       {"to", m.to},
                       {"body", m.body},
                       {"trigger", m.trigger},
                       {"queued_at", format_rfc3339_utc(m.queued_at)}});
  json in_flight = json::array();
  for (const auto& m : s.in_flight)
    in_flight.push_back({{"message_sid", m.message_sid},
                         {"message_id", m.message_id},
                         {"status", status_json(m.status)}});
  json finished = json::array();
  for (const auto& m : s.finished)
    finished.push_back(
        {{"sid_hash", fmt::format("{:016x}", m.sid_hash)}, {"status", status_json(m.status)}});
  return {{"version", s.version},       {"opted_out", s.opted_out}, {"unread", s.unread},
          {"our_number", s.our_number}, {"pending", pending},       {"in_flight", in_flight},
          {"finished", finished}};
}

// What one pass over a stream found for a tenant.
struct stream_scan {
  bool any_of_tenant = false;
  std::vector<std::uint64_t> page;  // positions
  std::optional<std::uint64_t> next_version;
  std::optional<domain::conversation_state> state;  // conversation streams only
};

expected<stream_scan, storage::store_error> scan_stream(
    const storage::event_store& store, const std::string& stream, const std::string& tenant,
    std::optional<timestamp> as_of, std::uint64_t from_version, std::size_t limit) {
  stream_scan scan;
  if (stream.starts_with("conversation:")) scan.state.emplace();
  std::uint64_t version = 1;
  for (;;) {
    auto batch = store.read_stream(stream, version, read_batch);
    if (!batch) return unexpected{batch.error()};
    for (const auto& rec : *batch) {
      if (rec.tenant != tenant) continue;
      scan.any_of_tenant = true;
      // recorded_at never decreases in log order, so neither in a stream.
      if (as_of && rec.recorded_at > *as_of) return scan;
      // The state folds every event up to as_of, not only the page's.
      if (scan.state) domain::evolve(*scan.state, rec);
      if (rec.version < from_version || scan.next_version) continue;
      if (scan.page.size() < limit)
        scan.page.push_back(rec.position);
      else
        scan.next_version = rec.version;
    }
    if (batch->size() < read_batch) return scan;
    if (!scan.state && scan.next_version) return scan;
    version = batch->back().version + 1;
  }
}

}  // namespace

void handle_audit_stream(const audit_api_deps& deps, const request_view& req,
                         std::string_view encoded_stream, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto stream = percent_decode(encoded_stream);
  if (!stream) return respond(invalid_parameter("stream", "has a malformed %-escape"));
  auto query = query_params::parse(req.query, {"as_of", "limit", "cursor"});
  if (!query) return respond(query.error());
  auto as_of = query->time("as_of");
  if (!as_of) return respond(as_of.error());
  auto page = query->page();
  if (!page) return respond(page.error());
  // The cursor is the stream version the next page starts at.
  auto cursor = query->number("cursor", 1, UINT64_MAX);
  if (!cursor) return respond(cursor.error());

  auto scan =
      scan_stream(*deps.store, *stream, tenant->id, *as_of, cursor->value_or(1), page->first);
  if (!scan) return respond(store_failure(scan.error()));
  // Another tenant's stream is as absent as an unknown one.
  if (!scan->any_of_tenant) return respond(error_answer(404, "not_found", "no stream " + *stream));
  auto items = audit_items(*deps.store, scan->page, respond);
  if (!items) return;
  json out{{"stream", *stream},
           {"as_of", *as_of ? json(format_rfc3339_utc(**as_of)) : json()},
           {"items", std::move(*items)},
           {"next_cursor", scan->next_version ? json(std::to_string(*scan->next_version)) : json()},
           {"state", scan->state ? state_json(*scan->state) : json()}};
  respond(json_answer(200, dump(out)));
}

void handle_audit_log(const audit_api_deps& deps, const request_view& req, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto query = query_params::parse(req.query, {"from", "cursor", "limit"});
  if (!query) return respond(query.error());
  auto page = query->page();
  if (!page) return respond(page.error());
  // `cursor` is `from` under the name every list takes.
  auto from = query->number(query->text("from") ? "from" : "cursor", 1, UINT64_MAX);
  if (!from) return respond(from.error());
  std::size_t limit = page->first;

  auto events = deps.store->read_tenant(tenant->id, from->value_or(1), limit + 1);
  if (!events) return respond(store_failure(events.error()));
  std::vector<std::uint64_t> positions;
  for (std::size_t i = 0; i < events->size() && i < limit; ++i)
    positions.push_back((*events)[i].position);
  auto items = audit_items(*deps.store, positions, respond);
  if (!items) return;
  json next = events->size() > limit ? json(std::to_string(events->back().position)) : json();
  respond(json_answer(200, dump({{"items", std::move(*items)}, {"next_cursor", next}})));
}

void handle_audit_verify(const audit_api_deps& deps, const request_view& req, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  json projections_ok;
  if (deps.verify_projections) {
    auto checked = deps.verify_projections(tenant->id);
    if (!checked)
      return respond(error_answer(503, "unavailable",
                                  "the projections cannot be checked now: " + checked.error()));
    projections_ok = *checked;
  }
  auto report = deps.store->verify();
  // The chain is one for every tenant; the count is only of this tenant's
  // events among those the walk checked.
  std::uint64_t own = 0;
  for (std::uint64_t from = 1;;) {
    auto batch = deps.store->read_tenant(tenant->id, from, read_batch);
    if (!batch) return respond(store_failure(batch.error()));
    bool beyond = false;
    for (const auto& rec : *batch) {
      if (rec.position > report.events_checked) {
        beyond = true;
        break;
      }
      ++own;
    }
    if (beyond || batch->size() < read_batch) break;
    from = batch->back().position + 1;
  }
  respond(json_answer(200, dump({{"chain_ok", report.ok},
                                 {"projections_ok", projections_ok},
                                 {"events_checked", own}})));
}

}  // namespace fl::http
