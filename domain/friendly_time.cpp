#include "domain/friendly_time.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <array>
#include <string_view>

#include "domain/wall_clock.hpp"

namespace fl::domain {

namespace {

constexpr std::array<std::string_view, 7> weekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string friendly_date(fl::timestamp t, const date::time_zone* zone) {
  auto day = std::chrono::floor<date::days>(wall_clock_at(t, zone));
  date::year_month_day ymd{day};
  date::weekday wd{day};
  return fmt::format("{}, {} {}", weekdays[wd.c_encoding()],
                     months[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<unsigned>(ymd.day()));
}

std::string friendly_time(fl::timestamp t, const date::time_zone* zone) {
  auto minutes =
      std::chrono::duration_cast<std::chrono::minutes>(time_of_day(wall_clock_at(t, zone))).count();
  auto hour = minutes / 60, minute = minutes % 60;
  auto hour12 = hour % 12 == 0 ? 12 : hour % 12;
  return fmt::format("{}:{:02d} {}", hour12, minute, hour < 12 ? "AM" : "PM");
}

}  // namespace fl::domain
