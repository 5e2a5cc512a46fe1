#pragma once

// Where a technician is relative to a job: distance, ETA and the geofence
// that counts as "arrived".

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>

#include "base/timestamp.hpp"

namespace fl::domain {

/// A position in WGS 84 degrees.
struct geo_point {
  double lat = 0;
  double lon = 0;
  friend bool operator==(const geo_point&, const geo_point&) = default;
};

/// Whether `p` is a position on Earth: finite, latitude -90..90, longitude
/// -180..180. What a location report must be before anything uses it.
bool is_valid_position(geo_point p);

/// The great-circle distance in metres (haversine on a sphere of the mean
/// Earth radius, 6371.0088 km; within 0.5% of the ellipsoidal distance).
double haversine_m(geo_point a, geo_point b);

/// Whether `at` is within `radius_m` of `center` (the boundary counts).
bool inside_geofence(geo_point at, geo_point center, double radius_m);

/// How the speed behind an ETA is chosen.
struct eta_options {
  // Default: 0.5 m/s. A reported speed at or below this is a technician
  // standing still (at a light, loading the van), not a speed to divide by.
  double min_moving_speed_mps = 0.5;
  // Default: 11 m/s (about 25 mph, town driving). Used when the technician
  // has no usable reported or recent speed.
  double default_speed_mps = 11.0;
  // Default: 70 m/s (about 155 mph). Anything faster, reported or between
  // two fixes, is a GPS glitch and is ignored.
  double max_plausible_speed_mps = 70.0;
  // Default: 15 min. Only travel between fixes this close to the latest
  // one counts towards the recent average.
  std::chrono::minutes recent_window{15};
};

/// The speed an ETA divides by: `reported` when it is above the moving
/// threshold and plausible, else `recent_average` on the same terms, else
/// the default.
double choose_speed_mps(std::optional<double> reported, std::optional<double> recent_average,
                        const eta_options& options = {});

/// Whole minutes to cover `distance_m` at `speed_mps`, rounded up, at least
/// 1 (a technician at the door is "1 minute" away, never 0), at most
/// max_eta_minutes. A speed that is not positive and finite counts as
/// eta_options' default; a distance that is not finite or negative as 0.
int eta_minutes(double distance_m, double speed_mps);
inline constexpr int max_eta_minutes = 24 * 60 * 7;

/// One location report of a technician.
struct location_fix {
  geo_point at;
  fl::timestamp recorded_at;
  std::optional<double> speed_mps;  // as the device reported it, if it did
};

/// A technician's latest few location fixes, oldest first, for the ETA and
/// geofence triggers. Fixes arrive out of order (a phone uploading a
/// backlog): one not newer than the latest is refused, so a late fix never
/// moves the technician back (the caller still records it in the log).
/// Not thread-safe: one owner.
class recent_track {
 public:
  /// Keeps at most `capacity` fixes (at least 2).
  explicit recent_track(std::size_t capacity = 20);

  /// Adds `fix` if it is newer than the latest; answers whether it did.
  bool add(const location_fix& fix);

  /// The newest fix, or null before the first.
  const location_fix* latest() const;
  std::size_t size() const { return fixes_.size(); }

  /// Distance travelled over time taken between consecutive fixes, over the
  /// pairs that both lie within `recent_window` of the latest (a van parked
  /// at the last job an hour ago does not drag the average down); a pair
  /// implying an implausible speed is left out. Nullopt without at least
  /// one usable pair.
  std::optional<double> average_speed_mps(const eta_options& options = {}) const;

  /// Minutes from the latest fix to `destination` (haversine distance over
  /// choose_speed_mps with the latest fix's reported speed and the recent
  /// average), or nullopt before the first fix.
  std::optional<int> eta_minutes_to(geo_point destination, const eta_options& options = {}) const;

 private:
  std::size_t capacity_;
  std::deque<location_fix> fixes_;
};

}  // namespace fl::domain
