#pragma once

// The name and phone of a customer or a technician, checked.

#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "domain/directory_error.hpp"

namespace fl::domain {

/// The longest first or last name, in code points.
inline constexpr std::size_t max_name_code_points = 100;
/// The longest address, in code points.
inline constexpr std::size_t max_address_code_points = 500;

/// A person's details as a client sent them.
struct person_details {
  std::string first_name;
  std::string last_name;
  std::string phone;    // as typed: "(555) 123-4567", "+1 555 123 4567", ...
  std::string address;  // customers only; technicians have none
};

/// `text` trimmed of surrounding whitespace, or why it is no name or
/// address: `invalid_text` (not UTF-8, a control character; newlines only
/// when `allow_newlines`) or `too_long` (over `max_code_points`), naming
/// `field`. Empty text is fine here.
expected<std::string, directory_error> check_directory_text(std::string_view text,
                                                            std::string_view field,
                                                            std::size_t max_code_points,
                                                            bool allow_newlines);

/// Checks `details` and answers them normalised: names and address trimmed
/// of surrounding whitespace, the phone in E.164 (numbers without a country
/// code read as numbers of `region`). A first name is required; last name
/// and address may be empty. Errors: `blank_name`, `too_long`,
/// `invalid_text` (not UTF-8, or a control character; a newline is allowed in
/// an address only), `invalid_phone`; `field` names the field.
expected<person_details, directory_error> check_person_details(const person_details& details,
                                                               std::string_view region);

}  // namespace fl::domain
