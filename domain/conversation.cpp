#include "domain/conversation.hpp"

#include <algorithm>
#include <utility>

#include "base/utf8.hpp"
#include "domain/keywords.hpp"
#include "domain/outbound_policy.hpp"
#include "domain/sms_segments.hpp"

namespace fl::domain {

std::string_view to_string(conversation_errc code) {
  switch (code) {
    case conversation_errc::opted_out:
      return "opted_out";
    case conversation_errc::empty_body:
      return "empty_body";
    case conversation_errc::body_too_long:
      return "body_too_long";
    case conversation_errc::unknown_status:
      return "unknown_status";
  }
  return "unknown";
}

namespace {

using event_list = std::vector<events::event>;
using decision = fl::expected<event_list, conversation_error>;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The keyword as the party typed it, trimmed and upper-cased: "STOP".
std::string normalized_keyword(std::string_view body) {
  std::string out(trim(body));
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// Characters as Twilio counts them: code points, an invalid sequence being one.
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); i += scan_utf8(s, i).length) ++n;
  return n;
}

// FNV-1a, 64 bits: stable across builds and runs, so a recovered state equals
// the live one.
std::uint64_t sid_hash(std::string_view sid) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : sid) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

events::sms_queued make_queued(const conversation_context& ctx, std::string from, std::string body,
                               std::string trigger) {
  events::sms_queued q;
  q.message_id = ctx.new_message_id();
  q.from = std::move(from);
  q.to = ctx.party_phone;
  segment_count count = count_segments(body);
  q.segments = count.segments;
  q.encoding = std::string(to_string(count.encoding));
  q.body = std::move(body);
  q.trigger = std::move(trigger);
  return q;
}

bool is_pending(const conversation_state& s, std::string_view message_id) {
  return std::any_of(s.pending.begin(), s.pending.end(),
                     [&](const outbound_message& m) { return m.message_id == message_id; });
}

// The latest status recorded for `sid`, whether in flight or finished.
std::optional<message_status> current_status(const conversation_state& s, std::string_view sid) {
  for (const auto& m : s.in_flight)
    if (m.message_sid == sid) return m.status;
  const std::uint64_t h = sid_hash(sid);
  for (const auto& m : s.finished)
    if (m.sid_hash == h) return m.status;
  return std::nullopt;
}

bool is_done(message_status s) {
  // `read` follows `delivered` and nothing follows `read`.
  return is_final(s) || s == message_status::read;
}

// Evicts before adding, so the vectors never grow past their bound.
void remember_finished(conversation_state& s, std::uint64_t hash,
                       std::optional<message_status> status) {
  if (s.finished.size() >= conversation_state::max_finished) s.finished.erase(s.finished.begin());
  s.finished.push_back({hash, status});
}

void track(conversation_state& s, tracked_message m) {
  if (s.in_flight.size() >= conversation_state::max_in_flight) {
    const tracked_message& oldest = s.in_flight.front();
    // Nothing to remember of a message that has no status yet.
    if (oldest.status) remember_finished(s, sid_hash(oldest.message_sid), oldest.status);
    s.in_flight.erase(s.in_flight.begin());
  }
  s.in_flight.push_back(std::move(m));
}

// An idle conversation keeps no outbox or in-flight capacity around.
template <class T>
void release_if_empty(std::vector<T>& v) {
  if (v.empty()) v.shrink_to_fit();
}

decision decide_receive(const conversation_state& s, const receive_sms& cmd,
                        const conversation_context& ctx) {
  event_list out;
  out.emplace_back(cmd.sms);
  auto confirm = [&](const std::string& text, std::string_view trigger) {
    if (!text.empty()) out.emplace_back(make_queued(ctx, cmd.sms.to, text, std::string(trigger)));
  };
  switch (classify_keyword(cmd.sms.body)) {
    case compliance_keyword::opt_out:
      if (!s.opted_out)
        out.emplace_back(
            events::opted_out{ctx.party_phone, "keyword", normalized_keyword(cmd.sms.body)});
      confirm(ctx.opt_out_message, "opt_out");
      break;
    case compliance_keyword::opt_in:
      if (s.opted_out) {
        out.emplace_back(events::opted_in{ctx.party_phone, normalized_keyword(cmd.sms.body)});
        confirm(ctx.opt_in_message, "opt_in");
      }
      break;
    case compliance_keyword::help:
      if (!s.opted_out && !cmd.help_answered_elsewhere) confirm(ctx.help_message, "help");
      break;
    case compliance_keyword::none:
      break;
  }
  return out;
}

decision decide_send(const conversation_state& s, const send_sms& cmd,
                     const conversation_context& ctx) {
  if (s.opted_out)
    return unexpected{conversation_error{conversation_errc::opted_out,
                                         "the recipient opted out of texts (replied STOP)"}};
  if (trim(cmd.body).empty())
    return unexpected{conversation_error{conversation_errc::empty_body, "the message is empty"}};
  if (std::size_t n = code_points(cmd.body); n > max_body_code_points)
    return unexpected{conversation_error{conversation_errc::body_too_long,
                                         "the message has " + std::to_string(n) +
                                             " characters; the limit is " +
                                             std::to_string(max_body_code_points)}};
  events::sms_queued q = make_queued(ctx, s.our_number.empty() ? ctx.default_sender : s.our_number,
                                     cmd.body, cmd.trigger);
  q.customer_id = cmd.customer_id;
  q.contractor_id = cmd.contractor_id;
  q.job_id = cmd.job_id;
  return event_list{std::move(q)};
}

decision decide_sent(const conversation_state& s, const record_sent& cmd) {
  if (!is_pending(s, cmd.message_id)) return event_list{};
  return event_list{events::sms_sent{cmd.message_id, cmd.message_sid}};
}

decision decide_failure(const conversation_state& s, const record_send_failure& cmd,
                        const conversation_context& ctx) {
  if (!is_pending(s, cmd.message_id)) return event_list{};
  event_list out;
  out.emplace_back(
      events::sms_failed{cmd.message_id, cmd.error_code, cmd.error_message, cmd.permanent});
  if (marks_opted_out(cmd.error_code) && !s.opted_out)
    out.emplace_back(events::opted_out{ctx.party_phone, "carrier", std::nullopt});
  return out;
}

decision decide_status(const conversation_state& s, const record_status& cmd) {
  auto incoming = parse_message_status(cmd.status);
  if (!incoming)
    return unexpected{conversation_error{conversation_errc::unknown_status,
                                         "unknown message status \"" + cmd.status + "\""}};
  if (!status_advances(current_status(s, cmd.message_sid), *incoming)) return event_list{};
  return event_list{events::sms_status_changed{cmd.message_sid, cmd.status, cmd.error_code}};
}

void apply_sent(conversation_state& s, const events::sms_sent& e) {
  std::erase_if(s.pending, [&](const outbound_message& m) { return m.message_id == e.message_id; });
  release_if_empty(s.pending);
  for (auto& m : s.in_flight)
    if (m.message_sid == e.message_sid) {
      m.message_id = e.message_id;  // a callback came first
      return;
    }
  const std::uint64_t h = sid_hash(e.message_sid);
  for (const auto& m : s.finished)
    if (m.sid_hash == h) return;  // a final callback came first: nothing more to follow
  track(s, {e.message_sid, e.message_id, std::nullopt});
}

void apply_status(conversation_state& s, const events::sms_status_changed& e) {
  auto status = parse_message_status(e.status);
  if (!status) return;  // `decide` never emits one; a hand-written log might
  for (auto it = s.in_flight.begin(); it != s.in_flight.end(); ++it) {
    if (it->message_sid != e.message_sid) continue;
    if (is_done(*status)) {
      remember_finished(s, sid_hash(e.message_sid), status);
      s.in_flight.erase(it);
      release_if_empty(s.in_flight);
    } else {
      it->status = status;
    }
    return;
  }
  const std::uint64_t h = sid_hash(e.message_sid);
  for (auto& m : s.finished)
    if (m.sid_hash == h) {
      m.status = status;
      return;
    }
  if (is_done(*status))
    remember_finished(s, h, status);
  else
    track(s, {e.message_sid, "", status});
}

}  // namespace

decision decide(const conversation_state& state, const conversation_command& command,
                const conversation_context& context) {
  return std::visit(
      events::overloaded{
          [&](const receive_sms& c) { return decide_receive(state, c, context); },
          [&](const send_sms& c) { return decide_send(state, c, context); },
          [&](const record_sent& c) { return decide_sent(state, c); },
          [&](const record_send_failure& c) { return decide_failure(state, c, context); },
          [&](const record_status& c) { return decide_status(state, c); },
          [&](const mark_read&) {
            // Nothing unread: a repeated click changes nothing.
            if (state.unread == 0) return decision{event_list{}};
            return decision{
                event_list{events::conversation_read{static_cast<std::int64_t>(state.unread)}}};
          },
      },
      command);
}

void evolve(conversation_state& state, const events::event& event, fl::timestamp recorded_at) {
  std::visit(
      events::overloaded{
          [&](const events::sms_received& e) {
            state.our_number = e.to;
            ++state.unread;
          },
          [&](const events::sms_queued& e) {
            state.pending.push_back({e.message_id, e.from, e.to, e.body, e.trigger, recorded_at});
            state.our_number = e.from;
          },
          [&](const events::sms_sent& e) { apply_sent(state, e); },
          [&](const events::sms_status_changed& e) { apply_status(state, e); },
          [&](const events::sms_failed& e) {
            std::erase_if(state.pending,
                          [&](const outbound_message& m) { return m.message_id == e.message_id; });
            release_if_empty(state.pending);
          },
          [&](const events::opted_out&) { state.opted_out = true; },
          [&](const events::opted_in&) { state.opted_out = false; },
          [&](const events::conversation_read&) { state.unread = 0; },
          [&](const events::tenant_created&) {},  // not about a conversation
          [&](const events::field_service_event auto&) {},
          [&](const events::ticket_event auto&) {},
          [&](const events::contractor_event auto&) {},
      },
      event);
  ++state.version;
}

void evolve(conversation_state& state, const events::recorded_event& record) {
  evolve(state, record.data, record.recorded_at);
}

}  // namespace fl::domain
