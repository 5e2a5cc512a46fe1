#include "http/location_lines.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace fl::http {

namespace {

using json = nlohmann::json;

location_line_error field_error(std::string field, std::string message) {
  return {0, std::move(field), std::move(message)};
}

// A finite number in [lo, hi], or an error naming `name`.
expected<double, location_line_error> number_in(const json& o, const char* name, double lo,
                                                double hi) {
  auto it = o.find(name);
  if (it == o.end() || it->is_null())
    return unexpected{field_error(name, std::string(name) + " is required")};
  if (!it->is_number())
    return unexpected{field_error(name, std::string(name) + " must be a number")};
  double v = it->get<double>();
  if (!std::isfinite(v) || v < lo || v > hi)
    return unexpected{field_error(name, std::string(name) + " must be between " + json(lo).dump() +
                                            " and " + json(hi).dump())};
  return v;
}

}  // namespace

expected<location_fix_fields, location_line_error> parse_location_fix(std::string_view json_text) {
  json o = json::parse(json_text, nullptr, false);
  if (o.is_discarded() || !o.is_object()) return unexpected{field_error("", "not a JSON object")};
  // A misspelt field ("speed", "recorded") would otherwise be dropped
  // without a word, and the fix taken with the server's time or no speed.
  for (const auto& [key, value] : o.items())
    if (key != "technician_id" && key != "lat" && key != "lon" && key != "recorded_at" &&
        key != "speed_mps")
      return unexpected{
          field_error(key.substr(0, 64), "unknown field \"" + key.substr(0, 64) + "\"")};
  location_fix_fields out;
  if (auto it = o.find("technician_id"); it != o.end() && !it->is_null()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty())
      return unexpected{field_error("technician_id", "technician_id must be a non-empty string")};
    out.technician_id = it->get<std::string>();
  }
  auto lat = number_in(o, "lat", -90, 90);
  if (!lat) return unexpected{lat.error()};
  auto lon = number_in(o, "lon", -180, 180);
  if (!lon) return unexpected{lon.error()};
  out.lat = *lat;
  out.lon = *lon;
  if (auto it = o.find("recorded_at"); it != o.end() && !it->is_null()) {
    std::optional<timestamp> t;
    if (it->is_string()) t = parse_rfc3339(it->get_ref<const std::string&>());
    if (!t)
      return unexpected{
          field_error("recorded_at", "recorded_at must be an RFC 3339 time with an offset")};
    out.recorded_at = *t;
  }
  if (auto it = o.find("speed_mps"); it != o.end() && !it->is_null()) {
    auto speed = number_in(o, "speed_mps", 0, 1000);
    if (!speed) return unexpected{speed.error()};
    out.speed_mps = *speed;
  }
  return out;
}

location_lines parse_location_lines(std::string_view body) {
  location_lines out;
  std::size_t number = 0;
  while (!body.empty()) {
    auto end = body.find('\n');
    auto text = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    ++number;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto reject = [&](std::string field, std::string message) {
      out.rejected.push_back({number, std::move(field), std::move(message)});
    };
    if (text.size() > max_location_line_bytes) {
      reject("", "the line is longer than " + std::to_string(max_location_line_bytes) + " bytes");
      continue;
    }
    auto fix = parse_location_fix(text);
    if (!fix) {
      reject(fix.error().field, fix.error().message);
      continue;
    }
    if (!fix->technician_id) {
      reject("technician_id", "technician_id is required");
      continue;
    }
    if (!fix->recorded_at) {
      reject("recorded_at", "recorded_at is required on the location stream");
      continue;
    }
    out.accepted.push_back({number, std::move(*fix->technician_id), fix->lat, fix->lon,
                            *fix->recorded_at, fix->speed_mps});
  }
  return out;
}

}  // namespace fl::http
