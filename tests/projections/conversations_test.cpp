// The conversations projection: one per party, latest message first, unread
// counts, and pages that stay stable while conversations move to the top.

#include <catch2/catch.hpp>

#include <set>

#include "projections/conversation_projection.hpp"
#include "projections/keys.hpp"
#include "tests/projections/log_builder.hpp"
#include "tests/projections/read_side_fixture.hpp"

using namespace fl;

namespace {

const std::string t1 = "tn_a", t2 = "tn_b";
const std::string alice = "+15125550001", bob = "+15125550002", carol = "+15125550003";

std::vector<std::string> phones(const testing::read_side& side, const std::string& tenant) {
  auto page = side.reads().conversations(tenant, {500, std::nullopt});
  REQUIRE(page);
  std::vector<std::string> out;
  for (const auto& c : page->items) out.push_back(c.phone);
  return out;
}

projections::conversation_record conversation(const testing::read_side& side,
                                              const std::string& tenant, const std::string& phone) {
  auto found = side.reads().conversation(tenant, phone, {500, std::nullopt});
  REQUIRE(found);
  REQUIRE(*found);
  return (*found)->conversation;
}

}  // namespace

TEST_CASE("conversations are listed by their latest message, newest first",
          "[projections][conversations]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.inbound(t1, alice, "SM1");
  log.inbound(t1, bob, "SM2");
  log.queued(t1, carol, "msg_1");
  side.catch_up();
  CHECK(phones(side, t1) == std::vector<std::string>{carol, bob, alice});
  log.queued(t1, alice, "msg_2");
  side.catch_up();
  CHECK(phones(side, t1) == std::vector<std::string>{alice, carol, bob});
  // A status change is not a new message: the order stays.
  log.sent(t1, bob, "nothing", "SMx");
  log.status(t1, carol, "SMz", "delivered");
  side.catch_up();
  CHECK(phones(side, t1) == std::vector<std::string>{alice, carol, bob});
}

TEST_CASE("the activity index holds one entry per conversation, however often it moved",
          "[projections][conversations]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  for (int round = 0; round < 3; ++round) {
    log.inbound(t1, alice, "SMa" + std::to_string(round));
    log.inbound(t1, bob, "SMb" + std::to_string(round));
  }
  side.catch_up();
  log.queued(t1, alice, "msg_1");
  side.catch_up();
  auto family = side.db().family(projections::conversation_projection::family_name);
  auto activity = projections::keys::key(t1, 'a');
  std::size_t entries = 0;
  side.db().snapshot().scan(family, activity, projections::prefix_end(activity), false,
                            [&](std::string_view, std::string_view) {
                              ++entries;
                              return true;
                            });
  CHECK(entries == 2);
}

TEST_CASE("a conversation shows its last message with that message's latest status",
          "[projections][conversations]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.inbound(t1, alice, "SM1", "Is he coming?");
  log.queued(t1, alice, "msg_1", "Yes, 10 minutes");
  log.sent(t1, alice, "msg_1", "SM2");
  log.status(t1, alice, "SM2", "delivered");
  side.catch_up();
  auto c = conversation(side, t1, alice);
  CHECK(c.last_id == "msg_1");
  CHECK(c.last_body == "Yes, 10 minutes");
  CHECK(c.last_direction == "outbound");
  CHECK(c.last_status == "delivered");
  CHECK(c.messages == 2);
  CHECK(c.kind == "customer");
}

TEST_CASE("an early delivery report for the last message shows once its sid is known",
          "[projections][conversations]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.queued(t1, alice, "msg_1");
  log.status(t1, alice, "SM1", "delivered");
  log.sent(t1, alice, "msg_1", "SM1");
  side.catch_up();
  CHECK(conversation(side, t1, alice).last_status == "delivered");
}

TEST_CASE("inbound texts count as unread until the conversation is read",
          "[projections][conversations]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.inbound(t1, alice, "SM1");
  log.inbound(t1, alice, "SM2");
  log.queued(t1, alice, "msg_1");
  side.catch_up();
  CHECK(conversation(side, t1, alice).unread == 2);
  log.append(t1, testing::log_builder::stream(t1, alice), events::conversation_read{2});
  log.inbound(t1, alice, "SM3");
  side.catch_up();
  CHECK(conversation(side, t1, alice).unread == 1);
}

TEST_CASE("a conversation shows whether its party opted out", "[projections][conversations]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.inbound(t1, alice, "SM1", "STOP");
  log.append(t1, testing::log_builder::stream(t1, alice),
             events::opted_out{alice, "keyword", "STOP"});
  side.catch_up();
  CHECK(conversation(side, t1, alice).opted_out);
  log.append(t1, testing::log_builder::stream(t1, alice), events::opted_in{alice, "START"});
  side.catch_up();
  CHECK_FALSE(conversation(side, t1, alice).opted_out);
}

TEST_CASE("a conversation's messages are listed oldest first, in pages",
          "[projections][conversations]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  for (int i = 0; i < 7; ++i) {
    log.inbound(t1, alice, "SMa" + std::to_string(i));
    log.queued(t1, bob, "msg_b" + std::to_string(i));
  }
  side.catch_up();
  std::vector<std::string> ids;
  std::optional<std::string> cursor;
  do {
    auto found = side.reads().conversation(t1, alice, {3, cursor});
    REQUIRE(found);
    REQUIRE(*found);
    for (const auto& m : (*found)->messages) ids.push_back(m.id);
    cursor = (*found)->next_cursor;
  } while (cursor);
  CHECK(ids == std::vector<std::string>{"SMa0", "SMa1", "SMa2", "SMa3", "SMa4", "SMa5", "SMa6"});
}

TEST_CASE("another tenant's conversation is not found", "[projections][conversations]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.tenant(t2, "UTC");
  log.inbound(t1, alice, "SM1");
  side.catch_up();
  auto found = side.reads().conversation(t2, alice, {10, std::nullopt});
  REQUIRE(found);
  CHECK_FALSE(*found);
  CHECK(phones(side, t2).empty());
}

TEST_CASE("conversation pages hold every conversation exactly once while conversations move",
          "[projections][conversations][pagination]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  std::vector<std::string> all;
  for (int i = 0; i < 40; ++i) {
    all.push_back("+1512555" + std::to_string(2000 + i));
    log.inbound(t1, all.back(), "SM" + std::to_string(i));
  }
  side.catch_up();

  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = side.reads().conversations(t1, {7, cursor});
    REQUIRE(page);
    for (const auto& c : page->items) seen.push_back(c.phone);
    cursor = page->next_cursor;
    // Between pages the oldest conversations (not listed yet) get new
    // messages and jump to the top; a brand-new conversation starts too.
    log.queued(t1, all[static_cast<std::size_t>(pages)], "jump" + std::to_string(pages));
    log.inbound(t1, "+1512555" + std::to_string(3000 + pages), "SMnew" + std::to_string(pages));
    // Some move again and again: one listed already, one not yet.
    log.inbound(t1, all.back(), "SMagain" + std::to_string(pages));
    log.inbound(t1, all.front(), "SMonce_more" + std::to_string(pages));
    side.catch_up();
    ++pages;
  } while (cursor);

  CHECK(pages == 6);
  CHECK(seen.size() == all.size());
  CHECK(std::set<std::string>(seen.begin(), seen.end()) ==
        std::set<std::string>(all.begin(), all.end()));
  // As of the listing's start: newest first.
  CHECK(seen.front() == all.back());
  CHECK(seen.back() == all.front());
}

TEST_CASE("a conversation cursor that no listing gave out is refused",
          "[projections][conversations][pagination]") {
  testing::read_side side;
  for (std::string bad : {"5", "x.y", "3.9", ".", "1.", "0.0"}) {
    INFO(bad);
    auto page = side.reads().conversations(t1, {10, bad});
    REQUIRE_FALSE(page);
    CHECK(page.error().parameter == "cursor");
  }
}

TEST_CASE("a report about a conversation with no message yet leaves no trace on it, in any batch",
          "[projections][conversations]") {
  testing::settable_clock clock;
  storage::store_options options;
  options.clock = clock.fn();
  testing::read_side side(options);
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.sent(t1, alice, "msg_unknown", "SMx");  // nothing to attach it to
  clock.advance(std::chrono::minutes(5));
  auto first_text_at = *clock.now;
  log.inbound(t1, alice, "SM1");
  side.catch_up();  // both in one batch
  auto c = conversation(side, t1, alice);
  CHECK(c.created_at_us == to_micros(first_text_at));
  CHECK(c.messages == 1);
  CHECK(c.last_status == "received");
}

TEST_CASE("a conversation changed across many batches reads the same as after one",
          "[projections][conversations]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  log.tenant(t1, "UTC");
  log.inbound(t1, alice, "SM1");
  side.catch_up();
  log.queued(t1, alice, "msg_1");
  side.catch_up();
  log.sent(t1, alice, "msg_1", "SM2");
  side.catch_up();
  log.status(t1, alice, "SM2", "delivered");
  log.inbound(t1, bob, "SM3");
  side.catch_up();
  auto c = conversation(side, t1, alice);
  CHECK(c.messages == 2);
  CHECK(c.unread == 1);
  CHECK(c.last_id == "msg_1");
  CHECK(c.last_status == "delivered");
  CHECK(phones(side, t1) == std::vector<std::string>{bob, alice});
  CHECK(side.check().ok);
}
