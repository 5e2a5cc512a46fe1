#include "http/read_json.hpp"

#include <nlohmann/json.hpp>

#include "http/json_out.hpp"

namespace fl::http {

namespace {

using projections::conversation_view;
using projections::message_view;

constexpr std::size_t typical_item_json = 700;

// `cv_<digits>` of a phone `+<digits>` (projections::conversation_id).
void conversation_id(json_out& w, std::string_view phone) {
  if (phone.starts_with('+')) phone.remove_prefix(1);
  char id[64] = "cv_";
  if (phone.size() > sizeof id - 3) {
    w.string(projections::conversation_id(phone));
    return;
  }
  std::memcpy(id + 3, phone.data(), phone.size());
  w.string(std::string_view(id, 3 + phone.size()));
}

void write_message(json_out& w, const message_view& m) {
  w.raw(R"({"ai_interpretation":)");
  // Stored as JSON text by the interpreter; shown only if it still parses.
  auto interpretation = m.ai_interpretation
                            ? nlohmann::json::parse(*m.ai_interpretation, nullptr, false)
                            : nlohmann::json();
  if (interpretation.is_discarded() || interpretation.is_null())
    w.null();
  else
    w.raw(interpretation.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  w.raw(R"(,"body":)").string(m.body);
  w.raw(R"(,"contractor_id":)").optional_string(m.contractor_id);
  w.raw(R"(,"conversation_id":)");
  conversation_id(w, m.party);
  w.raw(R"(,"created_at":)").time(m.created_at_us);
  w.raw(R"(,"customer_id":)").optional_string(m.customer_id);
  w.raw(R"(,"direction":)").string(m.direction);
  w.raw(R"(,"encoding":)").string(m.encoding);
  w.raw(R"(,"error_code":)");
  if (m.error_code)
    w.number(*m.error_code);
  else
    w.null();
  w.raw(R"(,"error_message":)").optional_string(m.error_message);
  w.raw(R"(,"from":)").string(m.from);
  w.raw(R"(,"id":)").string(m.id);
  w.raw(R"(,"job_id":)").optional_string(m.job_id);
  w.raw(R"(,"media":[)");
  bool first = true;
  for_each_media(m, [&](std::string_view url, std::string_view content_type) {
    w.raw(first ? R"({"content_type":)" : R"(,{"content_type":)").string(content_type);
    w.raw(R"(,"url":)").string(url).raw("}");
    first = false;
  });
  w.raw(R"(],"position":)").number(m.position);
  w.raw(R"(,"segments":)").number(m.segments);
  w.raw(R"(,"sid":)");
  if (m.sid.empty())
    w.null();
  else
    w.string(m.sid);
  w.raw(R"(,"status":)").string(m.status);
  w.raw(R"(,"to":)").string(m.to);
  w.raw(R"(,"trigger":)").optional_string(m.trigger);
  w.raw(R"(,"updated_at":)").time(m.updated_at_us).raw("}");
}

// `messages`, when given, writes the fields that sort between
// `message_count` and `opted_out` (the detail's messages).
template <class Messages>
void write_conversation(json_out& w, const conversation_view& c, Messages messages) {
  w.raw(R"({"created_at":)").time(c.created_at_us);
  w.raw(R"(,"id":)");
  conversation_id(w, c.phone);
  w.raw(R"(,"kind":)").string(c.kind);
  w.raw(R"(,"last_message":)");
  if (c.last_position == 0) {
    w.null();
  } else {
    w.raw(R"({"body":)").string(c.last_body);
    w.raw(R"(,"created_at":)").time(c.last_at_us);
    w.raw(R"(,"direction":)").string(c.last_direction);
    w.raw(R"(,"id":)").string(c.last_id);
    w.raw(R"(,"status":)").string(c.last_status).raw("}");
  }
  w.raw(R"(,"message_count":)").number(c.messages);
  messages(w);
  w.raw(R"(,"opted_out":)").boolean(c.opted_out);
  w.raw(R"(,"party_id":)").optional_string(c.party_id);
  w.raw(R"(,"phone":)").string(c.phone);
  w.raw(R"(,"state":)").optional_string(c.state);
  w.raw(R"(,"unread":)").number(c.unread);
  w.raw(R"(,"updated_at":)").time(c.updated_at_us).raw("}");
}

// `[items...]` of the stored records that decode with `view`; a record that
// does not is left out.
template <class View, class Write>
void write_items(json_out& w, const projections::stored_records& items, View view, Write write) {
  w.raw("[");
  bool first = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto item = view(items[i]);
    if (!item) continue;
    if (!first) w.raw(",");
    write(w, *item);
    first = false;
  }
  w.raw("]");
}

void optional_cursor(json_out& w, const std::optional<std::string>& cursor) {
  if (cursor)
    w.string(*cursor);
  else
    w.null();
}

template <class View, class Write>
std::string list_json(const projections::stored_page& page, View view, Write write) {
  std::string out;
  {
    json_out w(out, 256 + page.items.size() * typical_item_json);
    w.raw(R"({"items":)");
    write_items(w, page.items, view, write);
    w.raw(R"(,"next_cursor":)");
    optional_cursor(w, page.next_cursor);
    w.raw("}");
  }
  return out;
}

}  // namespace

std::string messages_json(const projections::stored_page& page) {
  return list_json(page, projections::view_message, write_message);
}

std::string conversations_json(const projections::stored_page& page) {
  return list_json(
      page, projections::view_conversation,
      [](json_out& w, const conversation_view& c) { write_conversation(w, c, [](json_out&) {}); });
}

std::string conversation_detail_json(const projections::stored_conversation_detail& detail) {
  std::string out;
  auto c = projections::view_conversation(detail.conversation);
  if (!c) return out;
  {
    json_out w(out, 256 + (detail.messages.size() + 1) * typical_item_json);
    write_conversation(w, *c, [&](json_out& w) {
      w.raw(R"(,"messages":)");
      write_items(w, detail.messages, projections::view_message, write_message);
      w.raw(R"(,"messages_next_cursor":)");
      optional_cursor(w, detail.next_cursor);
    });
  }
  return out;
}

}  // namespace fl::http
