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
