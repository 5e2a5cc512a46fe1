#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace fl::domain {

/// Why a text was sent: the six automated customer notifications, a text a
/// person wrote (`manual`) and an answer to an inbound text (`reply`).
enum class sms_trigger : std::uint8_t {
  scheduled,    // a job was assigned to a technician
  reminder,     // the day-before reminder
  enroute,      // the technician set out, with an ETA
  fifteen_min,  // the technician is 15 minutes away ("15_min" on the wire)
  arrived,      // the technician reached the job (geofence or status)
  complete,     // the job is done, with the invoice link
  manual,
  reply,
};

/// Every trigger, in the order above.
inline constexpr std::array<sms_trigger, 8> all_sms_triggers{
    sms_trigger::scheduled, sms_trigger::reminder, sms_trigger::enroute, sms_trigger::fifteen_min,
    sms_trigger::arrived,   sms_trigger::complete, sms_trigger::manual,  sms_trigger::reply};

/// The wire name: "scheduled", "reminder", "enroute", "15_min", "arrived",
/// "complete", "manual", "reply".
std::string_view to_string(sms_trigger t);

/// The trigger of a wire name (exact, case-sensitive), or nullopt.
std::optional<sms_trigger> parse_sms_trigger(std::string_view name);

/// Whether fieldline sends texts of this trigger on its own (every trigger
/// but `manual` and `reply`): the ones the SMS settings switch on and off.
bool is_automated(sms_trigger t);

}  // namespace fl::domain
