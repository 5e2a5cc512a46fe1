// A tenant's templates: saved only when their variables are ones the trigger
// fills; seeding adds each missing default once.

#include "domain/template_library.hpp"

#include <catch2/catch.hpp>

using namespace fl;
using namespace fl::domain;

namespace {

struct library {
  template_library_state s;
  template_library_context ctx{[n = 0]() mutable { return "tpl_" + std::to_string(++n); }};

  std::vector<events::event> run(const template_command& cmd) {
    auto decided = decide(s, cmd, ctx);
    if (!decided) FAIL("refused: " << decided.error().message);
    for (const auto& e : *decided) evolve(s, e);
    return *decided;
  }
  template_library_error error_of(const template_command& cmd) {
    auto decided = decide(s, cmd, ctx);
    REQUIRE_FALSE(decided);
    CHECK_FALSE(decided.error().message.empty());
    return decided.error();
  }
};

save_template enroute_template() {
  return {std::nullopt, "enroute", "On the way",
          "Hi {customer_first_name}, {tech_first_name} is {eta_minutes} min out.", true};
}

}  // namespace

TEST_CASE("saving a new template gives it an id and records it", "[templates]") {
  library l;
  auto out = l.run(enroute_template());
  REQUIRE(out.size() == 1);
  const auto& e = std::get<events::sms_template_saved>(out.front());
  CHECK(e.template_id == "tpl_1");
  CHECK(e.trigger == "enroute");
  REQUIRE(l.s.templates.size() == 1);
  CHECK(l.s.templates[0].trigger == sms_trigger::enroute);
  CHECK(template_for(l.s, sms_trigger::enroute) == &l.s.templates[0]);
}

TEST_CASE("a template with an unknown variable is refused, naming the variable", "[templates]") {
  library l;
  auto t = enroute_template();
  t.body = "Hi {customer_first_name}, {oops} is coming.";
  auto e = l.error_of(t);
  CHECK(e.code == template_library_errc::invalid_body);
  CHECK(e.body_fault == template_errc::unknown_variable);
  CHECK(e.variable == "oops");
  CHECK(e.message.find("oops") != std::string::npos);
}

TEST_CASE("a template using a variable its trigger cannot fill is refused", "[templates]") {
  library l;
  auto t = enroute_template();
  t.trigger = "scheduled";  // no ETA before the technician sets out
  auto e = l.error_of(t);
  CHECK(e.body_fault == template_errc::unavailable_variable);
  CHECK(e.variable == "eta_minutes");
  t.trigger.reset();  // kept for manual use: no ETA either
  CHECK(l.error_of(t).variable == "eta_minutes");
}

TEST_CASE("a template needs a name, a known trigger and a body", "[templates]") {
  library l;
  auto t = enroute_template();
  t.name = "  ";
  CHECK(l.error_of(t).code == template_library_errc::blank_name);
  t = enroute_template();
  t.trigger = "fifteen_min";
  CHECK(l.error_of(t).code == template_library_errc::unknown_trigger);
  t = enroute_template();
  t.body = " ";
  CHECK(l.error_of(t).code == template_library_errc::invalid_body);
  t.body = "Hi {customer_first_name";
  CHECK(l.error_of(t).body_fault == template_errc::unclosed_brace);
}

TEST_CASE("editing a template replaces it; the same again records nothing", "[templates]") {
  library l;
  l.run(enroute_template());
  auto edit = enroute_template();
  edit.id = "tpl_1";
  edit.body = "{tech_first_name} is on the way.";
  CHECK(l.run(edit).size() == 1);
  CHECK(l.s.templates[0].body == "{tech_first_name} is on the way.");
  CHECK(l.run(edit).empty());
  edit.id = "tpl_9";
  CHECK(l.error_of(edit).code == template_library_errc::not_found);
  edit.id = "tpl 9";
  CHECK(l.error_of(edit).code == template_library_errc::invalid_id);
}

TEST_CASE("disabling a template takes it out of use; enabling brings it back", "[templates]") {
  library l;
  l.run(enroute_template());
  CHECK(l.run(set_template_enabled{"tpl_1", false}).size() == 1);
  CHECK(template_for(l.s, sms_trigger::enroute) == nullptr);
  CHECK(l.run(set_template_enabled{"tpl_1", false}).empty());
  l.run(set_template_enabled{"tpl_1", true});
  CHECK(template_for(l.s, sms_trigger::enroute) != nullptr);
  CHECK(l.error_of(set_template_enabled{"tpl_9", true}).code == template_library_errc::not_found);
}

TEST_CASE("the first enabled template of a trigger is the one used", "[templates]") {
  library l;
  l.run(enroute_template());
  l.run(enroute_template());
  CHECK(template_for(l.s, sms_trigger::enroute)->id == "tpl_1");
  l.run(set_template_enabled{"tpl_1", false});
  CHECK(template_for(l.s, sms_trigger::enroute)->id == "tpl_2");
}

TEST_CASE("deleting a template removes it; deleting it again is not found", "[templates]") {
  library l;
  l.run(enroute_template());
  CHECK(l.run(delete_template{"tpl_1"}).size() == 1);
  CHECK(l.s.templates.empty());
  CHECK(l.error_of(delete_template{"tpl_1"}).code == template_library_errc::not_found);
}

TEST_CASE("seeding adds the six defaults once", "[templates]") {
  library l;
  auto out = l.run(seed_default_templates{});
  CHECK(out.size() == 6);
  for (auto t : {sms_trigger::scheduled, sms_trigger::reminder, sms_trigger::enroute,
                 sms_trigger::fifteen_min, sms_trigger::arrived, sms_trigger::complete})
    CHECK(template_for(l.s, t) != nullptr);
  CHECK(l.run(seed_default_templates{}).empty());
}

TEST_CASE("seeding adds only the defaults whose trigger has no template, even a disabled one",
          "[templates]") {
  library l;
  l.run(enroute_template());
  l.run(set_template_enabled{"tpl_1", false});
  auto out = l.run(seed_default_templates{});
  CHECK(out.size() == 5);
  CHECK(template_for(l.s, sms_trigger::enroute) == nullptr);
  l.run(delete_template{"tpl_1"});
  CHECK(l.run(seed_default_templates{}).size() == 1);
}
