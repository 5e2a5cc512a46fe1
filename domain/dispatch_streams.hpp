#pragma once

// The names of the directory streams: one per customer, technician, job,
// contractor and property, and one each for a tenant's SMS settings and
// templates.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fl::domain {

/// What a field-service stream holds.
enum class dispatch_stream_kind : std::uint8_t {
  customer,       // "customer:<tenant>:<id>"
  technician,     // "technician:<tenant>:<id>"
  job,            // "job:<tenant>:<id>"
  sms_settings,   // "sms-settings:<tenant>"
  sms_templates,  // "sms-templates:<tenant>"
  contractor,     // "contractor:<tenant>:<id>"
  property,       // "property:<tenant>:<id>"
};

/// The prefix before the first ':': "customer", "technician", "job",
/// "sms-settings", "sms-templates", "contractor", "property".
std::string_view to_string(dispatch_stream_kind kind);

/// Whether `id` may name a customer, technician, job or template: 1..64
/// characters of `A-Z a-z 0-9 _ -`. Ids go into stream names and URLs, so a
/// ':' (the stream separator), '/', NUL or a space is never one.
bool is_valid_entity_id(std::string_view id);

std::string customer_stream(std::string_view tenant, std::string_view customer_id);
std::string technician_stream(std::string_view tenant, std::string_view technician_id);
std::string job_stream(std::string_view tenant, std::string_view job_id);
std::string sms_settings_stream(std::string_view tenant);
std::string sms_templates_stream(std::string_view tenant);
std::string contractor_stream(std::string_view tenant, std::string_view contractor_id);
std::string property_stream(std::string_view tenant, std::string_view property_id);

/// A field-service stream name taken apart; views into the name.
struct dispatch_stream {
  dispatch_stream_kind kind = dispatch_stream_kind::customer;
  std::string_view tenant;
  std::string_view id;  // empty for sms-settings and sms-templates
};

/// The parts of a field-service stream name, or nullopt for any other name
/// (a conversation's, a malformed one: empty tenant, missing or extra id).
std::optional<dispatch_stream> parse_dispatch_stream(std::string_view stream);

}  // namespace fl::domain
