#include "projections/message_record.hpp"

#include "projections/record_codec.hpp"

namespace fl::projections {

std::string encode(const message_record& m) {
  record_writer w;
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

std::optional<message_record> decode_message(std::string_view bytes) {
  record_reader r(bytes);
  message_record m;
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
  auto media = r.u64();
  for (std::uint64_t i = 0; i < media && r.ok(); ++i) {
    events::media_item item;
    item.url = r.str();
    item.content_type = r.str();
    m.media.push_back(std::move(item));
  }
  m.ai_interpretation = r.opt_str();
  m.position = r.u64();
  m.created_at_us = r.i64();
  m.updated_at_us = r.i64();
  if (!r.ok()) return std::nullopt;
  return m;
}

}  // namespace fl::projections
