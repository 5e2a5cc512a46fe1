#pragma once

// Dates and times as a customer reads them in a text, on the tenant's clock.

#include <string>

#include "base/timestamp.hpp"

namespace date {
class time_zone;
}

namespace fl::domain {

/// The local date of `t` in `zone` (UTC when null), e.g. "Tue, Nov 24":
/// English weekday and month abbreviations, the day without a leading zero,
/// no year.
std::string friendly_date(fl::timestamp t, const date::time_zone* zone);

/// The local time of `t` in `zone` (UTC when null) on a 12-hour clock, e.g.
/// "2:30 PM", "9:05 AM", "12:00 PM" (noon), "12:00 AM" (midnight). Seconds
/// are dropped, not rounded.
std::string friendly_time(fl::timestamp t, const date::time_zone* zone);

}  // namespace fl::domain
