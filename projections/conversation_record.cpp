#include "projections/conversation_record.hpp"

#include <algorithm>

#include "projections/record_codec.hpp"
#include "projections/record_view.hpp"

namespace fl::projections {

std::string encode(const conversation_record& c) {
  record_writer w;
  w.reserve(128 + c.last_body.size());
  w.str(c.phone);
  w.str(c.kind);
  w.opt_str(c.party_id);
  w.opt_str(c.state);
  w.str(c.last_id);
  w.str(c.last_sid);
  w.str(c.last_direction);
  w.str(c.last_body);
  w.str(c.last_status);
  w.i64(c.last_at_us);
  w.str(c.early_sid);
  w.str(c.early_status);
  w.u64(c.unread);
  w.u64(c.messages);
  w.boolean(c.opted_out);
  w.u64(c.last_position);
  w.i64(c.created_at_us);
  w.i64(c.updated_at_us);
  return w.take();
}

std::optional<conversation_view> view_conversation(std::string_view bytes) {
  record_view_reader r(bytes);
  conversation_view c;
  c.phone = r.str();
  c.kind = r.str();
  c.party_id = r.opt_str();
  c.state = r.opt_str();
  c.last_id = r.str();
  c.last_sid = r.str();
  c.last_direction = r.str();
  c.last_body = r.str();
  c.last_status = r.str();
  c.last_at_us = r.i64();
  c.early_sid = r.str();
  c.early_status = r.str();
  c.unread = r.u64();
  c.messages = r.u64();
  c.opted_out = r.boolean();
  c.last_position = r.u64();
  c.created_at_us = r.i64();
  c.updated_at_us = r.i64();
  if (!r.ok()) return std::nullopt;
  return c;
}

namespace {

std::optional<std::string> copy(const std::optional<std::string_view>& s) {
  if (!s) return std::nullopt;
  return std::string(*s);
}

}  // namespace

std::optional<conversation_record> decode_conversation(std::string_view bytes) {
  auto v = view_conversation(bytes);
  if (!v) return std::nullopt;
  conversation_record c;
  c.phone = v->phone;
  c.kind = v->kind;
  c.party_id = copy(v->party_id);
  c.state = copy(v->state);
  c.last_id = v->last_id;
  c.last_sid = v->last_sid;
  c.last_direction = v->last_direction;
  c.last_body = v->last_body;
  c.last_status = v->last_status;
  c.last_at_us = v->last_at_us;
  c.early_sid = v->early_sid;
  c.early_status = v->early_status;
  c.unread = v->unread;
  c.messages = v->messages;
  c.opted_out = v->opted_out;
  c.last_position = v->last_position;
  c.created_at_us = v->created_at_us;
  c.updated_at_us = v->updated_at_us;
  return c;
}

std::string encode_superseded(std::string_view phone, std::uint64_t superseded_at) {
  record_writer w;
  w.str(phone);
  w.u64(superseded_at);
  return w.take();
}

std::string encode_latest(std::string_view phone, std::string_view record) {
  record_writer w;
  w.str(phone);
  w.u64(0);
  std::string out = w.take();
  out.append(record);
  return out;
}

std::optional<activity_entry> decode_activity(std::string_view bytes) {
  record_view_reader r(bytes);
  activity_entry a;
  a.phone = r.str();
  a.superseded_at = r.u64();
  a.record = r.rest();
  if (!r.ok()) return std::nullopt;
  return a;
}

std::string conversation_id(std::string_view phone) {
  if (phone.starts_with('+')) phone.remove_prefix(1);
  return "cv_" + std::string(phone);
}

std::optional<std::string> phone_of_conversation(std::string_view id) {
  if (!id.starts_with("cv_")) return std::nullopt;
  auto digits = id.substr(3);
  if (digits.empty() || digits.size() > 15 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return "+" + std::string(digits);
}

}  // namespace fl::projections
