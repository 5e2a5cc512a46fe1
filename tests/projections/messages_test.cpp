// The messages projection: every text in and out with its latest status,
// listed newest first with filters and stable pages.

#include <catch2/catch.hpp>

#include <set>

#include "tests/projections/log_builder.hpp"
#include "tests/projections/read_side_fixture.hpp"

using namespace fl;
using projections::message_filter;
using projections::page_request;

namespace {

const std::string t1 = "tn_a", t2 = "tn_b";
const std::string alice = "+15125550001", bob = "+15125550002";

std::vector<projections::message_record> all(const testing::read_side& side,
                                             const std::string& tenant,
                                             message_filter filter = {}) {
  auto page = side.reads().messages(tenant, filter, {500, std::nullopt});
  REQUIRE(page);
  return page->items;
}

projections::message_record only(const testing::read_side& side, const std::string& tenant) {
  auto items = all(side, tenant);
  REQUIRE(items.size() == 1);
  return items.front();
}

}  // namespace

TEST_CASE("an outbound text is listed queued, then sent with its sid, then delivered",
          "[projections][messages]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.queued(t1, alice, "msg_1", "Your tech is on the way");
  side.catch_up();
  auto m = only(side, t1);
  CHECK(m.id == "msg_1");
  CHECK(m.direction == "outbound");
  CHECK(m.status == "queued");
  CHECK(m.sid.empty());
  CHECK(m.trigger == "manual");
  CHECK(m.party == alice);

  log.sent(t1, alice, "msg_1", "SM1");
  log.status(t1, alice, "SM1", "delivered");
  side.catch_up();
  m = only(side, t1);
  CHECK(m.sid == "SM1");
  CHECK(m.status == "delivered");
}

TEST_CASE("an inbound text is listed as received with its media and segment count",
          "[projections][messages]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  events::sms_received r;
  r.message_sid = "SMin";
  r.from = alice;
  r.to = "+15005550006";
  r.body = "Photo of the leak 📷";
  r.media = {{"https://api.twilio.com/m/1", "image/jpeg"}};
  log.append(t1, testing::log_builder::stream(t1, alice), r);
  side.catch_up();
  auto m = only(side, t1);
  CHECK(m.id == "SMin");
  CHECK(m.sid == "SMin");
  CHECK(m.direction == "inbound");
  CHECK(m.status == "received");
  CHECK(m.encoding == "ucs2");
  CHECK(m.segments == 1);
  CHECK(m.media == r.media);
  CHECK_FALSE(m.trigger);
}

TEST_CASE("a status callback that came before the send's answer is applied when the sid arrives",
          "[projections][messages]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.queued(t1, alice, "msg_1");
  log.status(t1, alice, "SM1", "delivered");
  log.sent(t1, alice, "msg_1", "SM1");
  side.catch_up();
  CHECK(only(side, t1).status == "delivered");
}

TEST_CASE("a late or repeated status never moves a message back from a final one",
          "[projections][messages]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.queued(t1, alice, "msg_1");
  log.sent(t1, alice, "msg_1", "SM1");
  log.status(t1, alice, "SM1", "undelivered", 30003);
  log.status(t1, alice, "SM1", "sent");
  log.status(t1, alice, "SM1", "delivered");
  log.status(t1, alice, "SM1", "undelivered");
  side.catch_up();
  auto m = only(side, t1);
  CHECK(m.status == "undelivered");
  CHECK(m.error_code == 30003);
}

TEST_CASE("a text that could not be sent is listed failed with the provider's error",
          "[projections][messages]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.queued(t1, alice, "msg_1");
  log.append(t1, testing::log_builder::stream(t1, alice),
             events::sms_failed{"msg_1", 21211, "Invalid 'To' Phone Number", true});
  side.catch_up();
  auto m = only(side, t1);
  CHECK(m.status == "failed");
  CHECK(m.error_code == 21211);
  CHECK(m.error_message == "Invalid 'To' Phone Number");
}

TEST_CASE("messages are listed newest first and filtered by direction, status, trigger and time",
          "[projections][messages]") {
  testing::settable_clock clock;
  storage::store_options options;
  options.clock = clock.fn();
  testing::read_side side(options);
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.inbound(t1, alice, "SMa");
  clock.advance(std::chrono::minutes(1));
  auto since = *clock.now;
  log.queued(t1, alice, "msg_1", "b", "reminder");
  clock.advance(std::chrono::minutes(1));
  log.queued(t1, bob, "msg_2", "c", "manual");
  log.sent(t1, bob, "msg_2", "SM2");
  side.catch_up();

  auto ids = [](const std::vector<projections::message_record>& items) {
    std::vector<std::string> out;
    for (const auto& m : items) out.push_back(m.id);
    return out;
  };
  CHECK(ids(all(side, t1)) == std::vector<std::string>{"msg_2", "msg_1", "SMa"});
  message_filter f;
  f.direction = "outbound";
  CHECK(ids(all(side, t1, f)) == std::vector<std::string>{"msg_2", "msg_1"});
  f = {};
  f.status = "sent";
  CHECK(ids(all(side, t1, f)) == std::vector<std::string>{"msg_2"});
  f = {};
  f.trigger = "reminder";
  CHECK(ids(all(side, t1, f)) == std::vector<std::string>{"msg_1"});
  f = {};
  f.since = since;
  CHECK(ids(all(side, t1, f)) == std::vector<std::string>{"msg_2", "msg_1"});
}

TEST_CASE("a tenant's message list holds only its own messages", "[projections][messages]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.tenant(t2, "UTC");
  log.queued(t1, alice, "msg_1");
  log.queued(t2, alice, "msg_2");
  side.catch_up();
  CHECK(only(side, t1).id == "msg_1");
  CHECK(only(side, t2).id == "msg_2");
  CHECK(all(side, "tn_nobody").empty());
}

TEST_CASE("message pages hold every message exactly once while new messages keep arriving",
          "[projections][messages][pagination]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  std::set<std::string> before;
  for (int i = 0; i < 57; ++i) {
    log.queued(t1, i % 2 ? alice : bob, "msg_" + std::to_string(i));
    before.insert("msg_" + std::to_string(i));
  }
  side.catch_up();

  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  int page_count = 0;
  do {
    auto page = side.reads().messages(t1, {}, {10, cursor});
    REQUIRE(page);
    for (const auto& m : page->items) seen.push_back(m.id);
    cursor = page->next_cursor;
    // Writes between pages: new messages and status changes of old ones.
    log.queued(t1, alice, "new_" + std::to_string(page_count));
    log.sent(t1, bob, "msg_" + std::to_string(2 * page_count), "SMx" + std::to_string(page_count));
    side.catch_up();
    ++page_count;
  } while (cursor);

  CHECK(page_count == 6);
  CHECK(seen.size() == before.size());
  CHECK(std::set<std::string>(seen.begin(), seen.end()) == before);
}

TEST_CASE("a listing with a filter that matches little still returns, with a cursor to go on",
          "[projections][messages][pagination]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.queued(t1, alice, "rare", "x", "reminder");
  std::vector<storage::append_request> many;
  for (std::size_t i = 0; i < projections::read_model::scan_budget + 10; ++i) {
    events::sms_queued q;
    q.message_id = "m" + std::to_string(i);
    q.to = alice;
    q.trigger = "manual";
    many.push_back({t1,
                    testing::log_builder::stream(t1, alice),
                    storage::expected_version::any(),
                    {q},
                    std::nullopt});
  }
  auto target = side.store().last_position() + many.size();
  for (auto& r : many) side.store().append_async(std::move(r), [](storage::append_outcome) {});
  REQUIRE(side.store().wait_for_position(target, std::chrono::seconds(30)));
  side.catch_up();
  message_filter f;
  f.trigger = "reminder";
  std::vector<std::string> found;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = side.reads().messages(t1, f, {50, cursor});
    REQUIRE(page);
    for (const auto& m : page->items) found.push_back(m.id);
    cursor = page->next_cursor;
    ++pages;
  } while (cursor && pages < 10);
  CHECK(found == std::vector<std::string>{"rare"});
  CHECK(pages >= 2);
}

TEST_CASE("a cursor that no listing gave out is refused, naming the parameter",
          "[projections][messages][pagination]") {
  testing::read_side side;
  for (std::string bad : {"abc", "0", "-1", "12x", "18446744073709551616"}) {
    INFO(bad);
    auto page = side.reads().messages(t1, {}, {10, bad});
    REQUIRE_FALSE(page);
    CHECK(page.error().parameter == "cursor");
  }
}
