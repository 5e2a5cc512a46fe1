#include "projections/message_projection.hpp"

#include "domain/message_status.hpp"
#include "domain/sms_segments.hpp"
#include "domain/ticket_session_memory.hpp"
#include "projections/keys.hpp"
#include "projections/message_record.hpp"
#include "projections/record_codec.hpp"

#include "interpret/interpretation_json.hpp"

namespace fl::projections {

namespace {

using storage::keys::be64;
using storage::keys::read_be64;

struct located {
  std::string key;
  message_record record;
};

std::optional<located> find_by(const write_set& out, std::string_view tenant, char index,
                               std::string_view id) {
  auto pos = out.peek(keys::key(tenant, index, id));
  if (!pos) return std::nullopt;
  auto key = keys::key(tenant, 'm', read_be64(*pos));
  auto bytes = out.peek(key);
  if (!bytes) return std::nullopt;
  auto record = decode_message(*bytes);
  if (!record) return std::nullopt;
  return located{std::move(key), std::move(*record)};
}

// Moves the status forward only (callbacks come late, repeated, reordered).
bool advance_status(message_record& m, std::string_view status,
                    std::optional<std::int64_t> error_code) {
  auto incoming = domain::parse_message_status(status);
  if (!incoming) return false;
  if (!domain::status_advances(domain::parse_message_status(m.status), *incoming)) return false;
  m.status = std::string(status);
  if (error_code) m.error_code = error_code;
  return true;
}

std::string encode_pending(std::string_view status, std::optional<std::int64_t> error_code) {
  record_writer w;
  w.str(status);
  w.opt_i64(error_code);
  return w.take();
}

void store_new(write_set& out, const events::recorded_event& e, message_record m) {
  const auto& tenant = e.tenant;
  std::string position = be64(e.position);
  std::string by_party(m.party);
  by_party.push_back('\0');
  by_party.append(position);
  out.put(keys::key(tenant, 'c', by_party), "");
  if (m.direction == "outbound")
    out.put(keys::key(tenant, 'i', m.id), position);
  else
    out.put(keys::key(tenant, 's', m.sid), position);
  out.put(keys::key(tenant, 'm', position), encode(m));
}

void on_received(write_set& out, const events::recorded_event& e, const events::sms_received& r) {
  message_record m;
  m.id = r.message_sid;
  m.sid = r.message_sid;
  m.direction = "inbound";
  m.from = r.from;
  m.to = r.to;
  m.party = std::string(keys::party_of(e.stream));
  m.body = r.body;
  m.status = "received";
  auto count = domain::count_segments(r.body);
  m.segments = count.segments;
  m.encoding = std::string(domain::to_string(count.encoding));
  m.media = r.media;
  m.position = e.position;
  m.created_at_us = m.updated_at_us = to_micros(e.recorded_at);
  store_new(out, e, std::move(m));
}

void on_queued(write_set& out, const events::recorded_event& e, const events::sms_queued& q) {
  message_record m;
  m.id = q.message_id;
  m.direction = "outbound";
  m.from = q.from;
  m.to = q.to;
  m.party = std::string(keys::party_of(e.stream));
  m.body = q.body;
  m.trigger = q.trigger;
  m.status = "queued";
  m.segments = q.segments;
  m.encoding = q.encoding;
  m.customer_id = q.customer_id;
  m.contractor_id = q.contractor_id;
  m.job_id = q.job_id;
  m.position = e.position;
  m.created_at_us = m.updated_at_us = to_micros(e.recorded_at);
  store_new(out, e, std::move(m));
}

void on_sent(write_set& out, const events::recorded_event& e, const events::sms_sent& s) {
  auto found = find_by(out, e.tenant, 'i', s.message_id);
  if (!found) return;
  auto& m = found->record;
  m.sid = s.message_sid;
  advance_status(m, "sent", std::nullopt);
  // A callback that beat the send's answer is applied now.
  auto early_key = keys::key(e.tenant, 'p', s.message_sid);
  if (auto early = out.peek(early_key)) {
    record_reader r(*early);
    auto status = r.str();
    auto code = r.opt_i64();
    advance_status(m, status, code);
    out.erase(early_key);
  }
  m.updated_at_us = to_micros(e.recorded_at);
  out.put(keys::key(e.tenant, 's', s.message_sid), be64(m.position));
  out.put(found->key, encode(m));
}

void on_status(write_set& out, const events::recorded_event& e,
               const events::sms_status_changed& c) {
  if (auto found = find_by(out, e.tenant, 's', c.message_sid)) {
    if (!advance_status(found->record, c.status, c.error_code)) return;
    found->record.updated_at_us = to_micros(e.recorded_at);
    out.put(found->key, encode(found->record));
    return;
  }
  auto early_key = keys::key(e.tenant, 'p', c.message_sid);
  if (auto early = out.peek(early_key)) {
    record_reader r(*early);
    auto held = domain::parse_message_status(r.str());
    auto incoming = domain::parse_message_status(c.status);
    if (!incoming || !domain::status_advances(held, *incoming)) return;
  }
  out.put(early_key, encode_pending(c.status, c.error_code));
}

void on_failed(write_set& out, const events::recorded_event& e, const events::sms_failed& f) {
  auto found = find_by(out, e.tenant, 'i', f.message_id);
  if (!found) return;
  auto& m = found->record;
  m.status = "failed";
  m.error_code = f.error_code;
  m.error_message = f.error_message;
  m.updated_at_us = to_micros(e.recorded_at);
  out.put(found->key, encode(m));
}

// What the session read in an inbound text, shown on the text itself.
void on_text_read(write_set& out, const events::recorded_event& e,
                  const events::ticket_text_read& r) {
  auto found = find_by(out, e.tenant, 's', r.message_sid);
  if (!found || found->record.direction != "inbound") return;
  found->record.ai_interpretation = interpret::ai_interpretation_json(domain::result_of(r));
  found->record.contractor_id = std::string(keys::party_of(e.stream));
  out.put(found->key, encode(found->record));
}

}  // namespace

void message_projection::apply(const events::recorded_event& e, write_set& out) {
  if (const auto* read = std::get_if<events::ticket_text_read>(&e.data))
    return on_text_read(out, e, *read);
  if (!keys::is_conversation_stream(e.stream)) return;
  std::visit(events::overloaded{
                 [&](const events::sms_received& r) { on_received(out, e, r); },
                 [&](const events::sms_queued& q) { on_queued(out, e, q); },
                 [&](const events::sms_sent& s) { on_sent(out, e, s); },
                 [&](const events::sms_status_changed& c) { on_status(out, e, c); },
                 [&](const events::sms_failed& f) { on_failed(out, e, f); },
                 [](const auto&) {},
             },
             e.data);
}

}  // namespace fl::projections
