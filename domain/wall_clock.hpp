#pragma once

// Between instants and a tenant's wall clock, with the two DST cases (a
// local time skipped by a gap, a local time repeated by an overlap) resolved
// one documented way for everything tenant-local: quiet hours, reminders.

#include <date/date.h>

#include <chrono>

#include "base/timestamp.hpp"

namespace date {
class time_zone;
}

namespace fl::domain {

/// A reading of a wall clock, microsecond precision.
using local_instant = date::local_time<std::chrono::microseconds>;

/// What the wall clock in `zone` (UTC when null) reads at `t`.
local_instant wall_clock_at(fl::timestamp t, const date::time_zone* zone);

/// The instant the wall clock in `zone` (UTC when null) reads `local`.
/// - A time skipped by a DST gap (02:30 on a spring-forward day in the US)
///   never comes: the answer is the end of the gap, the first instant the
///   clock reads later than `local` (03:00 the new offset).
/// - A time repeated by an overlap (01:30 on a fall-back day) comes twice:
///   the answer is its first occurrence at or after `not_before`, or the
///   last occurrence if both are earlier.
fl::timestamp instant_at(local_instant local, const date::time_zone* zone,
                         fl::timestamp not_before = fl::timestamp::min());

/// The time of day on a wall clock reading: microseconds since its midnight.
std::chrono::microseconds time_of_day(local_instant local);

}  // namespace fl::domain
