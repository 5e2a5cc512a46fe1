#include "http/query_params.hpp"

#include <algorithm>
#include <charconv>

namespace fl::http {

answer invalid_parameter(std::string_view name, std::string_view message) {
  return error_answer(400, "invalid_parameter", std::string(name) + ": " + std::string(message));
}

expected<query_params, std::string> query_params::decode(std::string_view query) {
  auto fields = twilio::parse_form(query);
  if (!fields) return unexpected{fields.error().message};
  query_params p;
  p.fields_ = std::move(*fields);
  return p;
}

expected<query_params, answer> query_params::parse(std::string_view query,
                                                   std::initializer_list<std::string_view> known) {
  auto decoded = decode(query);
  if (!decoded)
    return unexpected{error_answer(400, "invalid_parameter",
                                   "the query string is malformed: " + decoded.error())};
  const auto& fields = decoded->fields_;
  for (const auto& [name, value] : fields) {
    if (name == "min_position") continue;
    if (std::find(known.begin(), known.end(), name) == known.end())
      return unexpected{
          error_answer(400, "unknown_parameter", "unknown query parameter \"" + name + "\"")};
    std::size_t seen =
        std::count_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == name; });
    if (seen > 1) return unexpected{invalid_parameter(name, "given more than once")};
  }
  return std::move(*decoded);
}

std::optional<std::string> query_params::text(std::string_view name) const {
  auto v = twilio::first(fields_, name);
  if (!v) return std::nullopt;
  return std::string(*v);
}

expected<std::optional<std::uint64_t>, answer> query_params::number(std::string_view name,
                                                                    std::uint64_t min,
                                                                    std::uint64_t max) const {
  auto v = twilio::first(fields_, name);
  if (!v) return std::optional<std::uint64_t>{};
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || ec != std::errc{} || end != v->data() + v->size() || n < min || n > max)
    return unexpected{invalid_parameter(
        name, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max))};
  return std::optional<std::uint64_t>{n};
}

expected<std::optional<fl::timestamp>, answer> query_params::time(std::string_view name) const {
  auto v = twilio::first(fields_, name);
  if (!v) return std::optional<fl::timestamp>{};
  std::string text(*v);
  std::replace(text.begin(), text.end(), ' ', '+');
  auto t = parse_rfc3339(text);
  if (!t)
    return unexpected{
        invalid_parameter(name, "must be an RFC 3339 time, e.g. 2026-11-23T18:00:00-05:00")};
  return std::optional<fl::timestamp>{*t};
}

expected<std::pair<std::size_t, std::optional<std::string>>, answer> query_params::page() const {
  auto limit = number("limit", 1, 500);
  if (!limit) return unexpected{limit.error()};
  auto cursor = text("cursor");
  if (cursor && cursor->empty()) return unexpected{invalid_parameter("cursor", "is empty")};
  return std::pair{static_cast<std::size_t>(limit->value_or(50)), cursor};
}

}  // namespace fl::http
