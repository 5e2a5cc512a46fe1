#include "projections/conversation_projection.hpp"

#include "domain/message_status.hpp"
#include "domain/ticket_session.hpp"
#include "projections/keys.hpp"

namespace fl::projections {

namespace {

bool advance_status(std::string& current, std::string_view incoming_name) {
  auto incoming = domain::parse_message_status(incoming_name);
  if (!incoming || !domain::status_advances(domain::parse_message_status(current), *incoming))
    return false;
  current.assign(incoming_name);
  return true;
}

using P = conversation_projection;

using cached_records = record_cache<std::string, conversation_projection::kept_conversation>;

class conversation_update {
 public:
  // The conversation with `phone`, as this batch left it, as stored, or
  // (`exists()` false) new.
  conversation_update(write_set& out, cached_records& cached, const events::recorded_event& e,
                      std::string_view phone)
      : out_(out), cached_(cached), e_(e) {
    thread_local std::string buffer;
    auto key = keys::key_into(buffer, e.tenant, P::conversation_tag, phone);
    if ((slot_ = cached_.find(key))) return;
    if (auto bytes = out_.peek(key))
      if (auto c = decode_conversation(*bytes)) {
        // Written with the record: the activity entry of its latest message.
        auto listed_at = c->last_position;
        slot_ =
            &cached_.keep(std::string(key), std::string(key), {std::move(*c), listed_at}, false);
        return;
      }
    key_ = std::string(key);
    fresh_.phone = std::string(phone);
    fresh_.kind = "customer";
    fresh_.created_at_us = to_micros(e.recorded_at);
  }

  conversation_record& record() { return slot_ ? slot_->record.record : fresh_; }
  bool exists() const { return slot_ != nullptr; }

  // A new latest message: moves the conversation to the top of the list.
  // Assigned, not moved in: a conversation kept across batches has room for
  // them already.
  void message(std::string_view id, std::string_view sid, std::string_view direction,
               std::string_view body, std::string_view status) {
    auto& c = record();
    if (c.last_position != 0) {
      // Only an entry that was written needs a delete: a catch-up writes a
      // conversation once for many of its messages.
      if (slot_ && slot_->record.listed_at == c.last_position) {
        out_.erase(conversation_projection::activity_key(e_.tenant, c.last_position));
        slot_->record.listed_at = 0;
      }
      out_.put_new(conversation_projection::superseded_key(e_.tenant, c.last_position),
                   encode_superseded(c.phone, e_.position));
    }
    c.last_id.assign(id);
    c.last_sid.assign(sid);
    c.last_direction.assign(direction);
    c.last_body.assign(body);
    c.last_status.assign(status);
    c.last_at_us = to_micros(e_.recorded_at);
    c.early_sid.clear();
    c.early_status.clear();
    c.last_position = e_.position;
    ++c.messages;
  }

  // Written with its activity entry at the end of the batch (`write`).
  void save() {
    record().updated_at_us = to_micros(e_.recorded_at);
    if (slot_)
      slot_->dirty = true;
    else
      slot_ = &cached_.keep(key_, key_, {std::move(fresh_), 0}, true);
  }

 private:
  write_set& out_;
  cached_records& cached_;
  const events::recorded_event& e_;
  cached_records::slot* slot_ = nullptr;
  std::string key_;            // a new conversation's
  conversation_record fresh_;  // a new conversation
};

// The record, and its copy in the latest activity entry (see the header).
void write(write_set& out, cached_records::slot& s) {
  const auto& c = s.record.record;
  std::string record = encode(c);
  if (c.last_position != 0) {
    std::string_view tenant(s.key.data(), s.key.find('\0'));
    out.put(conversation_projection::activity_key(tenant, c.last_position),
            encode_latest(c.phone, record));
  }
  s.record.listed_at = c.last_position;
  out.put(s.key, record);
}

// The session state of `contractor` as its events left it; "idle" before any.
std::string session_state(const write_set& out, std::string_view tenant,
                          std::string_view contractor) {
  auto stored = out.get(keys::key(tenant, P::session_state_tag, contractor));
  return stored ? std::move(*stored) : std::string(to_string(domain::session_stage::idle));
}

// A text queued for `contractor`: the conversation is theirs, shows their
// session's state, and follows it from now on.
void link_contractor(write_set& out, const events::recorded_event& e, conversation_record& c,
                     const std::string& contractor) {
  c.kind = "contractor";
  c.party_id = contractor;
  c.state = session_state(out, e.tenant, contractor);
  auto link = keys::key(e.tenant, P::contractor_tag, contractor);
  if (out.peek(link) != c.phone) out.put(std::move(link), c.phone);
}

// A session moved: its state is kept by contractor (the conversation may
// not be known yet) and shown in the contractor's conversation, if linked.
void on_session(write_set& out, cached_records& cached, const events::recorded_event& e) {
  const auto* moved = std::get_if<events::ticket_session_moved>(&e.data);
  auto contractor = keys::party_of(e.stream);
  if (!moved || contractor.empty()) return;
  // As the session reads it: a name it does not know is idle.
  std::string state(
      to_string(domain::parse_session_stage(moved->state).value_or(domain::session_stage::idle)));
  auto state_key = keys::key(e.tenant, P::session_state_tag, contractor);
  if (out.peek(state_key) != state) out.put(std::move(state_key), state);
  auto phone = out.get(keys::key(e.tenant, P::contractor_tag, contractor));
  if (!phone) return;
  conversation_update u(out, cached, e, *phone);
  auto& c = u.record();
  // The phone may have been linked to another party since.
  if (!u.exists() || c.kind != "contractor" || c.party_id != contractor || c.state == state) return;
  c.state = std::move(state);
  u.save();
}

}  // namespace

std::string conversation_projection::activity_key(std::string_view tenant, std::uint64_t position) {
  return keys::key(tenant, activity_tag, ~position);
}

std::string conversation_projection::superseded_key(std::string_view tenant,
                                                    std::uint64_t position) {
  return keys::key(tenant, superseded_tag, ~position);
}

std::uint64_t conversation_projection::activity_position(std::string_view key) {
  return ~storage::keys::read_be64(key.substr(key.size() - 8));
}

void conversation_projection::apply(const events::recorded_event& e, write_set& out) {
  if (keys::is_ticket_session_stream(e.stream)) return on_session(out, cached_, e);
  if (!keys::is_conversation_stream(e.stream)) return;
  conversation_update u(out, cached_, e, keys::party_of(e.stream));
  auto& c = u.record();
  bool changed = std::visit(
      events::overloaded{
          [&](const events::sms_received& r) {
            u.message(r.message_sid, r.message_sid, "inbound", r.body, "received");
            ++c.unread;
            return true;
          },
          [&](const events::sms_queued& q) {
            u.message(q.message_id, "", "outbound", q.body, "queued");
            // The latest text's party is the conversation's.
            if (q.contractor_id) {
              link_contractor(out, e, c, *q.contractor_id);
            } else if (q.customer_id) {
              c.kind = "customer";
              c.party_id = q.customer_id;
              c.state.reset();
            }
            return true;
          },
          [&](const events::sms_sent& s) {
            if (s.message_id != c.last_id) return false;
            c.last_sid = s.message_sid;
            advance_status(c.last_status, "sent");
            if (c.early_sid == s.message_sid) advance_status(c.last_status, c.early_status);
            c.early_sid.clear();
            c.early_status.clear();
            return true;
          },
          [&](const events::sms_status_changed& s) {
            if (!c.last_sid.empty())
              return s.message_sid == c.last_sid && advance_status(c.last_status, s.status);
            if (c.last_direction != "outbound") return false;
            // The last message may be the one this early callback is about.
            if (c.early_sid == s.message_sid && !advance_status(c.early_status, s.status))
              return false;
            if (c.early_sid != s.message_sid) {
              c.early_sid = s.message_sid;
              c.early_status = s.status;
            }
            return true;
          },
          [&](const events::sms_failed& f) {
            if (f.message_id != c.last_id) return false;
            c.last_status = "failed";
            return true;
          },
          [&](const events::opted_out&) {
            c.opted_out = true;
            return true;
          },
          [&](const events::opted_in&) {
            c.opted_out = false;
            return true;
          },
          [&](const events::conversation_read&) {
            c.unread = 0;
            return true;
          },
          [](const events::tenant_created&) { return false; },
          [](const events::field_service_event auto&) { return false; },
          [](const events::ticket_event auto&) { return false; },
          [](const events::contractor_event auto&) { return false; },
      },
      e.data);
  if (changed) u.save();
}

void conversation_projection::end_batch(write_set& out) {
  // Conversations stay decoded from batch to batch, as many as a rebuild of
  // a busy tenant touches in a few batches.
  if (cached_.size() <= max_cached) return;
  before_commit(out);
  cached_.clear();
}

void conversation_projection::before_commit(write_set& out) {
  cached_.flush([&](cached_records::slot& s) { write(out, s); });
}

}  // namespace fl::projections
