#include "http/location_lines.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

namespace fl::http {

namespace {

using json = nlohmann::json;

location_line_error field_error(std::string field, std::string message) {
  return {0, std::move(field), std::move(message)};
}

// One field of a fix as the line gave it.
struct raw_field {
  enum class kind : std::uint8_t { absent, null, string, number, other } k = kind::absent;
  std::string_view text;  // a string's value (valid while the line or the json lives)
  double number = 0;
};

// The five fields a fix reads; any other member is refused.
struct raw_fix {
  raw_field technician_id, lat, lon, recorded_at, speed_mps;
  raw_field* named(std::string_view key) {
    if (key == "technician_id") return &technician_id;
    if (key == "lat") return &lat;
    if (key == "lon") return &lon;
    if (key == "recorded_at") return &recorded_at;
    if (key == "speed_mps") return &speed_mps;
    return nullptr;
  }
};

// A finite number in [lo, hi], or an error naming `name`.
expected<double, location_line_error> number_in(const raw_field& f, const char* name, double lo,
                                                double hi) {
  using kind = raw_field::kind;
  if (f.k == kind::absent || f.k == kind::null)
    return unexpected{field_error(name, std::string(name) + " is required")};
  if (f.k != kind::number)
    return unexpected{field_error(name, std::string(name) + " must be a number")};
  double v = f.number;
  if (!std::isfinite(v) || v < lo || v > hi)
    return unexpected{field_error(name, std::string(name) + " must be between " + json(lo).dump() +
                                            " and " + json(hi).dump())};
  return v;
}

expected<location_fix_fields, location_line_error> check_fix(const raw_fix& f) {
  using kind = raw_field::kind;
  location_fix_fields out;
  if (f.technician_id.k != kind::absent && f.technician_id.k != kind::null) {
    if (f.technician_id.k != kind::string || f.technician_id.text.empty())
      return unexpected{field_error("technician_id", "technician_id must be a non-empty string")};
    out.technician_id = std::string(f.technician_id.text);
  }
  auto lat = number_in(f.lat, "lat", -90, 90);
  if (!lat) return unexpected{lat.error()};
  auto lon = number_in(f.lon, "lon", -180, 180);
  if (!lon) return unexpected{lon.error()};
  out.lat = *lat;
  out.lon = *lon;
  if (f.recorded_at.k != kind::absent && f.recorded_at.k != kind::null) {
    std::optional<timestamp> t;
    if (f.recorded_at.k == kind::string) t = parse_rfc3339(f.recorded_at.text);
    if (!t)
      return unexpected{
          field_error("recorded_at", "recorded_at must be an RFC 3339 time with an offset")};
    out.recorded_at = *t;
  }
  if (f.speed_mps.k != kind::absent && f.speed_mps.k != kind::null) {
    auto speed = number_in(f.speed_mps, "speed_mps", 0, 1000);
    if (!speed) return unexpected{speed.error()};
    out.speed_mps = *speed;
  }
  return out;
}

// The fields of `o`, a parsed JSON object (the views point into it).
raw_fix fields_of(const json& o) {
  raw_fix out;
  for (const char* key : {"technician_id", "lat", "lon", "recorded_at", "speed_mps"}) {
    auto it = o.find(key);
    if (it == o.end()) continue;
    raw_field& f = *out.named(key);
    if (it->is_null()) {
      f.k = raw_field::kind::null;
    } else if (it->is_string()) {
      f.k = raw_field::kind::string;
      f.text = it->get_ref<const std::string&>();
    } else if (it->is_number()) {
      f.k = raw_field::kind::number;
      f.number = it->get<double>();
    } else {
      f.k = raw_field::kind::other;
    }
  }
  return out;
}

// The quick reading of the usual line: one flat object of the five fields,
// plain strings (ASCII, no escapes), JSON numbers and nulls, each key once.
// Nullopt for anything else, which nlohmann then reads: what this accepts,
// it reads as nlohmann would.
class quick_reader {
 public:
  explicit quick_reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  std::optional<raw_fix> read() {
    raw_fix out;
    skip_space();
    if (!eat('{')) return std::nullopt;
    skip_space();
    if (eat('}')) return finish(out);
    for (;;) {
      skip_space();
      auto key = string();
      if (!key) return std::nullopt;
      raw_field* f = out.named(*key);
      if (!f || f->k != raw_field::kind::absent) return std::nullopt;  // unknown or repeated
      skip_space();
      if (!eat(':')) return std::nullopt;
      skip_space();
      if (!value(*f)) return std::nullopt;
      skip_space();
      if (eat(',')) continue;
      if (eat('}')) return finish(out);
      return std::nullopt;
    }
  }

 private:
  std::optional<raw_fix> finish(const raw_fix& out) {
    skip_space();
    if (p_ != end_) return std::nullopt;
    return out;
  }

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool eat(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  void digits() {
    while (p_ != end_ && digit(*p_)) ++p_;
  }

  // A string without escapes, control characters or bytes beyond ASCII.
  std::optional<std::string_view> string() {
    if (!eat('"')) return std::nullopt;
    const char* from = p_;
    while (p_ != end_ && *p_ != '"') {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '\\' || c < 0x20 || c >= 0x80) return std::nullopt;
      ++p_;
    }
    if (p_ == end_) return std::nullopt;
    std::string_view out(from, static_cast<std::size_t>(p_ - from));
    ++p_;
    return out;
  }

  bool value(raw_field& f) {
    if (p_ == end_) return false;
    if (*p_ == '"') {
      auto s = string();
      if (!s) return false;
      f.k = raw_field::kind::string;
      f.text = *s;
      return true;
    }
    if (end_ - p_ >= 4 && std::string_view(p_, 4) == "null") {
      p_ += 4;
      f.k = raw_field::kind::null;
      return true;
    }
    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    const char* from = p_;
    eat('-');
    if (p_ == end_ || !digit(*p_)) return false;
    if (!eat('0')) digits();
    bool integer = true;
    if (eat('.')) {
      integer = false;
      if (p_ == end_ || !digit(*p_)) return false;
      digits();
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (!eat('+')) eat('-');
      if (p_ == end_ || !digit(*p_)) return false;
      digits();
    }
    const std::string_view text(from, static_cast<std::size_t>(p_ - from));
    // nlohmann keeps an integer as an integer ("-0" is 0, not -0.0) and
    // converts long ones its own way: leave those to it.
    if (integer && (text == "-0" || text.size() > 15)) return false;
    auto [end, ec] = std::from_chars(from, p_, f.number);
    if (ec != std::errc() || end != p_) return false;
    f.k = raw_field::kind::number;
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

expected<location_fix_fields, location_line_error> parse_location_fix(std::string_view json_text) {
  if (auto quick = quick_reader(json_text).read()) return check_fix(*quick);
  json o = json::parse(json_text, nullptr, false);
  if (o.is_discarded() || !o.is_object()) return unexpected{field_error("", "not a JSON object")};
  // A misspelt field ("speed", "recorded") would otherwise be dropped
  // without a word, and the fix taken with the server's time or no speed.
  // (The quick reader leaves every line with another key to this path.)
  for (const auto& [key, value] : o.items())
    if (!raw_fix{}.named(key))
      return unexpected{
          field_error(key.substr(0, 64), "unknown field \"" + key.substr(0, 64) + "\"")};
  return check_fix(fields_of(o));
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
