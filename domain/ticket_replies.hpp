#pragma once

// What the ticket session texts back. The seed's texts are the model;
// emoji cost UCS-2 segments, so each reply is kept to one or two segments
// where it can be (the help text is the seed's, whole).

#include <span>
#include <string>
#include <string_view>

#include "domain/property_match.hpp"
#include "domain/ticket_session.hpp"

namespace fl::domain::replies {

std::string ticket_started(std::string_view property);
std::string which_property(std::span<const property_ref> choices);
std::string number_or_name(std::size_t count);
std::string ticket_updated();
std::string ticket_completed(std::string_view property);
std::string help();
std::string no_properties();
std::string no_open_ticket();
std::string start_first();
std::string already_open(std::string_view property);
std::string clarify();
std::string confirm_completion(std::string_view property);
std::string ask_quantities(std::string_view property);
std::string kept_open(std::string_view property);
std::string address_of(const property_ref& property);
std::string which_address(std::span<const property_ref> assigned);
std::string status(std::span<const ticket_summary> tickets, const date::time_zone* zone);
std::string not_understood();
/// The one answer a number that is neither a contractor nor a customer gets.
std::string not_registered(std::string_view company);

}  // namespace fl::domain::replies
