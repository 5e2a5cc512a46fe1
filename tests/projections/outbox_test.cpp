// The outbox projection: which texts are queued and not yet sent or failed,
// whatever the batches and commits between their events.

#include <catch2/catch.hpp>

#include <algorithm>

#include "projections/outbox_projection.hpp"
#include "tests/projections/log_builder.hpp"
#include "tests/projections/read_side_fixture.hpp"

using namespace fl;

namespace {

const std::string t1 = "tn_a";
const std::string ann = "+15125550001", bob = "+15125550002";

struct outbox_side {
  testing::read_side side;
  testing::log_builder log{side.store()};
  outbox_side() { log.tenant(t1, "UTC"); }

  // Conversations (tenant, phone) with an unsent text, as a restart reads them.
  std::vector<std::pair<std::string, std::string>> with_unsent() {
    auto found = projections::outbox_projection::read(side.db()).with_unsent;
    std::sort(found.begin(), found.end());
    return found;
  }
};

using pairs = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_CASE("a text queued and sent in one batch leaves no unsent entry", "[projections][outbox]") {
  outbox_side o;
  o.log.queued(t1, ann, "msg_1");
  o.log.sent(t1, ann, "msg_1", "SM1");
  o.log.queued(t1, bob, "msg_2");
  o.side.catch_up();
  CHECK(o.with_unsent() == pairs{{t1, bob}});
  CHECK(o.side.check().ok);
}

TEST_CASE("a text sent or failed in a later batch than it was queued is no longer unsent",
          "[projections][outbox]") {
  outbox_side o;
  o.log.queued(t1, ann, "msg_1");
  o.log.queued(t1, bob, "msg_2");
  o.side.catch_up();
  CHECK(o.with_unsent() == pairs{{t1, ann}, {t1, bob}});
  o.log.sent(t1, ann, "msg_1", "SM1");
  o.log.append(t1, testing::log_builder::stream(t1, bob),
               events::sms_failed{"msg_2", 30007, "filtered", true});
  o.side.catch_up();
  CHECK(o.with_unsent().empty());
  CHECK(o.side.check().ok);
}

TEST_CASE("a text queued again after it was stored stays unsent until its send",
          "[projections][outbox]") {
  // A duplicate queue event must not hide the stored entry from the send.
  outbox_side o;
  o.log.queued(t1, ann, "msg_1");
  o.side.catch_up();
  o.log.queued(t1, ann, "msg_1");
  o.side.catch_up();
  CHECK(o.with_unsent() == pairs{{t1, ann}});
  o.log.queued(t1, ann, "msg_1");
  o.log.sent(t1, ann, "msg_1", "SM1");
  o.side.catch_up();
  CHECK(o.with_unsent().empty());
  CHECK(o.side.check().ok);
}

namespace {

events::recorded_event outbox_event(std::uint64_t position, events::event data) {
  events::recorded_event e;
  e.position = position;
  e.tenant = t1;
  e.stream = "conversation:" + t1 + ":" + ann;
  e.data = std::move(data);
  return e;
}

events::sms_queued queued(const std::string& id) {
  events::sms_queued q;
  q.message_id = id;
  q.from = bob;
  q.to = ann;
  q.body = "hello";
  return q;
}

events::sms_sent sent(const std::string& id) {
  events::sms_sent s;
  s.message_id = id;
  s.message_sid = "SM" + id;
  return s;
}

// Applies `data` as the events at positions `first`, `first + 1`, ...
void apply_from(projections::outbox_projection& outbox, projections::write_set& out,
                std::uint64_t first, std::initializer_list<events::event> data) {
  for (const auto& d : data) outbox.apply(outbox_event(first++, d), out);
}

}  // namespace

TEST_CASE("a projection built from empty deletes no key it never stored", "[projections][outbox]") {
  // A delete of a key never stored would stay as a tombstone that every
  // start-up read of the outbox steps over.
  std::size_t stored_reads = 0;
  projections::write_set out([&](std::string_view) -> std::optional<std::string> {
    ++stored_reads;
    return std::nullopt;
  });
  projections::outbox_projection outbox;
  outbox.from_checkpoint(0, [&](const auto&) { ++stored_reads; });
  apply_from(outbox, out, 1, {queued("msg_1"), sent("msg_1"), queued("msg_2")});
  outbox.before_commit(out);  // msg_2 is stored now
  CHECK(out.size() == 1);
  out.clear();
  apply_from(outbox, out, 4, {sent("msg_2"), sent("msg_3") /* never queued */});
  REQUIRE(out.size() == 1);
  CHECK(out.entries()[0]->is_delete());
  CHECK(stored_reads == 0);
}

TEST_CASE("a projection continued from stored state deletes what an earlier one stored",
          "[projections][outbox]") {
  // Stored by an earlier process: msg_1 (queued before it stopped) and
  // msg_2 (queued then, and queued again now).
  const std::string msg_1_key = std::string(t1) + '\0' + "q" + ann + '\0' + "msg_1";
  const std::string msg_2_key = std::string(t1) + '\0' + "q" + ann + '\0' + "msg_2";
  projections::write_set out([&](std::string_view key) -> std::optional<std::string> {
    if (key == msg_1_key || key == msg_2_key) return std::string();
    return std::nullopt;
  });
  projections::outbox_projection outbox;
  outbox.from_checkpoint(40, [&](const auto& fn) {
    for (const auto& key : {msg_1_key, msg_2_key})
      if (!fn(key, "")) return;
  });
  // msg_3 was never stored: no delete.
  apply_from(outbox, out, 41,
             {sent("msg_1"), queued("msg_2"), sent("msg_2"), queued("msg_3"), sent("msg_3")});
  std::vector<std::string> deleted;
  for (const auto* e : out.entries())
    if (e->is_delete()) deleted.emplace_back(e->key());
  std::sort(deleted.begin(), deleted.end());
  CHECK(deleted == std::vector<std::string>{msg_1_key, msg_2_key});
}
