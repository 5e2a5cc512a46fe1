#pragma once

// Why the directory (customers, technicians, contractors, properties)
// refused a command.

#include <cstdint>
#include <string>
#include <string_view>

namespace fl::domain {

/// Numbers are pinned.
enum class directory_errc : std::uint8_t {
  invalid_id = 1,          // not is_valid_entity_id
  blank_name = 2,          // first_name empty or whitespace
  too_long = 3,            // a name or an address over its limit
  invalid_text = 4,        // not UTF-8, or a control character
  invalid_phone = 5,       // parse_phone refused it
  already_registered = 6,  // register for an id that has other details already
  not_registered = 7,      // anything else for an id never registered
  unknown_status = 8,      // a technician status other than the four
  missing_job = 9,         // a status about a job, with no job named or current
  invalid_position = 10,   // latitude or longitude not finite or out of range
  phone_taken = 11,        // the phone is another contractor's or a customer's of the tenant
  invalid_time = 12,       // a quiet hours bound not "HH:MM", or only one of them
};

std::string_view to_string(directory_errc code);

struct directory_error {
  directory_errc code = directory_errc::invalid_id;
  std::string field;    // the api.md field concerned, e.g. "phone"; "" when none
  std::string message;  // for people
};

}  // namespace fl::domain
