#pragma once

// Which calendar day and month an instant falls on for a tenant: stats
// count "today" and "this month" in the tenant's own time zone.

#include <string>
#include <string_view>

#include "base/timestamp.hpp"

namespace date {
class time_zone;
}

namespace fl::domain {

/// The IANA zone (tzdata), or null if there is none by that name.
const date::time_zone* find_time_zone(std::string_view name);

/// A local calendar date: `day` "YYYY-MM-DD", `month` "YYYY-MM".
struct local_date {
  std::string day;
  std::string month;
  friend bool operator==(const local_date&, const local_date&) = default;
};

/// The date `t` falls on in `zone` (UTC when null).
local_date local_date_of(fl::timestamp t, const date::time_zone* zone);

/// `local_date_of` for instants that mostly come in order: remembers the
/// span of time the last answer holds for (that local day, cut at any
/// change of the zone's offset), so the instants of one day share one zone
/// lookup.
class local_date_finder {
 public:
  explicit local_date_finder(const date::time_zone* zone) : zone_(zone) {}
  const local_date& of(fl::timestamp t);

 private:
  const date::time_zone* zone_;
  fl::timestamp from_{fl::timestamp::max()}, to_{fl::timestamp::min()};  // [from, to)
  local_date date_;
};

/// Whether `text` is a real date "YYYY-MM-DD" (e.g. not 2026-02-30).
bool is_calendar_day(std::string_view text);

}  // namespace fl::domain
