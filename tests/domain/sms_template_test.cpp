#include "domain/sms_template.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

using namespace fl::domain;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out.append(s);
  return out;
}

template_errc error_of(std::string_view body) {
  auto parsed = parse_template(body);
  REQUIRE_FALSE(parsed);
  return parsed.error().code;
}

std::set<std::string> variables_of(std::string_view body) {
  auto parsed = parse_template(body);
  REQUIRE(parsed);
  return {parsed->variables.begin(), parsed->variables.end()};
}

}  // namespace

TEST_CASE("trigger names round-trip, 15_min included, and nothing else parses", "[sms_template]") {
  for (auto t : all_sms_triggers) CHECK(parse_sms_trigger(to_string(t)) == t);
  CHECK(to_string(sms_trigger::fifteen_min) == "15_min");
  CHECK(parse_sms_trigger("15_min") == sms_trigger::fifteen_min);
  CHECK_FALSE(parse_sms_trigger("fifteen_min"));
  CHECK_FALSE(parse_sms_trigger("Reminder"));
  CHECK_FALSE(parse_sms_trigger(""));
  CHECK_FALSE(parse_sms_trigger("reminder "));
}

TEST_CASE("only manual texts and replies are not automated", "[sms_template]") {
  CHECK_FALSE(is_automated(sms_trigger::manual));
  CHECK_FALSE(is_automated(sms_trigger::reply));
  for (auto t : {sms_trigger::scheduled, sms_trigger::reminder, sms_trigger::enroute,
                 sms_trigger::fifteen_min, sms_trigger::arrived, sms_trigger::complete})
    CHECK(is_automated(t));
}

TEST_CASE("the known variables are exactly the seed's seven", "[sms_template]") {
  std::set<std::string_view> known(known_template_variables().begin(),
                                   known_template_variables().end());
  CHECK(known == std::set<std::string_view>{"customer_first_name", "company_name", "scheduled_date",
                                            "scheduled_time", "tech_first_name", "eta_minutes",
                                            "invoice_link"});
  CHECK(is_known_template_variable("eta_minutes"));
  CHECK_FALSE(is_known_template_variable("ETA_MINUTES"));
  CHECK_FALSE(is_known_template_variable(""));
}

TEST_CASE("a template splits into literal text and its variables", "[sms_template]") {
  auto parsed = parse_template("Hi {customer_first_name}, {tech_first_name} is here.");
  REQUIRE(parsed);
  REQUIRE(parsed->parts.size() == 5);
  CHECK_FALSE(parsed->parts[0].is_variable);
  CHECK(parsed->parts[0].text == "Hi ");
  CHECK(parsed->parts[1].is_variable);
  CHECK(parsed->parts[1].text == "customer_first_name");
  CHECK(parsed->parts[4].text == " is here.");
  CHECK(parsed->variables == std::vector<std::string>{"customer_first_name", "tech_first_name"});
}

TEST_CASE("a variable used twice is listed once, and adjacent placeholders work",
          "[sms_template]") {
  auto parsed = parse_template("{company_name}{company_name} {company_name}");
  REQUIRE(parsed);
  CHECK(parsed->variables == std::vector<std::string>{"company_name"});
  CHECK(render(*parsed, {{"company_name", "A"}}).value() == "AA A");
}

TEST_CASE("spaces inside a placeholder are allowed around the name", "[sms_template]") {
  CHECK(render_template("ETA { eta_minutes } min", {{"eta_minutes", "7"}}).value() == "ETA 7 min");
}

TEST_CASE("a template without placeholders is plain text", "[sms_template]") {
  CHECK(render_template("We're closed Monday.", {}).value() == "We're closed Monday.");
}

TEST_CASE("an unknown variable is refused when saved, naming it", "[sms_template]") {
  auto parsed = parse_template("Hi {customer_first_name}, ref {oops}.");
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == template_errc::unknown_variable);
  CHECK(parsed.error().variable == "oops");
  CHECK(parsed.error().offset == 30);
  CHECK(parsed.error().message.find("{oops}") != std::string::npos);
  CHECK(parsed.error().message.find("customer_first_name") != std::string::npos);  // the known ones
}

TEST_CASE("variable names are case-sensitive", "[sms_template]") {
  CHECK(error_of("Hi {Customer_First_Name}") == template_errc::unknown_variable);
}

TEST_CASE("a lone or unclosed brace is refused", "[sms_template]") {
  CHECK(error_of("{") == template_errc::unclosed_brace);
  CHECK(error_of("Hi {customer_first_name") == template_errc::unclosed_brace);
  CHECK(error_of("Price: 5 } off") == template_errc::stray_closing_brace);
  CHECK(error_of("}{company_name}") == template_errc::stray_closing_brace);
  CHECK(error_of("{company_name}}") == template_errc::stray_closing_brace);
  auto unclosed = parse_template("ok {company_name} then {");
  REQUIRE_FALSE(unclosed);
  CHECK(unclosed.error().offset == 23);
}

TEST_CASE("an empty placeholder is refused", "[sms_template]") {
  CHECK(error_of("Hi {}") == template_errc::empty_placeholder);
  CHECK(error_of("Hi {   }") == template_errc::empty_placeholder);
}

TEST_CASE("doubled braces are no escape: {{x}} is refused, not sent as {x}", "[sms_template]") {
  CHECK(error_of("{{x}}") == template_errc::unclosed_brace);
  CHECK(error_of("{{customer_first_name}}") == template_errc::unclosed_brace);
  CHECK(error_of("Hi {customer_{first}_name}") == template_errc::unclosed_brace);
}

TEST_CASE("a huge unknown name is named, but clipped", "[sms_template]") {
  auto parsed = parse_template("{" + repeat("x", 1'500) + "}");
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == template_errc::unknown_variable);
  CHECK(parsed.error().variable.size() < 50);
  CHECK(parsed.error().message.size() < 400);
}

TEST_CASE("clipping a non-ASCII unknown name never cuts a character in half", "[sms_template]") {
  auto parsed = parse_template("{" + repeat("é", 100) + "}");
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().variable == repeat("é", 20) + "...");
}

TEST_CASE("a blank template is refused", "[sms_template]") {
  CHECK(error_of("") == template_errc::empty_body);
  CHECK(error_of(" \t\r\n ") == template_errc::empty_body);
}

TEST_CASE("a template over 1600 characters is refused; 1600 of them are fine, emoji too",
          "[sms_template]") {
  CHECK(parse_template(repeat("a", 1600)));
  CHECK(error_of(repeat("a", 1601)) == template_errc::too_long);
  CHECK(parse_template(repeat("🔧", 1600)));  // 1600 code points, 6400 bytes
  CHECK(error_of(repeat("🔧", 1601)) == template_errc::too_long);
  CHECK(error_of(repeat("{company_name}", 1'000'000 / 14)) == template_errc::too_long);
}

TEST_CASE("a template of many placeholders within the limit renders them all", "[sms_template]") {
  auto body = repeat("{eta_minutes}", 123);  // 1599 characters
  auto text = render_template(body, {{"eta_minutes", "9"}});
  REQUIRE(text);
  CHECK(*text == repeat("9", 123));
}

TEST_CASE("a template that is not UTF-8 is refused at the bad byte", "[sms_template]") {
  auto parsed = parse_template(std::string("Hi \xC3(") + " there");
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == template_errc::invalid_utf8);
  CHECK(parsed.error().offset == 3);
  CHECK(error_of("\xFF") == template_errc::invalid_utf8);
}

TEST_CASE("the offset of a fault after non-ASCII text is a byte offset", "[sms_template]") {
  auto parsed = parse_template("Olá {oops}");
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().offset == 5);
}

TEST_CASE("rendering fills every placeholder with its value verbatim", "[sms_template]") {
  auto text = render_template("Hi {customer_first_name}, {tech_first_name} is on the way.",
                              {{"customer_first_name", "Zoë"}, {"tech_first_name", "Ana"}});
  REQUIRE(text);
  CHECK(*text == "Hi Zoë, Ana is on the way.");
}

TEST_CASE("a value is never expanded a second time", "[sms_template]") {
  auto text = render_template("Hi {customer_first_name}",
                              {{"customer_first_name", "{company_name}"}, {"company_name", "X"}});
  CHECK(text.value() == "Hi {company_name}");
}

TEST_CASE("a placeholder without a value is an error naming it, never sent half-filled",
          "[sms_template]") {
  auto text = render_template("Hi {customer_first_name}, ETA {eta_minutes} min",
                              {{"customer_first_name", "Jane"}});
  REQUIRE_FALSE(text);
  CHECK(text.error().code == template_errc::missing_value);
  CHECK(text.error().variable == "eta_minutes");
  CHECK(text.error().message.find("{eta_minutes}") != std::string::npos);
}

TEST_CASE("an empty value renders as nothing and unused values are ignored", "[sms_template]") {
  auto text = render_template("Invoice: {invoice_link}.",
                              {{"invoice_link", ""}, {"tech_first_name", "unused"}, {"x", "y"}});
  CHECK(text.value() == "Invoice: .");
}

TEST_CASE("rendering an unparsable template reports the parse error", "[sms_template]") {
  auto text = render_template("Hi {oops}", sample_template_variables());
  REQUIRE_FALSE(text);
  CHECK(text.error().code == template_errc::unknown_variable);
}

TEST_CASE("eta_minutes is only for en-route and 15-minute texts", "[sms_template]") {
  auto parsed = parse_template("See you {scheduled_date}, ETA {eta_minutes} min");
  REQUIRE(parsed);
  CHECK(check_variables_for(*parsed, sms_trigger::enroute));
  CHECK(check_variables_for(*parsed, sms_trigger::fifteen_min));
  for (auto t : {sms_trigger::scheduled, sms_trigger::reminder, sms_trigger::arrived,
                 sms_trigger::complete, sms_trigger::manual, sms_trigger::reply}) {
    auto checked = check_variables_for(*parsed, t);
    REQUIRE_FALSE(checked);
    CHECK(checked.error().code == template_errc::unavailable_variable);
    CHECK(checked.error().variable == "eta_minutes");
  }
  CHECK_FALSE(trigger_supplies(sms_trigger::enroute, "oops"));
}

TEST_CASE("every known variable has a sample value", "[sms_template]") {
  const auto& samples = sample_template_variables();
  for (auto name : known_template_variables()) {
    INFO(name);
    REQUIRE(samples.count(name) == 1);
    CHECK_FALSE(samples.find(name)->second.empty());
  }
}

TEST_CASE("a preview renders with sample values and counts the segments", "[sms_template]") {
  auto p =
      preview_template("Hi {customer_first_name}, see you {scheduled_date} at {scheduled_time}");
  REQUIRE(p);
  CHECK(p->text == "Hi Jane, see you Tue, Nov 24 at 2:30 PM");
  CHECK(p->segments.encoding == sms_encoding::gsm7);
  CHECK(p->segments.units == p->text.size());
  CHECK(p->segments.segments == 1);
}

TEST_CASE("a preview prefers given values over the samples", "[sms_template]") {
  auto p =
      preview_template("{customer_first_name} of {company_name}", {{"customer_first_name", "Bob"}});
  CHECK(p.value().text == "Bob of Acme Plumbing");
}

TEST_CASE("a preview with an emoji is UCS-2 and counts 70-character parts", "[sms_template]") {
  auto p = preview_template("Hi {customer_first_name} 👋");
  REQUIRE(p);
  CHECK(p->segments.encoding == sms_encoding::ucs2);
  CHECK(p->segments.segments == 1);
  auto long_one = preview_template(repeat("é", 10) + "✅ {company_name}" + repeat("x", 60));
  REQUIRE(long_one);
  CHECK(long_one->segments.encoding == sms_encoding::ucs2);
  CHECK(long_one->segments.segments == 2);
  auto given = preview_template("Hi {customer_first_name}", {{"customer_first_name", "李"}});
  CHECK(given.value().segments.encoding == sms_encoding::ucs2);
}

TEST_CASE("a preview of a long GSM-7 text counts concatenated parts", "[sms_template]") {
  auto p = preview_template(repeat("a", 200) + " {company_name}");
  REQUIRE(p);
  CHECK(p->segments.encoding == sms_encoding::gsm7);
  CHECK(p->segments.segments == 2);
}

TEST_CASE("a preview of a bad template is the template's error", "[sms_template]") {
  auto p = preview_template("Hi {oops}", {{"oops", "x"}});
  REQUIRE_FALSE(p);
  CHECK(p.error().variable == "oops");
}

TEST_CASE("there are six default templates, one per automated trigger, with the seed's names",
          "[sms_template]") {
  auto defaults = default_templates();
  REQUIRE(defaults.size() == 6);
  CHECK(defaults[0].trigger == sms_trigger::scheduled);
  CHECK(defaults[0].name == "Job Scheduled");
  CHECK(defaults[1].trigger == sms_trigger::reminder);
  CHECK(defaults[1].name == "Appointment Reminder");
  CHECK(defaults[2].trigger == sms_trigger::enroute);
  CHECK(defaults[2].name == "Technician En Route");
  CHECK(defaults[3].trigger == sms_trigger::fifteen_min);
  CHECK(defaults[3].name == "15 Minute ETA");
  CHECK(defaults[4].trigger == sms_trigger::arrived);
  CHECK(defaults[4].name == "Technician Arrived");
  CHECK(defaults[5].trigger == sms_trigger::complete);
  CHECK(defaults[5].name == "Job Complete");
}

TEST_CASE("each default template uses exactly the seed's variables for its trigger",
          "[sms_template]") {
  using names = std::set<std::string>;
  auto d = default_templates();
  CHECK(variables_of(d[0].body) ==
        names{"customer_first_name", "company_name", "scheduled_date", "scheduled_time"});
  CHECK(variables_of(d[1].body) == names{"customer_first_name", "scheduled_time", "company_name"});
  CHECK(variables_of(d[2].body) == names{"customer_first_name", "tech_first_name", "eta_minutes"});
  CHECK(variables_of(d[3].body) == names{"customer_first_name", "tech_first_name"});
  CHECK(variables_of(d[4].body) == names{"customer_first_name", "tech_first_name"});
  CHECK(variables_of(d[5].body) == names{"customer_first_name", "company_name", "invoice_link"});
}

TEST_CASE("each default template suits its trigger and previews as one GSM-7 segment",
          "[sms_template]") {
  for (const auto& d : default_templates()) {
    INFO(d.name);
    auto parsed = parse_template(d.body);
    REQUIRE(parsed);
    CHECK(check_variables_for(*parsed, d.trigger));
    auto p = preview_template(d.body);
    REQUIRE(p);
    CHECK(p->segments.encoding == sms_encoding::gsm7);
    CHECK(p->segments.segments == 1);
    CHECK(p->text.find('{') == std::string::npos);
  }
}

TEST_CASE("seeding the default templates twice adds nothing the second time", "[sms_template]") {
  CHECK(default_templates_missing({}).size() == 6);
  std::vector<sms_trigger> seeded;
  for (const auto& d : default_templates_missing({})) seeded.push_back(d.trigger);
  CHECK(default_templates_missing(seeded).empty());
  std::vector<sms_trigger> some{sms_trigger::reminder, sms_trigger::manual};
  auto missing = default_templates_missing(some);
  REQUIRE(missing.size() == 5);
  CHECK(std::none_of(missing.begin(), missing.end(),
                     [](const default_template& d) { return d.trigger == sms_trigger::reminder; }));
}
