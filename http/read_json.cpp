#include "http/read_json.hpp"

#include <nlohmann/json.hpp>

#include "base/timestamp.hpp"

namespace fl::http {

namespace {

void optional_string(events::json_writer& w, const std::optional<std::string>& s) {
  if (s)
    w.string(*s);
  else
    w.null();
}

void time_field(events::json_writer& w, std::int64_t us) {
  w.string(format_rfc3339_utc(from_micros(us)));
}

}  // namespace

void write_message(events::json_writer& w, const projections::message_record& m) {
  w.begin_object().key("ai_interpretation");
  // Stored as JSON text by the interpreter; shown only if it still parses.
  auto interpretation = m.ai_interpretation
                            ? nlohmann::json::parse(*m.ai_interpretation, nullptr, false)
                            : nlohmann::json();
  if (interpretation.is_discarded() || interpretation.is_null())
    w.null();
  else
    w.raw(interpretation.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  w.key("body").string(m.body);
  w.key("contractor_id");
  optional_string(w, m.contractor_id);
  w.key("conversation_id").string(projections::conversation_id(m.party));
  w.key("created_at");
  time_field(w, m.created_at_us);
  w.key("customer_id");
  optional_string(w, m.customer_id);
  w.key("direction").string(m.direction);
  w.key("encoding").string(m.encoding);
  w.key("error_code");
  if (m.error_code)
    w.integer(*m.error_code);
  else
    w.null();
  w.key("error_message");
  optional_string(w, m.error_message);
  w.key("from").string(m.from);
  w.key("id").string(m.id);
  w.key("job_id");
  optional_string(w, m.job_id);
  w.key("media").begin_array();
  for (const auto& item : m.media)
    w.begin_object()
        .key("content_type")
        .string(item.content_type)
        .key("url")
        .string(item.url)
        .end_object();
  w.end_array();
  w.key("position").unsigned_integer(m.position);
  w.key("segments").integer(m.segments);
  w.key("sid");
  if (m.sid.empty())
    w.null();
  else
    w.string(m.sid);
  w.key("status").string(m.status);
  w.key("to").string(m.to);
  w.key("trigger");
  optional_string(w, m.trigger);
  w.key("updated_at");
  time_field(w, m.updated_at_us);
  w.end_object();
}

void write_conversation(events::json_writer& w, const projections::conversation_record& c,
                        const std::function<void(events::json_writer&)>& messages) {
  w.begin_object().key("created_at");
  time_field(w, c.created_at_us);
  w.key("id").string(projections::conversation_id(c.phone));
  w.key("kind").string(c.kind);
  w.key("last_message");
  if (c.last_position == 0) {
    w.null();
  } else {
    w.begin_object().key("body").string(c.last_body).key("created_at");
    time_field(w, c.last_at_us);
    w.key("direction").string(c.last_direction).key("id").string(c.last_id);
    w.key("status").string(c.last_status).end_object();
  }
  w.key("message_count").unsigned_integer(c.messages);
  if (messages) messages(w);
  w.key("opted_out").boolean(c.opted_out);
  w.key("party_id");
  optional_string(w, c.party_id);
  w.key("phone").string(c.phone);
  w.key("state");
  optional_string(w, c.state);
  w.key("unread").unsigned_integer(c.unread);
  w.key("updated_at");
  time_field(w, c.updated_at_us);
  w.end_object();
}

}  // namespace fl::http
