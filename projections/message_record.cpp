#include "projections/message_record.hpp"

#include "projections/record_codec.hpp"

namespace fl::projections {

std::string encode(const message_record& m) {
  record_writer w;
  w.reserve(160 + m.body.size() + (m.ai_interpretation ? m.ai_interpretation->size() : 0));
  w.str(m.id);
  w.str(m.sid);
  w.str(m.direction);
  w.str(m.from);
  w.str(m.to);
  w.str(m.party);
  w.str(m.body);
  w.opt_str(m.trigger);
  w.str(m.status);
  w.opt_i64(m.error_code);
  w.opt_str(m.error_message);
  w.i64(m.segments);
  w.str(m.encoding);
  w.opt_str(m.customer_id);
  w.opt_str(m.contractor_id);
  w.opt_str(m.job_id);
  w.u64(m.media.size());
  for (const auto& item : m.media) {
    w.str(item.url);
    w.str(item.content_type);
  }
  w.opt_str(m.ai_interpretation);
  w.u64(m.position);
  w.i64(m.created_at_us);
  w.i64(m.updated_at_us);
  return w.take();
}

std::optional<message_view> view_message(std::string_view bytes) {
  record_view_reader r(bytes);
  message_view m;
  m.id = r.str();
  m.sid = r.str();
  m.direction = r.str();
  m.from = r.str();
  m.to = r.str();
  m.party = r.str();
  m.body = r.str();
  m.trigger = r.opt_str();
  m.status = r.str();
  m.error_code = r.opt_i64();
  m.error_message = r.opt_str();
  m.segments = r.i64();
  m.encoding = r.str();
  m.customer_id = r.opt_str();
  m.contractor_id = r.opt_str();
  m.job_id = r.opt_str();
  m.media_count = r.u64();
  auto media = r.rest();
  for (std::uint64_t i = 0; i < m.media_count && r.ok(); ++i) {
    r.str();
    r.str();
  }
  m.media = media.substr(0, media.size() - r.rest().size());
  m.ai_interpretation = r.opt_str();
  m.position = r.u64();
  m.created_at_us = r.i64();
  m.updated_at_us = r.i64();
  if (!r.ok()) return std::nullopt;
  return m;
}

namespace {

std::optional<std::string> copy(const std::optional<std::string_view>& s) {
  if (!s) return std::nullopt;
  return std::string(*s);
}

}  // namespace

std::optional<message_record> decode_message(std::string_view bytes) {
  auto v = view_message(bytes);
  if (!v) return std::nullopt;
  message_record m;
  m.id = v->id;
  m.sid = v->sid;
  m.direction = v->direction;
  m.from = v->from;
  m.to = v->to;
  m.party = v->party;
  m.body = v->body;
  m.trigger = copy(v->trigger);
  m.status = v->status;
  m.error_code = v->error_code;
  m.error_message = copy(v->error_message);
  m.segments = v->segments;
  m.encoding = v->encoding;
  m.customer_id = copy(v->customer_id);
  m.contractor_id = copy(v->contractor_id);
  m.job_id = copy(v->job_id);
  for_each_media(*v, [&](std::string_view url, std::string_view content_type) {
    m.media.push_back({std::string(url), std::string(content_type)});
  });
  m.ai_interpretation = copy(v->ai_interpretation);
  m.position = v->position;
  m.created_at_us = v->created_at_us;
  m.updated_at_us = v->updated_at_us;
  return m;
}

}  // namespace fl::projections
