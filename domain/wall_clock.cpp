#include "domain/wall_clock.hpp"

#include <date/tz.h>

namespace fl::domain {

local_instant wall_clock_at(fl::timestamp t, const date::time_zone* zone) {
  if (!zone) return local_instant{t.time_since_epoch()};
  return zone->to_local(t);
}

fl::timestamp instant_at(local_instant local, const date::time_zone* zone,
                         fl::timestamp not_before) {
  auto as_utc = fl::timestamp{local.time_since_epoch()};
  if (!zone) return as_utc;
  auto info = zone->get_info(local);
  switch (info.result) {
    case date::local_info::unique:
      return as_utc - info.first.offset;
    case date::local_info::nonexistent:
      return fl::timestamp{info.first.end.time_since_epoch()};
    case date::local_info::ambiguous: {
      auto first = as_utc - info.first.offset;
      return first >= not_before ? first : as_utc - info.second.offset;
    }
  }
  return as_utc - info.first.offset;
}

std::chrono::microseconds time_of_day(local_instant local) {
  return local - std::chrono::floor<date::days>(local);
}

}  // namespace fl::domain
