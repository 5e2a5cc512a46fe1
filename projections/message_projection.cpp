#include "projections/message_projection.hpp"

#include "domain/message_status.hpp"
#include "domain/sms_segments.hpp"
#include "domain/ticket_session_memory.hpp"
#include "projections/keys.hpp"
#include "projections/record_codec.hpp"

#include "interpret/interpretation_json.hpp"

namespace fl::projections {

namespace {

using storage::keys::be64;
using storage::keys::read_be64;

using cached_messages = record_cache<std::uint64_t, message_record>;

// Index keys are looked up and written once per event: built in a buffer of
// this (lane's) thread instead of a new string each time.
std::string_view index_key(std::string_view tenant, char index, std::string_view id) {
  thread_local std::string buffer;
  return keys::key_into(buffer, tenant, index, id);
}

// The message an index (`i` our id, `s` the sid) points to, as this batch
// left it or as stored.
cached_messages::slot* find_by(const write_set& out, cached_messages& cached,
                               std::string_view tenant, char index, std::string_view id) {
  auto pos = out.peek(index_key(tenant, index, id));
  if (!pos) return nullptr;
  auto position = read_be64(*pos);
  if (auto* found = cached.find(position)) return found;
  auto key = keys::key(tenant, 'm', position);
  auto bytes = out.peek(key);
  if (!bytes) return nullptr;
  auto record = decode_message(*bytes);
  if (!record) return nullptr;
  return &cached.keep(position, std::move(key), std::move(*record), false);
}

// Moves the status forward only (callbacks come late, repeated, reordered).
bool advance_status(message_record& m, std::string_view status,
                    std::optional<std::int64_t> error_code) {
  auto incoming = domain::parse_message_status(status);
  if (!incoming) return false;
  if (!domain::status_advances(domain::parse_message_status(m.status), *incoming)) return false;
  m.status.assign(status);
  if (error_code) m.error_code = error_code;
  return true;
}

std::string encode_pending(std::string_view status, std::optional<std::int64_t> error_code) {
  record_writer w;
  w.str(status);
  w.opt_i64(error_code);
  return w.take();
}

void store_new(write_set& out, cached_messages& cached, const events::recorded_event& e,
               message_record m) {
  const auto& tenant = e.tenant;
  std::string position = be64(e.position);
  thread_local std::string by_party;
  by_party.assign(m.party);
  by_party.push_back('\0');
  by_party.append(position);
  out.put_new(index_key(tenant, 'c', by_party), "");
  if (m.direction == "outbound")
    out.put(index_key(tenant, 'i', m.id), position);
  else
    out.put(index_key(tenant, 's', m.sid), position);
  cached.keep(e.position, keys::key(tenant, 'm', position), std::move(m), true);
}

void on_received(write_set& out, cached_messages& cached, const events::recorded_event& e,
                 const events::sms_received& r) {
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
  store_new(out, cached, e, std::move(m));
}

void on_queued(write_set& out, cached_messages& cached, const events::recorded_event& e,
               const events::sms_queued& q) {
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
  store_new(out, cached, e, std::move(m));
}

void on_sent(write_set& out, cached_messages& cached, const events::recorded_event& e,
             const events::sms_sent& s) {
  auto* found = find_by(out, cached, e.tenant, 'i', s.message_id);
  if (!found) return;
  auto& m = found->record;
  m.sid = s.message_sid;
  advance_status(m, "sent", std::nullopt);
  // A callback that beat the send's answer is applied now.
  if (auto early = out.peek(index_key(e.tenant, 'p', s.message_sid))) {
    record_reader r(*early);
    auto status = r.str();
    auto code = r.opt_i64();
    advance_status(m, status, code);
    out.erase(index_key(e.tenant, 'p', s.message_sid));
  }
  m.updated_at_us = to_micros(e.recorded_at);
  out.put(index_key(e.tenant, 's', s.message_sid), be64(m.position));
  found->dirty = true;
}

void on_status(write_set& out, cached_messages& cached, const events::recorded_event& e,
               const events::sms_status_changed& c) {
  if (auto* found = find_by(out, cached, e.tenant, 's', c.message_sid)) {
    if (!advance_status(found->record, c.status, c.error_code)) return;
    found->record.updated_at_us = to_micros(e.recorded_at);
    found->dirty = true;
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

void on_failed(write_set& out, cached_messages& cached, const events::recorded_event& e,
               const events::sms_failed& f) {
  auto* found = find_by(out, cached, e.tenant, 'i', f.message_id);
  if (!found) return;
  auto& m = found->record;
  m.status = "failed";
  m.error_code = f.error_code;
  m.error_message = f.error_message;
  m.updated_at_us = to_micros(e.recorded_at);
  found->dirty = true;
}

// What the session read in an inbound text, shown on the text itself.
void on_text_read(const write_set& out, cached_messages& cached, const events::recorded_event& e,
                  const events::ticket_text_read& r) {
  auto* found = find_by(out, cached, e.tenant, 's', r.message_sid);
  if (!found || found->record.direction != "inbound") return;
  found->record.ai_interpretation = interpret::ai_interpretation_json(domain::result_of(r));
  found->record.contractor_id = std::string(keys::party_of(e.stream));
  found->dirty = true;
}

}  // namespace

void message_projection::apply(const events::recorded_event& e, write_set& out) {
  if (const auto* read = std::get_if<events::ticket_text_read>(&e.data))
    return on_text_read(out, cached_, e, *read);
  if (!keys::is_conversation_stream(e.stream)) return;
  std::visit(events::overloaded{
                 [&](const events::sms_received& r) { on_received(out, cached_, e, r); },
                 [&](const events::sms_queued& q) { on_queued(out, cached_, e, q); },
                 [&](const events::sms_sent& s) { on_sent(out, cached_, e, s); },
                 [&](const events::sms_status_changed& c) { on_status(out, cached_, e, c); },
                 [&](const events::sms_failed& f) { on_failed(out, cached_, e, f); },
                 [](const auto&) {},
             },
             e.data);
}

void message_projection::end_batch(write_set& out) {
  // A message changes within seconds of its creation: keep none for longer.
  before_commit(out);
  cached_.clear();
}

void message_projection::before_commit(write_set& out) {
  // In position order: the records' keys then need no sort when written out.
  cached_.flush_in_order([&](const auto& s) { out.put(s.key, encode(s.record)); },
                         [&](const auto& s) { out.prefetch(s.key); });
}

}  // namespace fl::projections
