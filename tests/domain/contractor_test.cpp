// A contractor: registered and edited with a checked name and phone, its
// notification preferences, and the assignment texts its quiet hours hold.

#include "domain/contractor.hpp"

#include <catch2/catch.hpp>

#include "tests/domain/time_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using fl::time_test::at;

namespace {

std::vector<events::event> run(contractor_state& s, const contractor_command& cmd,
                               const contractor_context& ctx = {}) {
  auto decided = decide(s, cmd, ctx);
  if (!decided) FAIL("refused: " << decided.error().message);
  for (const auto& e : *decided) evolve(s, e);
  return *decided;
}

directory_error error_of(const contractor_state& s, const contractor_command& cmd,
                         const contractor_context& ctx = {}) {
  auto decided = decide(s, cmd, ctx);
  REQUIRE_FALSE(decided);
  CHECK_FALSE(decided.error().message.empty());
  return decided.error();
}

contractor_state registered() {
  contractor_state s;
  run(s, register_contractor{"con_1", {"Mike Plow", "(312) 555-0147", true}});
  return s;
}

}  // namespace

TEST_CASE("registering a contractor records the trimmed name and the phone in E.164",
          "[contractor]") {
  contractor_state s;
  auto out = run(s, register_contractor{"con_1", {"  Mike Plow ", "312.555.0147", false}});
  REQUIRE(out.size() == 1);
  CHECK(std::get<events::contractor_registered>(out.front()) ==
        events::contractor_registered{"con_1", "Mike Plow", "+13125550147", false});
  CHECK(s.registered());
  CHECK(s.version == 1);
  CHECK(s.preferences == contractor_preferences{});
  CHECK(s.preferences.notify_on_assignment);
}

TEST_CASE("registering a contractor again with the same details records nothing", "[contractor]") {
  auto s = registered();
  CHECK(run(s, register_contractor{"con_1", {"Mike Plow", "+13125550147", true}}).empty());
  auto e = error_of(s, register_contractor{"con_1", {"Other", "+13125550147", true}});
  CHECK(e.code == directory_errc::already_registered);
}

TEST_CASE("a contractor's name, phone and id are checked, each error naming its field",
          "[contractor]") {
  contractor_state s;
  CHECK(error_of(s, register_contractor{"con 1", {"Mike", "+13125550147", true}}).field == "id");
  auto blank = error_of(s, register_contractor{"con_1", {"  ", "+13125550147", true}});
  CHECK(blank.code == directory_errc::blank_name);
  CHECK(blank.field == "name");
  auto phone = error_of(s, register_contractor{"con_1", {"Mike", "call me", true}});
  CHECK(phone.code == directory_errc::invalid_phone);
  CHECK(phone.field == "phone");
  auto control = error_of(s, register_contractor{"con_1", {"Mi\x01ke", "+13125550147", true}});
  CHECK(control.field == "name");
}

TEST_CASE("a phone taken by someone else refuses registration and a phone change", "[contractor]") {
  contractor_state fresh;
  contractor_context taken{"US", true};
  auto e = error_of(fresh, register_contractor{"con_1", {"Mike", "+13125550147", true}}, taken);
  CHECK(e.code == directory_errc::phone_taken);
  CHECK(e.field == "phone");
  auto s = registered();
  CHECK(error_of(s, update_contractor{{"Mike", "+13125550148", true}}, taken).code ==
        directory_errc::phone_taken);
  // Its own phone kept: not a conflict, whatever the lookup says.
  auto out = run(s, update_contractor{{"Michael", "+13125550147", true}}, taken);
  CHECK(std::get<events::contractor_updated>(out.front()).name == "Michael");
}

TEST_CASE("updating a contractor never registered is not_registered", "[contractor]") {
  contractor_state s;
  CHECK(error_of(s, update_contractor{{"Mike", "+13125550147", true}}).code ==
        directory_errc::not_registered);
  CHECK(error_of(s, set_contractor_preferences{}).code == directory_errc::not_registered);
}

TEST_CASE("preferences with quiet hours are recorded as HH:MM and read back", "[contractor]") {
  auto s = registered();
  auto out = run(s, set_contractor_preferences{false, true, false, "22:00", "06:00"});
  REQUIRE(out.size() == 1);
  CHECK(std::get<events::contractor_preferences_set>(out.front()) ==
        events::contractor_preferences_set{false, true, false, "22:00", "06:00"});
  CHECK_FALSE(s.preferences.notify_on_assignment);
  REQUIRE(s.preferences.quiet());
  CHECK(to_string(s.preferences.quiet()->start) == "22:00");
  CHECK(run(s, set_contractor_preferences{false, true, false, "22:00", "06:00"}).empty());
}

TEST_CASE("quiet hours must be HH:MM, both or neither, and not the same minute", "[contractor]") {
  auto s = registered();
  auto bad = error_of(s, set_contractor_preferences{true, true, true, "9pm", "06:00"});
  CHECK(bad.code == directory_errc::invalid_time);
  CHECK(bad.field == "quiet_hours_start");
  CHECK(error_of(s, set_contractor_preferences{true, true, true, "22:00", std::nullopt}).field ==
        "quiet_hours_end");
  CHECK(error_of(s, set_contractor_preferences{true, true, true, std::nullopt, "06:00"}).field ==
        "quiet_hours_start");
  CHECK(error_of(s, set_contractor_preferences{true, true, true, "22:00", "22:00"}).code ==
        directory_errc::invalid_time);
}

TEST_CASE("a held assignment text stays held until released, once", "[contractor]") {
  auto s = registered();
  held_assignment_text h{"assign:p1:con_1:1", "p1", "New Assignment!",
                         at("2026-12-07T06:00:00-06:00")};
  CHECK(run(s, hold_assignment_text{h}).size() == 1);
  CHECK(run(s, hold_assignment_text{h}).empty());
  REQUIRE(s.held.size() == 1);
  CHECK(s.held.front() == h);
  CHECK(run(s, release_assignment_text{h.external_id, "msg_1"}).size() == 1);
  CHECK(s.held.empty());
  CHECK(run(s, release_assignment_text{h.external_id, "msg_1"}).empty());
}
