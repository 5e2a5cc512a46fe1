#include "interpret/interpretation_json.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace fl::interpret {

namespace {

using nlohmann::json;

template <class T, class F>
json or_null(const std::optional<T>& v, F&& f) {
  return v ? json(f(*v)) : json(nullptr);
}

std::string hh_mm(domain::local_time_of_day t) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", t.minutes / 60 % 24, t.minutes % 60);
  return buffer;
}

}  // namespace

std::string ai_interpretation_json(const domain::interpreter_result& result) {
  const auto& r = result.reading;
  auto same = [](const auto& v) { return v; };
  json j = {
      {"intent", std::string(to_string(r.intent))},
      {"equipment", r.equipment},
      {"bulk_salt",
       or_null(r.bulk_salt,
               [](const domain::bulk_salt& b) {
                 return json{{"quantity", b.quantity}, {"unit", std::string(to_string(b.unit))}};
               })},
      {"bag_salt", or_null(r.bag_salt, same)},
      {"calcium_chloride", or_null(r.calcium_chloride, same)},
      {"notes", or_null(r.notes, same)},
      {"work_started_at", or_null(r.work_started_at, hh_mm)},
      {"work_finished_at", or_null(r.work_finished_at, hh_mm)},
      {"property_hint", or_null(r.property_hint, same)},
      {"confidence", std::string(to_string(r.confidence))},
      {"interpreter", std::string(to_string(r.interpreter))},
      {"model", or_null(result.model, same)},
      {"fallback_reason", or_null(result.fallback_reason, same)},
      {"attempts", result.attempts},
  };
  // Notes come from crews' texts and may hold anything; never throw on them.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace fl::interpret
