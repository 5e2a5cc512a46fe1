#include "domain/ticket_session_memory.hpp"

#include <date/tz.h>

#include <algorithm>

namespace fl::domain {

namespace {

template <class T>
void keep_last(std::deque<T>& items, std::size_t most) {
  while (items.size() > most) items.pop_front();
}

date::local_days local_day(fl::timestamp t, const date::time_zone* zone) {
  return date::floor<date::days>(zone->to_local(t));
}

}  // namespace

void remember(ticket_session_memory& memory, const events::event& event,
              fl::timestamp recorded_at) {
  std::visit(events::overloaded{
                 [&](const events::ticket_text_read& e) {
                   ++memory.session.version;
                   memory.texts.push_back({e.message_sid, e.replies});
                   keep_last(memory.texts, ticket_session_memory::max_texts);
                 },
                 [&]<events::ticket_event E>(const E& e) {
                   evolve(memory.session, ticket_session_event{e}, recorded_at);
                   if constexpr (std::is_same_v<E, events::ticket_started>) {
                     memory.tickets.push_back({e.ticket_id, e.property_name, recorded_at, {}});
                     keep_last(memory.tickets, ticket_session_memory::max_tickets);
                   } else if constexpr (std::is_same_v<E, events::ticket_completed>) {
                     for (auto& t : memory.tickets)
                       if (t.id == e.ticket_id && !t.completed_at) t.completed_at = recorded_at;
                   }
                 },
                 [&](const auto&) { ++memory.session.version; },
             },
             event);
}

const remembered_text* find_text(const ticket_session_memory& memory,
                                 std::string_view message_sid) {
  auto it = std::find_if(memory.texts.rbegin(), memory.texts.rend(),
                         [&](const remembered_text& t) { return t.message_sid == message_sid; });
  return it == memory.texts.rend() ? nullptr : &*it;
}

std::vector<ticket_summary> todays_tickets(const ticket_session_memory& memory, fl::timestamp now,
                                           const date::time_zone* zone) {
  if (!zone) zone = date::locate_zone("UTC");
  auto today = local_day(now, zone);
  std::vector<ticket_summary> out;
  for (const auto& t : memory.tickets) {
    bool open = !t.completed_at;
    if (open || local_day(*t.completed_at, zone) == today)
      out.push_back({t.property_name, open, t.started_at});
  }
  return out;
}

events::ticket_text_read text_read(std::string message_sid, const interpretation& reading,
                                   std::optional<std::string> fallback_reason,
                                   std::vector<std::string> replies) {
  events::ticket_text_read e;
  e.message_sid = std::move(message_sid);
  e.intent = std::string(to_string(reading.intent));
  e.confidence = std::string(to_string(reading.confidence));
  e.interpreter = std::string(to_string(reading.interpreter));
  e.fallback_reason = std::move(fallback_reason);
  e.equipment = reading.equipment;
  if (reading.bulk_salt) {
    e.bulk_salt_quantity = reading.bulk_salt->quantity;
    e.bulk_salt_unit = std::string(to_string(reading.bulk_salt->unit));
  }
  e.bag_salt = reading.bag_salt;
  e.calcium_chloride = reading.calcium_chloride;
  e.notes = reading.notes;
  if (reading.work_started_at) e.work_started_minutes = reading.work_started_at->minutes;
  if (reading.work_finished_at) e.work_finished_minutes = reading.work_finished_at->minutes;
  e.property_hint = reading.property_hint;
  e.replies = std::move(replies);
  return e;
}

interpretation reading_of(const events::ticket_text_read& e) {
  interpretation r;
  r.intent = parse_ticket_intent(e.intent).value_or(ticket_intent::unknown);
  r.confidence =
      parse_interpretation_confidence(e.confidence).value_or(interpretation_confidence::low);
  r.interpreter = parse_interpreter_kind(e.interpreter).value_or(interpreter_kind::rules);
  r.equipment = e.equipment;
  if (e.bulk_salt_quantity)
    r.bulk_salt =
        bulk_salt{*e.bulk_salt_quantity,
                  parse_salt_unit(e.bulk_salt_unit.value_or("")).value_or(salt_unit::yards)};
  r.bag_salt = e.bag_salt;
  r.calcium_chloride = e.calcium_chloride;
  r.notes = e.notes;
  if (e.work_started_minutes)
    r.work_started_at = local_time_of_day{static_cast<int>(*e.work_started_minutes)};
  if (e.work_finished_minutes)
    r.work_finished_at = local_time_of_day{static_cast<int>(*e.work_finished_minutes)};
  r.property_hint = e.property_hint;
  return r;
}

interpreter_result result_of(const events::ticket_text_read& e) {
  interpreter_result r;
  r.reading = reading_of(e);
  r.fallback_reason = e.fallback_reason;
  r.model = e.model;
  r.attempts = static_cast<int>(e.attempts);
  return r;
}

}  // namespace fl::domain
