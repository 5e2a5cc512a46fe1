#include "domain/geo.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace fl::domain {

namespace {

constexpr double earth_radius_m = 6'371'008.8;

double radians(double degrees) {
  return degrees * std::numbers::pi / 180.0;
}

bool usable_speed(std::optional<double> speed, const eta_options& options) {
  return speed && std::isfinite(*speed) && *speed > options.min_moving_speed_mps &&
         *speed <= options.max_plausible_speed_mps;
}

}  // namespace

bool is_valid_position(geo_point p) {
  return std::isfinite(p.lat) && std::isfinite(p.lon) && p.lat >= -90 && p.lat <= 90 &&
         p.lon >= -180 && p.lon <= 180;
}

double haversine_m(geo_point a, geo_point b) {
  const double dlat = radians(b.lat - a.lat);
  const double dlon = radians(b.lon - a.lon);
  const double h = std::pow(std::sin(dlat / 2), 2) + std::cos(radians(a.lat)) *
                                                         std::cos(radians(b.lat)) *
                                                         std::pow(std::sin(dlon / 2), 2);
  // Rounding can push h a hair past 1 for antipodal points.
  return 2 * earth_radius_m * std::asin(std::sqrt(std::clamp(h, 0.0, 1.0)));
}

bool inside_geofence(geo_point at, geo_point center, double radius_m) {
  return haversine_m(at, center) <= radius_m;
}

double choose_speed_mps(std::optional<double> reported, std::optional<double> recent_average,
                        const eta_options& options) {
  if (usable_speed(reported, options)) return *reported;
  if (usable_speed(recent_average, options)) return *recent_average;
  return options.default_speed_mps;
}

int eta_minutes(double distance_m, double speed_mps) {
  if (!std::isfinite(distance_m) || distance_m < 0) distance_m = 0;
  if (!std::isfinite(speed_mps) || speed_mps <= 0) speed_mps = eta_options{}.default_speed_mps;
  const double minutes = std::ceil(distance_m / speed_mps / 60.0);
  if (!(minutes < max_eta_minutes)) return max_eta_minutes;
  return std::max(1, static_cast<int>(minutes));
}

recent_track::recent_track(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 2)) {}

bool recent_track::add(const location_fix& fix) {
  if (!fixes_.empty() && fix.recorded_at <= fixes_.back().recorded_at) return false;
  fixes_.push_back(fix);
  if (fixes_.size() > capacity_) fixes_.pop_front();
  return true;
}

const location_fix* recent_track::latest() const {
  return fixes_.empty() ? nullptr : &fixes_.back();
}

std::optional<double> recent_track::average_speed_mps(const eta_options& options) const {
  if (fixes_.size() < 2) return std::nullopt;
  const auto since = fixes_.back().recorded_at - options.recent_window;
  double metres = 0, seconds = 0;
  for (std::size_t i = 1; i < fixes_.size(); ++i) {
    const auto& from = fixes_[i - 1];
    const auto& to = fixes_[i];
    if (from.recorded_at < since) continue;
    const double d = haversine_m(from.at, to.at);
    const double s = std::chrono::duration<double>(to.recorded_at - from.recorded_at).count();
    if (d / s > options.max_plausible_speed_mps) continue;
    metres += d;
    seconds += s;
  }
  if (seconds <= 0) return std::nullopt;
  return metres / seconds;
}

std::optional<int> recent_track::eta_minutes_to(geo_point destination,
                                                const eta_options& options) const {
  const auto* now = latest();
  if (!now) return std::nullopt;
  const double speed = choose_speed_mps(now->speed_mps, average_speed_mps(options), options);
  return eta_minutes(haversine_m(now->at, destination), speed);
}

}  // namespace fl::domain
