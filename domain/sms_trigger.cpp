#include "domain/sms_trigger.hpp"

namespace fl::domain {

std::string_view to_string(sms_trigger t) {
  switch (t) {
    case sms_trigger::scheduled:
      return "scheduled";
    case sms_trigger::reminder:
      return "reminder";
    case sms_trigger::enroute:
      return "enroute";
    case sms_trigger::fifteen_min:
      return "15_min";
    case sms_trigger::arrived:
      return "arrived";
    case sms_trigger::complete:
      return "complete";
    case sms_trigger::manual:
      return "manual";
    case sms_trigger::reply:
      return "reply";
  }
  return "unknown";
}

std::optional<sms_trigger> parse_sms_trigger(std::string_view name) {
  for (auto t : all_sms_triggers)
    if (to_string(t) == name) return t;
  return std::nullopt;
}

bool is_automated(sms_trigger t) {
  return t != sms_trigger::manual && t != sms_trigger::reply;
}

}  // namespace fl::domain
