// The rules interpreter against a corpus of crew texts with the reading a
// person would give each one (tests/domain/interpretation_corpus.json).
// docs/interpretation.md reports the accuracy measured here and lists the
// texts it still gets wrong; this test keeps both statements true.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "domain/rules_interpreter.hpp"

using namespace fl::domain;

namespace {

// The accuracy docs/interpretation.md reports (427 of 430 at the time of
// writing); the corpus test fails below it.
constexpr double reported_accuracy = 0.99;

nlohmann::json load_corpus() {
  auto path = std::filesystem::path(__FILE__).parent_path() / "interpretation_corpus.json";
  std::ifstream in(path);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

local_time_of_day clock_of(const std::string& hh_mm) {
  REQUIRE(hh_mm.size() == 5);
  return local_time_of_day{std::stoi(hh_mm.substr(0, 2)) * 60 + std::stoi(hh_mm.substr(3, 2))};
}

interpretation expected_of(const nlohmann::json& row) {
  interpretation e;
  auto intent = parse_ticket_intent(row.at("intent").get<std::string>());
  REQUIRE(intent);
  e.intent = *intent;
  if (row.contains("equipment")) e.equipment = row["equipment"].get<std::vector<std::string>>();
  if (row.contains("bulk_salt")) {
    auto unit = parse_salt_unit(row["bulk_salt"].at("unit").get<std::string>());
    REQUIRE(unit);
    e.bulk_salt = bulk_salt{row["bulk_salt"].at("quantity").get<double>(), *unit};
  }
  if (row.contains("bag_salt")) e.bag_salt = row["bag_salt"].get<double>();
  if (row.contains("calcium_chloride")) e.calcium_chloride = row["calcium_chloride"].get<double>();
  if (row.contains("notes")) e.notes = row["notes"].get<std::string>();
  if (row.contains("work_started_at"))
    e.work_started_at = clock_of(row["work_started_at"].get<std::string>());
  if (row.contains("work_finished_at"))
    e.work_finished_at = clock_of(row["work_finished_at"].get<std::string>());
  if (row.contains("property_hint")) e.property_hint = row["property_hint"].get<std::string>();
  auto confidence = parse_interpretation_confidence(row.at("confidence").get<std::string>());
  REQUIRE(confidence);
  e.confidence = *confidence;
  e.interpreter = interpreter_kind::rules;
  return e;
}

std::string describe(const interpretation& r) {
  std::ostringstream o;
  o << to_string(r.intent) << " [";
  for (const auto& e : r.equipment) o << e << ";";
  o << "]";
  if (r.bulk_salt) o << " bulk=" << r.bulk_salt->quantity << " " << to_string(r.bulk_salt->unit);
  if (r.bag_salt) o << " bags=" << *r.bag_salt;
  if (r.calcium_chloride) o << " calcium=" << *r.calcium_chloride;
  if (r.notes) o << " notes=\"" << *r.notes << "\"";
  if (r.work_started_at) o << " started=" << r.work_started_at->minutes;
  if (r.work_finished_at) o << " finished=" << r.work_finished_at->minutes;
  if (r.property_hint) o << " hint=\"" << *r.property_hint << "\"";
  o << " " << to_string(r.confidence);
  return o.str();
}

}  // namespace

TEST_CASE(
    "the rules interpreter reads the crew corpus at the reported accuracy, failing only where the "
    "docs say",
    "[interpretation]") {
  auto corpus = load_corpus();
  REQUIRE(corpus.is_array());
  CHECK(corpus.size() >= 150);

  std::set<std::string> texts;
  std::set<std::string> failing;
  std::set<std::string> known_failures;
  std::size_t right = 0;
  std::size_t held_out = 0;
  std::size_t held_out_right = 0;
  for (const auto& row : corpus) {
    auto text = row.at("text").get<std::string>();
    CHECK(texts.insert(text).second);  // each text once
    if (row.contains("known_failure")) known_failures.insert(text);
    auto expected = expected_of(row);
    auto actual = interpret_with_rules(text);
    bool ok = actual == expected;
    if (ok) {
      ++right;
    } else {
      failing.insert(text);
      UNSCOPED_INFO("\"" << text << "\"\n  expected " << describe(expected) << "\n  read     "
                         << describe(actual));
    }
    if (row.value("held_out", false)) {
      ++held_out;
      if (ok) ++held_out_right;
    }
  }
  double accuracy = static_cast<double>(right) / static_cast<double>(corpus.size());
  UNSCOPED_INFO("fully right: " << right << " of " << corpus.size()
                                << " (held out: " << held_out_right << " of " << held_out << ")");
  CHECK(accuracy >= reported_accuracy);
  // The failures docs/interpretation.md lists are exactly the ones there are.
  CHECK(failing == known_failures);
}
