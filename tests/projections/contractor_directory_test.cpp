// The contractor side of the directory projection: contractors with their
// preferences and properties, properties with their contractors, and the
// lookups the ticket session reads (by phone, properties of a contractor).

#include <catch2/catch.hpp>

#include "domain/dispatch_streams.hpp"
#include "projections/directory_reads.hpp"
#include "tests/projections/log_builder.hpp"
#include "tests/projections/read_side_fixture.hpp"

using namespace fl;
using projections::directory_reads;
using projections::page_request;

namespace {

const std::string t1 = "tn_a", t2 = "tn_b";
const std::string mike = "+13125550147", dana = "+13125550148";

struct contractor_side {
  testing::read_side side;
  testing::log_builder log{side.store()};
  directory_reads reads{side.db()};

  contractor_side() {
    log.tenant(t1, "America/Chicago");
    log.tenant(t2, "UTC");
  }
  void contractor(const std::string& id, const std::string& phone, const std::string& t = t1) {
    log.append(t, domain::contractor_stream(t, id),
               events::contractor_registered{id, "Crew " + id, phone, true});
  }
  void contractor_event(const std::string& id, events::event e) {
    log.append(t1, domain::contractor_stream(t1, id), std::move(e));
  }
  void property(const std::string& id, const std::string& name, const std::string& address) {
    log.append(t1, domain::property_stream(t1, id), events::property_registered{id, name, address});
  }
  void assign(const std::string& property, const std::string& contractor) {
    log.append(t1, domain::property_stream(t1, property),
               events::contractor_assigned{property, contractor});
  }
  void unassign(const std::string& property, const std::string& contractor) {
    log.append(t1, domain::property_stream(t1, property),
               events::contractor_unassigned{property, contractor});
  }
  projections::contractor_record contractor_record(const std::string& id) {
    side.catch_up();
    auto c = reads.contractor(t1, id);
    REQUIRE(c);
    REQUIRE(*c);
    return **c;
  }
};

}  // namespace

TEST_CASE("a registered contractor reads back with the default preferences", "[directory]") {
  contractor_side d;
  d.contractor("con_1", mike);
  auto c = d.contractor_record("con_1");
  CHECK(c.name == "Crew con_1");
  CHECK(c.phone == mike);
  CHECK(c.sms_notifications_enabled);
  CHECK(c.notify_on_assignment);
  CHECK_FALSE(c.quiet_hours_start);
  CHECK(c.property_ids.empty());
  auto missing = d.reads.contractor(t1, "nobody");
  REQUIRE(missing);
  CHECK_FALSE(*missing);
  auto bad = d.reads.contractor(t1, "a:b");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().parameter == "id");
}

TEST_CASE("a contractor's preferences and edits replace what the record showed", "[directory]") {
  contractor_side d;
  d.contractor("con_1", mike);
  d.contractor_event("con_1",
                     events::contractor_preferences_set{false, true, false, "22:00", "06:00"});
  d.contractor_event("con_1", events::contractor_updated{"Mike Plow", dana, false});
  auto c = d.contractor_record("con_1");
  CHECK(c.name == "Mike Plow");
  CHECK_FALSE(c.sms_notifications_enabled);
  CHECK_FALSE(c.notify_on_assignment);
  CHECK(c.notify_on_route_assignment);
  CHECK(c.quiet_hours_start == "22:00");
  CHECK(c.quiet_hours_end == "06:00");
}

TEST_CASE("contractor_by_phone finds the contractor with that phone, in its tenant only",
          "[directory]") {
  contractor_side d;
  d.contractor("con_1", mike);
  d.contractor("con_2", dana, t2);
  d.side.catch_up();
  auto found = d.reads.contractor_by_phone(t1, mike);
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->id == "con_1");
  auto other = d.reads.contractor_by_phone(t1, dana);
  REQUIRE(other);
  CHECK_FALSE(*other);
  CHECK_FALSE(d.reads.contractor_by_phone(t1, "312 555 0147"));
}

TEST_CASE("a contractor's new phone moves the phone lookup with it", "[directory]") {
  contractor_side d;
  d.contractor("con_1", mike);
  d.contractor_event("con_1", events::contractor_updated{"Mike", dana, true});
  d.side.catch_up();
  CHECK_FALSE(*d.reads.contractor_by_phone(t1, mike));
  auto moved = d.reads.contractor_by_phone(t1, dana);
  REQUIRE(moved);
  REQUIRE(*moved);
  CHECK((*moved)->id == "con_1");
}

TEST_CASE("assignments show on the property and the contractor, in assignment order, once",
          "[directory]") {
  contractor_side d;
  d.contractor("con_1", mike);
  d.contractor("con_2", dana);
  d.property("p_walmart", "Walmart", "123 Main St");
  d.property("p_target", "Target", "456 Oak Ave");
  d.property("p_depot", "Home Depot", "789 Pine Rd");
  d.assign("p_walmart", "con_1");
  d.assign("p_target", "con_1");
  d.assign("p_depot", "con_1");
  d.assign("p_target", "con_2");
  d.assign("p_target", "con_2");
  CHECK(d.contractor_record("con_1").property_ids ==
        std::vector<std::string>{"p_walmart", "p_target", "p_depot"});
  auto target = d.reads.property(t1, "p_target");
  REQUIRE(target);
  CHECK(target->contractor_ids == std::vector<std::string>{"con_1", "con_2"});
  auto of = d.reads.properties_of(t1, "con_1");
  REQUIRE(of);
  REQUIRE(of->size() == 3);
  CHECK((*of)[0].name == "Walmart");
  CHECK((*of)[1].address == "456 Oak Ave");
  CHECK((*of)[2].id == "p_depot");
  auto none = d.reads.properties_of(t1, "nobody");
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("a contractor taken off a property leaves both records and START's list", "[directory]") {
  contractor_side d;
  d.contractor("con_1", mike);
  d.contractor("con_2", dana);
  d.property("p_walmart", "Walmart", "123 Main St");
  d.property("p_target", "Target", "456 Oak Ave");
  d.assign("p_walmart", "con_1");
  d.assign("p_target", "con_1");
  d.assign("p_target", "con_2");
  d.unassign("p_walmart", "con_1");
  d.unassign("p_target", "con_9");  // never assigned: nothing to take off
  CHECK(d.contractor_record("con_1").property_ids == std::vector<std::string>{"p_target"});
  auto walmart = d.reads.property(t1, "p_walmart");
  REQUIRE(walmart);
  CHECK(walmart->contractor_ids.empty());
  auto of = d.reads.properties_of(t1, "con_1");
  REQUIRE(of);
  REQUIRE(of->size() == 1);
  CHECK((*of)[0].id == "p_target");
  d.assign("p_walmart", "con_1");
  CHECK(d.contractor_record("con_1").property_ids ==
        std::vector<std::string>{"p_target", "p_walmart"});
}

TEST_CASE("contractors and properties list by id in pages", "[directory]") {
  contractor_side d;
  for (int i = 0; i < 5; ++i) {
    d.contractor("con_" + std::to_string(i), "+1312555010" + std::to_string(i));
    d.property("p_" + std::to_string(i), "Lot " + std::to_string(i), "Main St");
  }
  d.side.catch_up();
  auto first = d.reads.contractors(t1, page_request{3, std::nullopt});
  REQUIRE(first);
  REQUIRE(first->items.size() == 3);
  REQUIRE(first->next_cursor);
  auto second = d.reads.contractors(t1, page_request{3, first->next_cursor});
  REQUIRE(second);
  CHECK(second->items.size() == 2);
  CHECK(second->items.front().id == "con_3");
  auto props = d.reads.properties(t1, page_request{50, std::nullopt});
  REQUIRE(props);
  CHECK(props->items.size() == 5);
  auto other_tenant = d.reads.properties(t2, page_request{50, std::nullopt});
  REQUIRE(other_tenant);
  CHECK(other_tenant->items.empty());
}

TEST_CASE("held assignment texts are counted on the contractor until released", "[directory]") {
  contractor_side d;
  d.contractor("con_1", mike);
  d.contractor_event("con_1", events::assignment_text_held{"a1", "p1", "text", 1});
  d.contractor_event("con_1", events::assignment_text_held{"a2", "p1", "text", 2});
  CHECK(d.contractor_record("con_1").held_texts == 2);
  d.contractor_event("con_1", events::assignment_text_released{"a1", "msg_1"});
  CHECK(d.contractor_record("con_1").held_texts == 1);
}

TEST_CASE("the contractor directory equals a fresh rebuild of it", "[directory][rebuild]") {
  contractor_side d;
  d.contractor("con_1", mike);
  d.property("p1", "Walmart", "123 Main St");
  d.assign("p1", "con_1");
  d.property("p2", "Target", "456 Oak Ave");
  d.assign("p2", "con_1");
  d.unassign("p1", "con_1");
  d.contractor_event("con_1", events::contractor_updated{"Mike", dana, true});
  d.side.catch_up();
  auto check = d.side.check();
  CHECK(check.ok);
}
