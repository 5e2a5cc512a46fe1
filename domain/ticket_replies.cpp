#include "domain/ticket_replies.hpp"

#include <fmt/format.h>

#include "domain/friendly_time.hpp"

namespace fl::domain::replies {

std::string ticket_started(std::string_view property) {
  return fmt::format(
      "\u2705 Ticket started for {}!\nReply with equipment, salt and notes, e.g. Plow truck, 3 "
      "yards bulk salt, lot clear",
      property);
}

std::string which_property(std::span<const property_ref> choices) {
  std::string out = "\U0001F4CD Which property?\n";
  for (std::size_t i = 0; i < choices.size(); ++i) {
    out += fmt::format("\n{}. {}", i + 1, choices[i].name);
    if (!choices[i].address.empty()) out += " - " + choices[i].address;
  }
  out += "\n\nReply with the number or property name.";
  return out;
}

std::string number_or_name(std::size_t count) {
  return fmt::format("Reply with the number (1-{}) or the property name.", count);
}

std::string ticket_updated() {
  return "\u2705 Ticket updated!\n\nReply DONE when finished, or send more details to update.";
}

std::string ticket_completed(std::string_view property) {
  return fmt::format(
      "\u2705 Ticket completed for {}!\n\nThank you. Reply START when you begin the next job.",
      property);
}

std::string help() {
  return "\U0001F4F1 SMS Ticket Help:\n\n"
         "START - Begin a new ticket\n"
         "DONE - Complete current ticket\n"
         "Status of tickets - Check ticket status\n\n"
         "While working, just text:\n"
         "- Equipment used\n"
         "- Salt quantities\n"
         "- Notes\n\n"
         "Example: \"Plow truck 3 yards bulk salt parking lot clear\"\n\n"
         "Need help? Call dispatch.";
}

std::string no_properties() {
  return "You have no properties assigned right now. Call dispatch.";
}

std::string no_open_ticket() {
  return "You have no open ticket. Reply START to begin one.";
}

std::string start_first() {
  return "No open ticket yet. Reply START first, then send the details.";
}

std::string already_open(std::string_view property) {
  return fmt::format("You have an open ticket for {}. Reply DONE to complete it first.", property);
}

std::string clarify() {
  return "Sorry, I couldn't read that. Reply with equipment, salt used (e.g. 3 yards, 5 bags) or "
         "notes.";
}

std::string confirm_completion(std::string_view property) {
  return fmt::format("Complete the ticket for {}? Reply DONE to close it, or send more details.",
                     property);
}

std::string ask_quantities(std::string_view property) {
  return fmt::format(
      "No salt on the ticket for {} yet. Reply with quantities (e.g. 3 yards, 5 bags) or DONE "
      "again to close it without.",
      property);
}

std::string kept_open(std::string_view property) {
  return fmt::format("OK, the ticket for {} stays open. Send details, or DONE when finished.",
                     property);
}

std::string address_of(const property_ref& property) {
  if (property.address.empty()) return fmt::format("No address on file for {}.", property.name);
  return fmt::format("{}: {}", property.name, property.address);
}

std::string which_address(std::span<const property_ref> assigned) {
  if (assigned.empty()) return no_properties();
  std::string names;
  for (const auto& p : assigned) names += (names.empty() ? "" : ", ") + p.name;
  return "Which property? Yours: " + names + ".";
}

std::string status(std::span<const ticket_summary> tickets, const date::time_zone* zone) {
  std::string open, done;
  for (const auto& t : tickets) {
    if (t.open)
      open += fmt::format("{}{} (since {})", open.empty() ? "" : ", ", t.property_name,
                          friendly_time(t.started_at, zone));
    else
      done += (done.empty() ? "" : ", ") + t.property_name;
  }
  if (open.empty() && done.empty()) return "No open tickets, none completed today.";
  std::string out;
  out += open.empty() ? "No open ticket." : "Open: " + open + ".";
  out += done.empty() ? " None completed today." : " Completed today: " + done + ".";
  return out;
}

std::string not_understood() {
  return "Sorry, I didn't get that. Reply START to begin a ticket, or HELP for commands.";
}

std::string not_registered(std::string_view company) {
  return fmt::format("This number is not registered with {}. Please ask your office to add it.",
                     company);
}

}  // namespace fl::domain::replies
