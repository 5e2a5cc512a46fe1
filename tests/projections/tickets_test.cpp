// The tickets projection: one record per ticket of a contractor's ticket
// session, its details adding up as the session adds them, listed newest
// first with filters and stable pages.

#include <catch2/catch.hpp>

#include <set>

#include "domain/ticket_session.hpp"
#include "projections/ticket_reads.hpp"
#include "tests/projections/read_side_fixture.hpp"
#include "tests/projections/ticket_log.hpp"

using namespace fl;
using projections::page_request;
using projections::ticket_filter;
using projections::ticket_record;
using projections::ticket_status;
using testing::details_of;

namespace {

const std::string t1 = "tn_a", t2 = "tn_b";
const std::string crew = "ctr_1", other_crew = "ctr_2";

struct ticket_side {
  testing::settable_clock clock;
  testing::read_side side{options(clock)};
  testing::ticket_log log{side.store()};
  projections::ticket_reads reads{side.db()};

  static storage::store_options options(const testing::settable_clock& clock) {
    storage::store_options o;
    o.clock = clock.fn();
    return o;
  }

  ticket_side() {
    log.log().tenant(t1, "UTC");
    log.log().tenant(t2, "UTC");
  }

  ticket_record ticket(const std::string& id, const std::string& tenant = t1) {
    side.catch_up();
    auto t = reads.ticket(tenant, id);
    REQUIRE(t);
    return *t;
  }

  std::vector<std::string> ids(const ticket_filter& filter = {}, std::size_t limit = 500) {
    side.catch_up();
    std::vector<std::string> out;
    page_request page{limit, std::nullopt};
    do {
      auto found = reads.tickets(t1, filter, page);
      REQUIRE(found);
      for (const auto& t : found->items) out.push_back(t.ticket.id);
      page.cursor = found->next_cursor;
    } while (page.cursor);
    return out;
  }
};

}  // namespace

TEST_CASE(
    "a started ticket is open, dated by its event, for its property and its stream's contractor",
    "[projections][tickets]") {
  ticket_side d;
  auto at = *d.clock.now;
  auto position = d.log.started(t1, crew, "tk_1", "prop_w", "Walmart Parking Lot");
  auto t = d.ticket("tk_1");
  CHECK(t.ticket.id == "tk_1");
  CHECK(t.contractor_id == crew);
  CHECK(t.ticket.property_id == "prop_w");
  CHECK(t.ticket.property_name == "Walmart Parking Lot");
  CHECK(t.status() == ticket_status::open);
  CHECK(t.ticket.started_at == at);
  CHECK_FALSE(t.completed_at_us);
  CHECK(t.position == position);
  CHECK(t.ticket.equipment.empty());
  CHECK_FALSE(t.ticket.bulk);
  CHECK_FALSE(t.ticket.bag_salt);
  CHECK_FALSE(t.ticket.calcium_chloride);
  CHECK(t.ticket.notes.empty());
}

TEST_CASE("the details of several texts add up: quantities sum, equipment once, notes in order",
          "[projections][tickets]") {
  ticket_side d;
  d.log.started(t1, crew, "tk_1", "prop_w");
  auto first = details_of("tk_1");
  first.equipment = {"Plow Truck"};
  first.bulk_salt_quantity = 3;
  first.bulk_salt_unit = "yards";
  first.note = "parking lot clear";
  d.log.details(t1, crew, first);
  auto second = details_of("tk_1");
  second.equipment = {"Loader", "Plow Truck"};
  second.bulk_salt_quantity = 2;
  second.bulk_salt_unit = "yards";
  second.bag_salt = 3;
  second.calcium_chloride = 1.5;
  second.note = "sidewalks salted";
  d.log.details(t1, crew, second);
  auto third = details_of("tk_1");
  third.bag_salt = 2;
  d.log.details(t1, crew, third);

  auto t = d.ticket("tk_1");
  CHECK(t.ticket.equipment == std::vector<std::string>{"Plow Truck", "Loader"});
  REQUIRE(t.ticket.bulk);
  CHECK(t.ticket.bulk->quantity == 5);
  CHECK(t.ticket.bulk->unit == domain::salt_unit::yards);
  CHECK(t.ticket.bag_salt == 5);
  CHECK(t.ticket.calcium_chloride == 1.5);
  CHECK(t.ticket.notes == std::vector<std::string>{"parking lot clear", "sidewalks salted"});
  CHECK(t.status() == ticket_status::open);
}

TEST_CASE("a bulk quantity in the other unit replaces the bulk quantity instead of adding",
          "[projections][tickets]") {
  ticket_side d;
  d.log.started(t1, crew, "tk_1", "prop_w");
  auto yards = details_of("tk_1");
  yards.bulk_salt_quantity = 3;
  yards.bulk_salt_unit = "yards";
  d.log.details(t1, crew, yards);
  auto tons = details_of("tk_1");
  tons.bulk_salt_quantity = 2.5;
  tons.bulk_salt_unit = "tons";
  d.log.details(t1, crew, tons);
  auto t = d.ticket("tk_1");
  REQUIRE(t.ticket.bulk);
  CHECK(t.ticket.bulk->quantity == 2.5);
  CHECK(t.ticket.bulk->unit == domain::salt_unit::tons);
  d.log.details(t1, crew, tons);
  CHECK(d.ticket("tk_1").ticket.bulk->quantity == 5);
}

TEST_CASE("a work time reported again replaces the earlier one", "[projections][tickets]") {
  ticket_side d;
  constexpr std::int64_t two_am = 1'795'000'000'000'000 - 3 * 3'600'000'000LL;
  d.log.started(t1, crew, "tk_1", "prop_w");
  auto started = details_of("tk_1");
  started.work_started_at_us = two_am;
  d.log.details(t1, crew, started);
  auto t = d.ticket("tk_1");
  CHECK(t.ticket.work_started_at == from_micros(two_am));
  CHECK_FALSE(t.ticket.work_finished_at);
  auto corrected = details_of("tk_1");
  corrected.work_started_at_us = two_am + 1'800'000'000;
  corrected.work_finished_at_us = two_am + 7'200'000'000;
  d.log.details(t1, crew, corrected);
  t = d.ticket("tk_1");
  CHECK(t.ticket.work_started_at == from_micros(two_am + 1'800'000'000));
  CHECK(t.ticket.work_finished_at == from_micros(two_am + 7'200'000'000));
}

TEST_CASE("a completed ticket is dated by its event and takes no more details",
          "[projections][tickets]") {
  ticket_side d;
  d.log.started(t1, crew, "tk_1", "prop_w");
  auto salt = details_of("tk_1");
  salt.bag_salt = 4;
  d.log.details(t1, crew, salt);
  d.clock.advance(std::chrono::minutes(95));
  auto done_at = *d.clock.now;
  d.log.completed(t1, crew, "tk_1");
  d.clock.advance(std::chrono::minutes(5));
  d.log.details(t1, crew, salt);
  d.log.completed(t1, crew, "tk_1");
  auto t = d.ticket("tk_1");
  CHECK(t.status() == ticket_status::completed);
  CHECK(t.completed_at_us == to_micros(done_at));
  CHECK(t.ticket.bag_salt == 4);
}

TEST_CASE("a contractor's second ticket is a record of its own, the first one left as it was",
          "[projections][tickets]") {
  ticket_side d;
  d.log.started(t1, crew, "tk_1", "prop_w", "Walmart Parking Lot");
  auto salt = details_of("tk_1");
  salt.bag_salt = 4;
  d.log.details(t1, crew, salt);
  d.log.completed(t1, crew, "tk_1");
  d.clock.advance(std::chrono::hours(1));
  d.log.started(t1, crew, "tk_2", "prop_t", "Target");
  auto more = details_of("tk_2");
  more.bag_salt = 1;
  d.log.details(t1, crew, more);
  auto first = d.ticket("tk_1");
  auto second = d.ticket("tk_2");
  CHECK(first.status() == ticket_status::completed);
  CHECK(first.ticket.bag_salt == 4);
  CHECK(second.status() == ticket_status::open);
  CHECK(second.ticket.property_name == "Target");
  CHECK(second.ticket.bag_salt == 1);
  CHECK(second.ticket.started_at == first.ticket.started_at + std::chrono::hours(1));
}

TEST_CASE("an open ticket reads as the session's own evolve reads it", "[projections][tickets]") {
  ticket_side d;
  std::vector<domain::ticket_session_event> session{events::ticket_started{"tk_1", "prop_w", "W"}};
  auto a = details_of("tk_1");
  a.equipment = {"Plow Truck", "Loader"};
  a.bulk_salt_quantity = 3;
  a.bulk_salt_unit = "yards";
  a.note = "lot clear";
  a.work_started_at_us = 1'794'990'000'000'000;
  auto b = details_of("tk_1");
  b.equipment = {"Loader"};
  b.bulk_salt_quantity = 1;
  b.bulk_salt_unit = "tons";
  b.calcium_chloride = 2;
  b.note = "walks done";
  auto c = details_of("tk_1");
  c.bulk_salt_quantity = 0.5;
  c.bulk_salt_unit = "tons";
  c.calcium_chloride = 1;
  c.work_finished_at_us = 1'794'999'000'000'000;
  session.insert(session.end(), {a, b, c});
  domain::ticket_session_state state;
  for (const auto& e : session) {
    std::visit(
        [&](const auto& ev) { d.log.log().append(t1, testing::ticket_log::stream(t1, crew), ev); },
        e);
    domain::evolve(state, e, *d.clock.now);
  }
  REQUIRE(state.ticket);
  CHECK(d.ticket("tk_1").ticket == *state.ticket);
}

TEST_CASE("details or a completion for a ticket unknown or of another contractor change nothing",
          "[projections][tickets]") {
  ticket_side d;
  d.log.started(t1, crew, "tk_1", "prop_w");
  auto salt = details_of("tk_1");
  salt.bag_salt = 9;
  d.log.details(t1, other_crew, salt);
  d.log.completed(t1, other_crew, "tk_1");
  d.log.details(t1, crew, details_of("tk_none"));
  d.log.completed(t1, crew, "tk_none");
  auto t = d.ticket("tk_1");
  CHECK_FALSE(t.ticket.bag_salt);
  CHECK(t.status() == ticket_status::open);
  CHECK_FALSE(d.reads.ticket(t1, "tk_none"));
  CHECK(d.ids() == std::vector<std::string>{"tk_1"});
}

TEST_CASE("how a text was read changes no ticket: its details come as their own event",
          "[projections][tickets]") {
  ticket_side d;
  d.log.started(t1, crew, "tk_1", "prop_w");
  d.side.catch_up();
  auto before = d.ticket("tk_1");
  events::ticket_text_read read;
  read.message_sid = "SM1";
  read.intent = "provide_details";
  read.confidence = "high";
  read.interpreter = "rules";
  read.equipment = {"Loader"};
  read.bag_salt = 2;
  read.replies = {"Ticket updated!"};
  d.log.log().append(t1, testing::ticket_log::stream(t1, crew), read);
  CHECK(d.ticket("tk_1") == before);
}

TEST_CASE("a ticket id started again keeps the first ticket", "[projections][tickets]") {
  ticket_side d;
  d.log.started(t1, crew, "tk_1", "prop_w", "Walmart");
  d.log.started(t1, other_crew, "tk_1", "prop_t", "Target");
  auto t = d.ticket("tk_1");
  CHECK(t.contractor_id == crew);
  CHECK(t.ticket.property_id == "prop_w");
  CHECK(d.ids() == std::vector<std::string>{"tk_1"});
}

TEST_CASE("tickets are listed newest first and filtered by status, contractor and property",
          "[projections][tickets]") {
  ticket_side d;
  d.log.started(t1, crew, "tk_1", "prop_w");
  d.log.completed(t1, crew, "tk_1");
  d.log.started(t1, other_crew, "tk_2", "prop_t");
  d.log.started(t1, crew, "tk_3", "prop_t");
  d.log.completed(t1, crew, "tk_3");
  d.log.started(t1, crew, "tk_4", "prop_w");
  using ids = std::vector<std::string>;
  CHECK(d.ids() == ids{"tk_4", "tk_3", "tk_2", "tk_1"});
  CHECK(d.ids({ticket_status::open, {}, {}}) == ids{"tk_4", "tk_2"});
  CHECK(d.ids({ticket_status::completed, {}, {}}) == ids{"tk_3", "tk_1"});
  CHECK(d.ids({{}, crew, {}}) == ids{"tk_4", "tk_3", "tk_1"});
  CHECK(d.ids({{}, {}, "prop_t"}) == ids{"tk_3", "tk_2"});
  CHECK(d.ids({ticket_status::completed, crew, "prop_w"}) == ids{"tk_1"});
  CHECK(d.ids({{}, "ctr_nobody", {}}).empty());
  // The same across pages of one.
  CHECK(d.ids({}, 1) == ids{"tk_4", "tk_3", "tk_2", "tk_1"});
  CHECK(d.ids({ticket_status::open, {}, {}}, 1) == ids{"tk_4", "tk_2"});
}

TEST_CASE("pages of tickets stay stable while tickets are started, added to and completed",
          "[projections][tickets]") {
  ticket_side d;
  for (int i = 0; i < 30; ++i) d.log.started(t1, crew, "tk_" + std::to_string(100 + i), "prop_w");
  d.side.catch_up();
  std::vector<std::string> seen;
  page_request page{7, std::nullopt};
  int n = 0;
  do {
    auto found = d.reads.tickets(t1, {}, page);
    REQUIRE(found);
    for (const auto& t : found->items) seen.push_back(t.ticket.id);
    // Meanwhile: tickets seen and not yet seen change, and new ones start.
    auto salt = details_of("tk_" + std::to_string(100 + (n * 11) % 30));
    salt.bag_salt = 1;
    d.log.details(t1, crew, salt);
    d.log.completed(t1, crew, "tk_" + std::to_string(129 - n));
    d.log.started(t1, other_crew, "tk_new" + std::to_string(n), "prop_t");
    d.side.catch_up();
    ++n;
    page.cursor = found->next_cursor;
  } while (page.cursor);
  // Every ticket there at the start, once each, newest first; none started later.
  std::vector<std::string> expected;
  for (int i = 29; i >= 0; --i) expected.push_back("tk_" + std::to_string(100 + i));
  CHECK(seen == expected);
}

TEST_CASE("a ticket cursor that no listing gave out is refused, naming the cursor",
          "[projections][tickets]") {
  ticket_side d;
  d.side.catch_up();
  for (const auto* bad : {"", "0", "-3", "abc", "12.5", "99999999999999999999999"}) {
    INFO(bad);
    auto found = d.reads.tickets(t1, {}, {50, std::string(bad)});
    REQUIRE_FALSE(found);
    CHECK(found.error().parameter == "cursor");
  }
}

TEST_CASE("each tenant's tickets are its own, even with the same ids", "[projections][tickets]") {
  ticket_side d;
  d.log.started(t1, crew, "tk_1", "prop_w", "Walmart");
  d.log.started(t2, crew, "tk_1", "prop_x", "Elsewhere");
  d.log.started(t2, crew, "tk_2", "prop_x", "Elsewhere");
  d.log.completed(t2, crew, "tk_1");
  CHECK(d.ticket("tk_1", t1).ticket.property_id == "prop_w");
  CHECK(d.ticket("tk_1", t1).status() == ticket_status::open);
  CHECK(d.ticket("tk_1", t2).status() == ticket_status::completed);
  CHECK_FALSE(d.reads.ticket(t1, "tk_2"));
  CHECK(d.ids() == std::vector<std::string>{"tk_1"});
}

TEST_CASE("a filtered ticket page examines a bounded number of tickets and goes on with a cursor",
          "[projections][tickets]") {
  ticket_side d;
  const std::size_t total = projections::ticket_reads::scan_budget + 10;
  std::vector<storage::append_request> appends;
  for (std::size_t i = 0; i < total; ++i) {
    auto id = "tk_" + std::to_string(i);
    appends.push_back({t1,
                       testing::ticket_log::stream(t1, i == 0 ? other_crew : crew),
                       storage::expected_version::any(),
                       {events::ticket_started{id, "prop_w", "W"}},
                       std::nullopt});
  }
  for (const auto& a : appends) REQUIRE(d.side.store().append(a));
  d.side.catch_up();
  auto first = d.reads.tickets(t1, {{}, other_crew, {}}, {50, std::nullopt});
  REQUIRE(first);
  CHECK(first->items.empty());
  REQUIRE(first->next_cursor);
  auto second = d.reads.tickets(t1, {{}, other_crew, {}}, {50, first->next_cursor});
  REQUIRE(second);
  REQUIRE(second->items.size() == 1);
  CHECK(second->items[0].ticket.id == "tk_0");
  CHECK_FALSE(second->next_cursor);
}

TEST_CASE("an absurd limit is held to the maximum page", "[projections][tickets]") {
  ticket_side d;
  for (std::size_t i = 0; i < projections::read_model::max_limit + 3; ++i)
    d.log.started(t1, crew, "tk_" + std::to_string(i), "prop_w");
  d.side.catch_up();
  auto page = d.reads.tickets(t1, {}, {1'000'000, std::nullopt});
  REQUIRE(page);
  CHECK(page->items.size() == projections::read_model::max_limit);
  CHECK(page->next_cursor);
}

TEST_CASE("the tickets projection equals a fresh rebuild, live and for one tenant",
          "[projections][tickets]") {
  ticket_side d;
  d.side.follow();
  d.log.started(t1, crew, "tk_1", "prop_w");
  auto salt = details_of("tk_1");
  salt.bulk_salt_quantity = 3;
  salt.bulk_salt_unit = "yards";
  salt.equipment = {"Plow Truck"};
  d.log.details(t1, crew, salt);
  d.log.started(t2, crew, "tk_1", "prop_x");
  d.log.completed(t1, crew, "tk_1");
  auto last = d.log.started(t1, other_crew, "tk_2", "prop_t");
  REQUIRE(d.side.reached(last));
  CHECK(d.side.check().ok);
  CHECK(d.side.check(t1).ok);
}
