// The directory projection: customers (with the consent of their phone's
// conversation), technicians (status and latest location) and jobs (status
// and notifications), listed by id with stable pages.

#include <catch2/catch.hpp>

#include <cstdio>
#include <set>

#include "projections/directory_reads.hpp"
#include "tests/projections/directory_log.hpp"
#include "tests/projections/read_side_fixture.hpp"
#include "tests/projections/workload.hpp"

using namespace fl;
using projections::directory_reads;
using projections::job_filter;
using projections::page_request;

namespace {

const std::string t1 = "tn_a", t2 = "tn_b";
const std::string alice = "+15125550001", bob = "+15125550002", carol = "+15125550003";
constexpr std::int64_t appointment = 1'795'100'000'000'000;

struct directory_side {
  testing::read_side side;
  testing::directory_log log{side.store()};
  directory_reads reads{side.db()};

  directory_side() {
    log.log().tenant(t1, "UTC");
    log.log().tenant(t2, "UTC");
  }

  projections::customer_record customer(const std::string& id, const std::string& tenant = t1) {
    side.catch_up();
    auto c = reads.customer(tenant, id);
    REQUIRE(c);
    return *c;
  }
  projections::technician_record technician(const std::string& id) {
    side.catch_up();
    auto t = reads.technician(t1, id);
    REQUIRE(t);
    return *t;
  }
  projections::job_record job(const std::string& id) {
    side.catch_up();
    auto j = reads.job(t1, id);
    REQUIRE(j);
    return *j;
  }
  std::vector<std::string> job_ids(const job_filter& filter, std::size_t limit = 500) {
    side.catch_up();
    std::vector<std::string> out;
    page_request page{limit, std::nullopt};
    do {
      auto found = reads.jobs(t1, filter, page);
      REQUIRE(found);
      for (const auto& j : found->items) out.push_back(j.id);
      page.cursor = found->next_cursor;
    } while (page.cursor);
    return out;
  }
};

}  // namespace

TEST_CASE("a registered customer is shown with its details, and an update replaces them",
          "[projections][directory]") {
  directory_side d;
  d.log.customer(t1, "cus_1", "Dana", alice, "12 Elm St");
  auto c = d.customer("cus_1");
  CHECK(c.id == "cus_1");
  CHECK(c.first_name == "Dana");
  CHECK(c.last_name == "Doe");
  CHECK(c.phone == alice);
  CHECK(c.address == "12 Elm St");
  CHECK_FALSE(c.opted_out);
  CHECK(c.created_at_us > 0);

  d.log.update_customer(t1, "cus_1", "Dana Jo", alice, "14 Elm St");
  auto updated = d.customer("cus_1");
  CHECK(updated.first_name == "Dana Jo");
  CHECK(updated.address == "14 Elm St");
  CHECK(updated.created_at_us == c.created_at_us);
  CHECK(updated.updated_at_us >= c.updated_at_us);
}

TEST_CASE("an update of a customer never registered shows nothing", "[projections][directory]") {
  directory_side d;
  d.log.update_customer(t1, "cus_ghost", "Nobody", alice);
  d.side.catch_up();
  CHECK_FALSE(d.reads.customer(t1, "cus_ghost"));
  auto page = d.reads.customers(t1, {});
  REQUIRE(page);
  CHECK(page->items.empty());
}

TEST_CASE("a customer follows the opt-out and opt-in of its phone's conversation",
          "[projections][directory]") {
  directory_side d;
  d.log.customer(t1, "cus_1", "Dana", alice);
  CHECK_FALSE(d.customer("cus_1").opted_out);
  d.log.opt_out(t1, alice);
  CHECK(d.customer("cus_1").opted_out);
  d.log.opt_out(t1, alice);  // again: still out
  CHECK(d.customer("cus_1").opted_out);
  d.log.opt_in(t1, alice);
  CHECK_FALSE(d.customer("cus_1").opted_out);
  // Another number's consent is not this customer's.
  d.log.opt_out(t1, bob);
  CHECK_FALSE(d.customer("cus_1").opted_out);
}

TEST_CASE("a number that opted out before its customer was registered shows the customer opted out",
          "[projections][directory]") {
  directory_side d;
  d.log.opt_out(t1, alice);
  d.log.customer(t1, "cus_1", "Dana", alice);
  CHECK(d.customer("cus_1").opted_out);
  d.log.opt_in(t1, alice);
  CHECK_FALSE(d.customer("cus_1").opted_out);
}

TEST_CASE("a customer whose phone changes takes the new phone's consent",
          "[projections][directory]") {
  directory_side d;
  d.log.customer(t1, "cus_1", "Dana", alice);
  d.log.opt_out(t1, alice);
  REQUIRE(d.customer("cus_1").opted_out);

  d.log.update_customer(t1, "cus_1", "Dana", bob);
  CHECK_FALSE(d.customer("cus_1").opted_out);
  // The old number's consent no longer reaches the customer; the new one's does.
  d.log.opt_in(t1, alice);
  d.log.opt_out(t1, alice);
  CHECK_FALSE(d.customer("cus_1").opted_out);
  d.log.opt_out(t1, bob);
  CHECK(d.customer("cus_1").opted_out);

  // Back to the first number, still opted out.
  d.log.opt_in(t1, bob);
  d.log.update_customer(t1, "cus_1", "Dana", alice);
  CHECK(d.customer("cus_1").opted_out);
}

TEST_CASE("customers sharing a phone all follow its consent, and can be found by it",
          "[projections][directory]") {
  directory_side d;
  d.log.customer(t1, "cus_1", "Dana", alice);
  d.log.customer(t1, "cus_2", "Sam", alice);
  d.log.customer(t1, "cus_3", "Lee", bob);
  d.log.opt_out(t1, alice);
  CHECK(d.customer("cus_1").opted_out);
  CHECK(d.customer("cus_2").opted_out);
  CHECK_FALSE(d.customer("cus_3").opted_out);
  auto shared = d.reads.customers_with_phone(t1, alice);
  REQUIRE(shared.size() == 2);
  CHECK(shared[0].id == "cus_1");
  CHECK(shared[1].id == "cus_2");
  d.log.update_customer(t1, "cus_2", "Sam", carol);
  d.side.catch_up();
  CHECK(d.reads.customers_with_phone(t1, alice).size() == 1);
  CHECK(d.reads.customers_with_phone(t1, carol).size() == 1);
}

TEST_CASE("a technician shows its status, the job it is about and its latest location",
          "[projections][directory]") {
  directory_side d;
  d.log.technician(t1, "tech_1", "Mike", bob);
  auto t = d.technician("tech_1");
  CHECK(t.first_name == "Mike");
  CHECK(t.phone == bob);
  CHECK(t.status == "available");
  CHECK_FALSE(t.job_id);
  CHECK_FALSE(t.location);

  d.log.technician_status(t1, "tech_1", "enroute", "job_1");
  d.log.located(t1, "tech_1", 41.9, -87.7, appointment, 12.5);
  t = d.technician("tech_1");
  CHECK(t.status == "enroute");
  CHECK(t.job_id == "job_1");
  REQUIRE(t.location);
  CHECK(t.location->lat == 41.9);
  CHECK(t.location->lon == -87.7);
  CHECK(t.location->recorded_at_us == appointment);
  CHECK(t.location->speed_mps == 12.5);

  d.log.technician_status(t1, "tech_1", "available");
  t = d.technician("tech_1");
  CHECK(t.status == "available");
  CHECK_FALSE(t.job_id);
}

TEST_CASE("a location older than the latest does not move the technician",
          "[projections][directory]") {
  directory_side d;
  d.log.technician(t1, "tech_1", "Mike", bob);
  d.log.located(t1, "tech_1", 41.9, -87.7, appointment);
  d.log.located(t1, "tech_1", 40.0, -80.0, appointment - 60'000'000);  // a backlog upload
  d.log.located(t1, "tech_1", 40.0, -80.0, appointment);               // not newer either
  auto t = d.technician("tech_1");
  REQUIRE(t.location);
  CHECK(t.location->lat == 41.9);
  CHECK(t.location->recorded_at_us == appointment);
  d.log.located(t1, "tech_1", 42.0, -87.8, appointment + 1);
  CHECK(d.technician("tech_1").location->lat == 42.0);
}

TEST_CASE("a job is unassigned when created, scheduled when assigned, then follows its status",
          "[projections][directory]") {
  directory_side d;
  d.log.job(t1, "job_1", "cus_1", appointment, "12 Elm St");
  auto j = d.job("job_1");
  CHECK(j.customer_id == "cus_1");
  CHECK(j.address == "12 Elm St");
  CHECK(j.lat == 41.8781);
  CHECK(j.lon == -87.6298);
  CHECK(j.scheduled_at_us == appointment);
  CHECK(j.status == "unassigned");
  CHECK_FALSE(j.technician_id);
  CHECK_FALSE(j.invoice_link);

  d.log.assign(t1, "job_1", "tech_1");
  j = d.job("job_1");
  CHECK(j.status == "scheduled");
  CHECK(j.technician_id == "tech_1");

  d.log.job_status(t1, "job_1", "enroute");
  d.log.assign(t1, "job_1", "tech_2");  // a reassignment does not move it back
  j = d.job("job_1");
  CHECK(j.status == "enroute");
  CHECK(j.technician_id == "tech_2");

  d.log.job_event(t1, "job_1", events::job_rescheduled{appointment + 3'600'000'000});
  d.log.job_event(t1, "job_1",
                  events::job_updated{"14 Elm St", std::nullopt, std::nullopt, "https://pay/1"});
  d.log.job_status(t1, "job_1", "complete");
  j = d.job("job_1");
  CHECK(j.scheduled_at_us == appointment + 3'600'000'000);
  CHECK(j.address == "14 Elm St");
  CHECK_FALSE(j.lat);
  CHECK(j.invoice_link == "https://pay/1");
  CHECK(j.status == "complete");
}

TEST_CASE("a job lists the notifications it fired and what became of each",
          "[projections][directory]") {
  directory_side d;
  d.log.job(t1, "job_1", "cus_1", appointment);
  d.log.assign(t1, "job_1", "tech_1");
  events::notification_triggered scheduled{"job_1",      "scheduled",  appointment, "tech_1",
                                           std::nullopt, std::nullopt, false};
  d.log.job_event(t1, "job_1", scheduled);
  auto j = d.job("job_1");
  REQUIRE(j.notifications.size() == 1);
  CHECK(j.notifications[0].trigger == "scheduled");
  CHECK(j.notifications[0].status == "pending");
  CHECK(j.notifications[0].technician_id == "tech_1");

  d.log.job_event(t1, "job_1", events::notification_queued{"job_1", "scheduled", "msg_1"});
  events::notification_triggered enroute{"job_1", "enroute",       appointment, "tech_1",
                                         12,      appointment + 5, true};
  d.log.job_event(t1, "job_1", enroute);
  d.log.job_event(t1, "job_1", events::notification_skipped{"job_1", "enroute", "opted_out"});
  j = d.job("job_1");
  REQUIRE(j.notifications.size() == 2);
  CHECK(j.notifications[0].status == "queued");
  CHECK(j.notifications[0].message_id == "msg_1");
  CHECK(j.notifications[1].trigger == "enroute");
  CHECK(j.notifications[1].status == "skipped");
  CHECK(j.notifications[1].reason == "opted_out");
  CHECK(j.notifications[1].eta_minutes == 12);
  CHECK(j.notifications[1].held_until_us == appointment + 5);
  CHECK(j.notifications[1].by_hand);

  // A reminder per appointment time: a reschedule's is a new one.
  events::notification_triggered reminder{"job_1",      "reminder",   appointment, "tech_1",
                                          std::nullopt, std::nullopt, false};
  d.log.job_event(t1, "job_1", reminder);
  reminder.scheduled_at_us = appointment + 1;
  d.log.job_event(t1, "job_1", reminder);
  d.log.job_event(t1, "job_1", events::notification_queued{"job_1", "reminder", "msg_2"});
  j = d.job("job_1");
  REQUIRE(j.notifications.size() == 4);
  CHECK(j.notifications[2].status == "superseded");
  CHECK(j.notifications[3].status == "queued");
  CHECK(j.notifications[3].scheduled_at_us == appointment + 1);
}

TEST_CASE("customers, technicians and jobs are listed by id", "[projections][directory]") {
  directory_side d;
  for (const auto* id : {"c", "a", "B", "b_2", "b-1"}) {
    d.log.customer(t1, id, "X", alice);
    d.log.technician(t1, id, "X", bob);
    d.log.job(t1, id, "a", appointment);
  }
  d.side.catch_up();
  const std::vector<std::string> by_id{"B", "a", "b-1", "b_2", "c"};  // bytewise
  auto ids = [](const auto& page) {
    std::vector<std::string> out;
    for (const auto& r : page.items) out.push_back(r.id);
    return out;
  };
  auto customers = d.reads.customers(t1, {});
  auto technicians = d.reads.technicians(t1, {});
  auto jobs = d.reads.jobs(t1, {}, {});
  REQUIRE(customers);
  REQUIRE(technicians);
  REQUIRE(jobs);
  CHECK(ids(*customers) == by_id);
  CHECK(ids(*technicians) == by_id);
  CHECK(ids(*jobs) == by_id);
  CHECK_FALSE(customers->next_cursor);
}

TEST_CASE("pages of the directory stay stable while entries are added and changed",
          "[projections][directory]") {
  directory_side d;
  for (int i = 0; i < 30; ++i) d.log.customer(t1, "cus_" + std::to_string(100 + 2 * i), "X", alice);
  d.side.catch_up();
  std::vector<std::string> seen;
  page_request page{7, std::nullopt};
  int n = 0;
  do {
    auto found = d.reads.customers(t1, page);
    REQUIRE(found);
    for (const auto& c : found->items) seen.push_back(c.id);
    // Meanwhile: changes to entries seen and not, and new ones on both sides of the cursor.
    d.log.update_customer(t1, "cus_" + std::to_string(100 + 2 * (n % 30)), "Y", bob);
    d.log.customer(t1, "cus_" + std::to_string(101 + 2 * n), "New", carol);
    d.log.opt_out(t1, alice);
    d.side.catch_up();
    ++n;
    page.cursor = found->next_cursor;
  } while (page.cursor);
  // Every entry there at the start, once each, in order; none repeated.
  std::set<std::string> unique(seen.begin(), seen.end());
  CHECK(unique.size() == seen.size());
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  for (int i = 0; i < 30; ++i) CHECK(unique.contains("cus_" + std::to_string(100 + 2 * i)));
}

TEST_CASE("a cursor that is not an id is refused, naming the cursor", "[projections][directory]") {
  directory_side d;
  d.side.catch_up();
  for (const auto* bad : {"", "a b", "x:y", "../etc"}) {
    auto found = d.reads.customers(t1, {50, std::string(bad)});
    REQUIRE_FALSE(found);
    CHECK(found.error().parameter == "cursor");
  }
}

TEST_CASE("jobs are filtered by status, technician and customer, across pages",
          "[projections][directory]") {
  directory_side d;
  for (int i = 0; i < 40; ++i) {
    auto id = "job_" + std::to_string(100 + i);
    d.log.job(t1, id, i % 2 ? "cus_odd" : "cus_even", appointment);
    if (i % 4 == 0) d.log.assign(t1, id, "tech_1");
    if (i % 8 == 0) d.log.job_status(t1, id, "complete");
  }
  CHECK(d.job_ids({}).size() == 40);
  CHECK(d.job_ids({"unassigned", std::nullopt, std::nullopt}, 3).size() == 30);
  CHECK(d.job_ids({"scheduled", std::nullopt, std::nullopt}, 3).size() == 5);
  CHECK(d.job_ids({"complete", "tech_1", std::nullopt}, 2) ==
        std::vector<std::string>{"job_100", "job_108", "job_116", "job_124", "job_132"});
  CHECK(d.job_ids({std::nullopt, "tech_1", std::nullopt}).size() == 10);
  CHECK(d.job_ids({std::nullopt, std::nullopt, "cus_odd"}, 4).size() == 20);
  CHECK(d.job_ids({std::nullopt, "tech_1", "cus_odd"}).empty());
}

TEST_CASE("each tenant's directory holds only its own entries", "[projections][directory]") {
  directory_side d;
  d.log.customer(t1, "cus_1", "Dana", alice);
  d.log.customer(t2, "cus_2", "Sam", alice);
  d.log.technician(t2, "tech_1", "Mike", bob);
  d.log.job(t2, "job_1", "cus_2", appointment);
  d.log.opt_out(t2, alice);  // the other tenant's conversation with the same number
  d.side.catch_up();
  CHECK_FALSE(d.customer("cus_1").opted_out);
  CHECK(d.customer("cus_2", t2).opted_out);
  CHECK_FALSE(d.reads.customer(t1, "cus_2"));
  CHECK_FALSE(d.reads.technician(t1, "tech_1"));
  CHECK_FALSE(d.reads.job(t1, "job_1"));
  auto customers = d.reads.customers(t1, {});
  REQUIRE(customers);
  REQUIRE(customers->items.size() == 1);
  CHECK(customers->items[0].id == "cus_1");
  CHECK(d.reads.customers_with_phone(t1, alice).size() == 1);
  CHECK(d.side.check(t1).ok);
  CHECK(d.side.check(t2).ok);
}

TEST_CASE("a filtered job page examines a bounded number of jobs and goes on with a cursor",
          "[projections][directory]") {
  directory_side d;
  std::vector<storage::append_request> jobs;
  const auto count = directory_reads::scan_budget + 3;
  for (std::size_t i = 0; i < count; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "job_%05zu", i);
    events::job_created c;
    c.job_id = id;
    c.customer_id = "cus_1";
    c.scheduled_at_us = appointment;
    jobs.push_back(
        {t1, domain::job_stream(t1, id), storage::expected_version::any(), {c}, std::nullopt});
  }
  testing::append_all(d.side.store(), std::move(jobs));
  d.log.job_status(t1, "job_05002", "cancelled");
  d.side.catch_up();

  job_filter cancelled{"cancelled", std::nullopt, std::nullopt};
  auto first = d.reads.jobs(t1, cancelled, {50, std::nullopt});
  REQUIRE(first);
  CHECK(first->items.empty());
  REQUIRE(first->next_cursor);
  CHECK(*first->next_cursor == "job_04999");
  auto second = d.reads.jobs(t1, cancelled, {50, first->next_cursor});
  REQUIRE(second);
  REQUIRE(second->items.size() == 1);
  CHECK(second->items[0].id == "job_05002");
  CHECK_FALSE(second->next_cursor);
}
