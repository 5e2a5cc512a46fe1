#include "domain/ticket_session.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "domain/ticket_replies.hpp"
#include "events/event.hpp"

namespace fl::domain {

namespace {

constexpr std::array<std::string_view, 5> stage_names{
    "idle", "awaiting_start_confirmation", "collecting_ticket_details", "awaiting_completion",
    "collecting_completion_details"};

using intent = ticket_intent;

// The trimmed, upper-cased text, for the few one-word answers the
// interpreter has no intent for (YES, NO).
std::string shout(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  while (!text.empty() && (text.back() == '.' || text.back() == '!')) text.remove_suffix(1);
  std::string out;
  for (char c : text) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_yes(std::string_view body) {
  auto s = shout(body);
  return s == "YES" || s == "Y" || s == "YEP" || s == "YEAH" || s == "OK" || s == "CONFIRM";
}

bool is_no(std::string_view body) {
  auto s = shout(body);
  return s == "NO" || s == "N" || s == "NOPE" || s == "NOT YET";
}

const property_ref* find_property(std::span<const property_ref> assigned, std::string_view id) {
  auto it = std::find_if(assigned.begin(), assigned.end(),
                         [&](const property_ref& p) { return p.id == id; });
  return it == assigned.end() ? nullptr : &*it;
}

// The properties of `ids` still assigned, in order.
std::vector<property_ref> offered(const std::vector<std::string>& ids,
                                  std::span<const property_ref> assigned) {
  std::vector<property_ref> out;
  for (const auto& id : ids)
    if (const auto* p = find_property(assigned, id)) out.push_back(*p);
  return out;
}

events::ticket_session_moved moved(session_stage to, std::vector<std::string> choices = {}) {
  return {std::string(to_string(to)), std::move(choices)};
}

struct builder {
  const ticket_session_state& state;
  const contractor_text& text;
  const ticket_session_context& ctx;
  session_decision out;

  const interpretation& reading() const { return text.reading; }
  std::string_view open_name() const { return state.ticket->property_name; }
  void reply(std::string s) { out.replies.push_back(std::move(s)); }
  void emit(ticket_session_event e) { out.events.push_back(std::move(e)); }
  void move_to(session_stage to, std::vector<std::string> choices = {}) {
    if (to != state.stage || !choices.empty() || !state.choices.empty())
      emit(moved(to, std::move(choices)));
  }

  void start(const property_ref& p) {
    emit(events::ticket_started{ctx.new_ticket_id(), p.id, p.name});
    move_to(session_stage::collecting_ticket_details);
    reply(replies::ticket_started(p.name));
  }

  void offer_properties() {
    if (ctx.assigned.empty()) return reply(replies::no_properties());
    if (ctx.assigned.size() == 1) return start(ctx.assigned.front());
    std::vector<std::string> ids;
    for (const auto& p : ctx.assigned) ids.push_back(p.id);
    move_to(session_stage::awaiting_start_confirmation, std::move(ids));
    reply(replies::which_property(ctx.assigned));
  }

  // The details the text reports, for the open ticket; false when none.
  bool add_details() {
    const auto& r = reading();
    if (!r.has_details()) return false;
    events::ticket_details_added d;
    d.ticket_id = state.ticket->id;
    d.message_id = text.message_id;
    d.equipment = r.equipment;
    if (r.bulk_salt) {
      d.bulk_salt_quantity = r.bulk_salt->quantity;
      d.bulk_salt_unit = std::string(to_string(r.bulk_salt->unit));
    }
    d.bag_salt = r.bag_salt;
    d.calcium_chloride = r.calcium_chloride;
    d.note = r.notes;
    if (r.work_started_at)
      d.work_started_at_us = to_micros(latest_local(*r.work_started_at, ctx.now, ctx.zone));
    if (r.work_finished_at)
      d.work_finished_at_us = to_micros(latest_local(*r.work_finished_at, ctx.now, ctx.zone));
    emit(std::move(d));
    return true;
  }

  void complete() {
    emit(events::ticket_completed{state.ticket->id});
    move_to(session_stage::idle);
    reply(replies::ticket_completed(open_name()));
  }

  // DONE on the open ticket: its details first; closed when it has any
  // quantity, else one question for them.
  void complete_or_ask(bool asked_before) {
    bool quantities = state.ticket->has_quantities() || reading().has_quantities();
    add_details();
    if (quantities || asked_before) return complete();
    move_to(session_stage::collecting_completion_details);
    reply(replies::ask_quantities(open_name()));
  }

  void answer_address() {
    const auto& hint = reading().property_hint;
    if (hint) {
      if (auto i = match_property(*hint, ctx.assigned))
        return reply(replies::address_of(ctx.assigned[*i]));
    } else if (state.ticket) {
      if (const auto* p = find_property(ctx.assigned, state.ticket->property_id))
        return reply(replies::address_of(*p));
    }
    reply(replies::which_address(ctx.assigned));
  }

  // HELP, status and addresses mean the same in every state.
  bool answer_anywhere() {
    switch (reading().intent) {
      case intent::help:
        reply(replies::help());
        return true;
      case intent::status:
        reply(replies::status(ctx.todays_tickets, ctx.zone));
        return true;
      case intent::query_address:
        answer_address();
        return true;
      default:
        return false;
    }
  }

  void idle() {
    switch (reading().intent) {
      case intent::start_ticket:
        return offer_properties();
      case intent::complete_ticket:
        return reply(replies::no_open_ticket());
      case intent::provide_details:
        return reply(reading().has_details() ? replies::start_first() : replies::not_understood());
      default:
        return reply(replies::not_understood());
    }
  }

  void awaiting_start() {
    if (reading().intent == intent::start_ticket) return offer_properties();
    auto choices = offered(state.choices, ctx.assigned);
    const auto& hint = reading().property_hint;
    auto picked =
        match_property(hint ? std::string_view(*hint) : std::string_view(text.body), choices);
    if (picked) return start(choices[*picked]);
    if (choices.empty()) {
      move_to(session_stage::idle);
      return reply(replies::no_properties());
    }
    reply(replies::number_or_name(choices.size()));
  }

  void collecting() {
    const auto& r = reading();
    switch (r.intent) {
      case intent::start_ticket:
        return reply(replies::already_open(open_name()));
      case intent::complete_ticket:
        if (r.confidence == interpretation_confidence::high) return complete_or_ask(false);
        move_to(session_stage::awaiting_completion);
        return reply(replies::confirm_completion(open_name()));
      case intent::provide_details:
        if (r.confidence != interpretation_confidence::low && add_details())
          return reply(replies::ticket_updated());
        return reply(replies::clarify());
      default:
        return reply(replies::clarify());
    }
  }

  void awaiting_completion() {
    const auto& r = reading();
    if (r.intent == intent::complete_ticket || is_yes(text.body)) return complete_or_ask(false);
    if (is_no(text.body)) {
      move_to(session_stage::collecting_ticket_details);
      return reply(replies::kept_open(open_name()));
    }
    if (r.intent == intent::provide_details && r.confidence != interpretation_confidence::low &&
        add_details()) {
      move_to(session_stage::collecting_ticket_details);
      return reply(replies::ticket_updated());
    }
    if (r.intent == intent::start_ticket) return reply(replies::already_open(open_name()));
    reply(replies::confirm_completion(open_name()));
  }

  void collecting_completion() {
    const auto& r = reading();
    if (r.intent == intent::complete_ticket) return complete_or_ask(true);
    if (r.intent == intent::start_ticket) return reply(replies::already_open(open_name()));
    if (r.confidence != interpretation_confidence::low && r.has_details()) {
      add_details();
      return complete();
    }
    reply(replies::ask_quantities(open_name()));
  }

  void run() {
    if (answer_anywhere()) return;
    // A session left in a ticket state without its ticket (never by these
    // rules) is treated as idle.
    bool has_ticket = state.ticket.has_value();
    switch (state.stage) {
      case session_stage::idle:
        return idle();
      case session_stage::awaiting_start_confirmation:
        return awaiting_start();
      case session_stage::collecting_ticket_details:
        return has_ticket ? collecting() : idle();
      case session_stage::awaiting_completion:
        return has_ticket ? awaiting_completion() : idle();
      case session_stage::collecting_completion_details:
        return has_ticket ? collecting_completion() : idle();
    }
  }
};

void add_up(std::optional<double>& total, std::optional<double> more) {
  if (more) total = total.value_or(0) + *more;
}

}  // namespace

std::string_view to_string(session_stage s) {
  return stage_names[static_cast<std::size_t>(s)];
}

std::optional<session_stage> parse_session_stage(std::string_view name) {
  for (std::size_t i = 0; i < stage_names.size(); ++i)
    if (stage_names[i] == name) return static_cast<session_stage>(i);
  return std::nullopt;
}

session_decision decide(const ticket_session_state& state, const contractor_text& text,
                        const ticket_session_context& context) {
  builder b{state, text, context, {}};
  b.run();
  return std::move(b.out);
}

void add_details(open_ticket& t, const events::ticket_details_added& e) {
  for (const auto& name : e.equipment)
    if (std::find(t.equipment.begin(), t.equipment.end(), name) == t.equipment.end())
      t.equipment.push_back(name);
  if (e.bulk_salt_quantity) {
    auto unit = parse_salt_unit(e.bulk_salt_unit.value_or("yards")).value_or(salt_unit::yards);
    // Quantities in another unit replace rather than add: yards and tons do
    // not sum.
    if (t.bulk && t.bulk->unit == unit)
      t.bulk->quantity += *e.bulk_salt_quantity;
    else
      t.bulk = bulk_salt{*e.bulk_salt_quantity, unit};
  }
  add_up(t.bag_salt, e.bag_salt);
  add_up(t.calcium_chloride, e.calcium_chloride);
  if (e.note) t.notes.push_back(*e.note);
  if (e.work_started_at_us) t.work_started_at = from_micros(*e.work_started_at_us);
  if (e.work_finished_at_us) t.work_finished_at = from_micros(*e.work_finished_at_us);
}

void evolve(ticket_session_state& state, const ticket_session_event& event,
            fl::timestamp recorded_at) {
  ++state.version;
  std::visit(
      events::overloaded{
          [&](const events::ticket_started& e) {
            state.ticket = open_ticket{e.ticket_id, e.property_id, e.property_name, recorded_at};
          },
          [&](const events::ticket_details_added& e) {
            if (!state.ticket || state.ticket->id != e.ticket_id) return;
            add_details(*state.ticket, e);
          },
          [&](const events::ticket_completed& e) {
            if (state.ticket && state.ticket->id == e.ticket_id) state.ticket.reset();
          },
          [&](const events::ticket_session_moved& e) {
            state.stage = parse_session_stage(e.state).value_or(session_stage::idle);
            state.choices = e.choices;
          },
      },
      event);
}

fl::timestamp latest_local(local_time_of_day t, fl::timestamp now, const date::time_zone* zone) {
  if (!zone) zone = date::locate_zone("UTC");
  auto local_now = zone->to_local(now);
  auto day = date::floor<date::days>(local_now);
  auto candidate = day + std::chrono::minutes(t.minutes);
  if (candidate > local_now) candidate -= date::days(1);
  // A local time skipped or repeated by a clock change: the earlier instant.
  auto info = zone->get_info(candidate);
  fl::timestamp at;
  if (info.result == date::local_info::unique)
    at = std::chrono::time_point_cast<fl::timestamp::duration>(zone->to_sys(candidate));
  else if (info.result == date::local_info::ambiguous)
    at = std::chrono::time_point_cast<fl::timestamp::duration>(
        zone->to_sys(candidate, date::choose::earliest));
  else
    at = std::chrono::time_point_cast<fl::timestamp::duration>(
        zone->to_sys(candidate, date::choose::latest));
  return std::min(at, now);
}

}  // namespace fl::domain
