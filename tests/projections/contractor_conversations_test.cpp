// A contractor's conversation (texts queued with `contractor_id`): kind
// "contractor", the contractor's id, and the state of their ticket session,
// whichever of the session's events and the texts come first.

#include <catch2/catch.hpp>

#include "projections/conversation_projection.hpp"
#include "tests/projections/read_side_fixture.hpp"
#include "tests/projections/ticket_log.hpp"

using namespace fl;

namespace {

const std::string t1 = "tn_a", t2 = "tn_b";
const std::string crew_phone = "+15125550101", other_phone = "+15125550102";
const std::string customer_phone = "+15125550001";

struct contractor_side {
  testing::read_side side;
  testing::ticket_log log{side.store()};

  contractor_side() {
    log.log().tenant(t1, "UTC");
    log.log().tenant(t2, "UTC");
  }

  std::optional<projections::conversation_record> find(const std::string& phone,
                                                       const std::string& tenant = t1) {
    side.catch_up();
    auto found = side.reads().conversation(tenant, phone, {1, std::nullopt});
    REQUIRE(found);
    if (!*found) return std::nullopt;
    return (*found)->conversation;
  }
  projections::conversation_record conversation(const std::string& phone,
                                                const std::string& tenant = t1) {
    auto c = find(phone, tenant);
    REQUIRE(c);
    return *c;
  }
  // The state as the conversations list shows it.
  std::optional<std::string> listed_state(const std::string& phone) {
    side.catch_up();
    auto page = side.reads().conversations(t1, {500, std::nullopt});
    REQUIRE(page);
    for (const auto& c : page->items)
      if (c.phone == phone) return c.state;
    FAIL("no conversation with " << phone);
    return std::nullopt;
  }
};

}  // namespace

TEST_CASE("a contractor's conversation names the contractor and is idle before any session move",
          "[projections][conversations][contractors]") {
  contractor_side d;
  d.log.texted(t1, "ctr_1", crew_phone, "msg_1");
  auto c = d.conversation(crew_phone);
  CHECK(c.kind == "contractor");
  CHECK(c.party_id == "ctr_1");
  CHECK(c.state == "idle");
}

TEST_CASE("a contractor's conversation follows the state of their ticket session",
          "[projections][conversations][contractors]") {
  contractor_side d;
  d.log.texted(t1, "ctr_1", crew_phone, "msg_1");
  d.log.moved(t1, "ctr_1", "awaiting_start_confirmation");
  CHECK(d.conversation(crew_phone).state == "awaiting_start_confirmation");
  d.log.started(t1, "ctr_1", "tk_1", "prop_w");
  d.log.moved(t1, "ctr_1", "collecting_ticket_details");
  CHECK(d.conversation(crew_phone).state == "collecting_ticket_details");
  CHECK(d.listed_state(crew_phone) == "collecting_ticket_details");
  d.log.completed(t1, "ctr_1", "tk_1");
  d.log.moved(t1, "ctr_1", "idle");
  CHECK(d.conversation(crew_phone).state == "idle");
  CHECK(d.listed_state(crew_phone) == "idle");
  // The session's moves change the state, not the conversation's messages.
  CHECK(d.conversation(crew_phone).messages == 1);
}

TEST_CASE("a session move before the contractor's first text shows once the text arrives",
          "[projections][conversations][contractors]") {
  contractor_side d;
  d.log.moved(t1, "ctr_1", "awaiting_start_confirmation");
  d.side.catch_up();
  CHECK_FALSE(d.find(crew_phone));
  d.log.moved(t1, "ctr_1", "collecting_ticket_details");
  d.log.texted(t1, "ctr_1", crew_phone, "msg_1");
  auto c = d.conversation(crew_phone);
  CHECK(c.kind == "contractor");
  CHECK(c.state == "collecting_ticket_details");
}

TEST_CASE("a session move and the first text in one batch join the same way",
          "[projections][conversations][contractors]") {
  contractor_side d;
  d.log.moved(t1, "ctr_1", "awaiting_completion");
  d.log.texted(t1, "ctr_1", crew_phone, "msg_1");
  d.log.moved(t1, "ctr_1", "collecting_completion_details");
  CHECK(d.conversation(crew_phone).state == "collecting_completion_details");
}

TEST_CASE("a customer's conversation has no session state and follows no session",
          "[projections][conversations][contractors]") {
  contractor_side d;
  d.log.log().queued(t1, customer_phone, "msg_c");
  d.log.log().inbound(t1, customer_phone, "SMc");
  d.log.moved(t1, "ctr_1", "collecting_ticket_details");
  auto c = d.conversation(customer_phone);
  CHECK(c.kind == "customer");
  CHECK_FALSE(c.state);
}

TEST_CASE("a phone texted for another contractor follows only that contractor's session",
          "[projections][conversations][contractors]") {
  contractor_side d;
  d.log.texted(t1, "ctr_1", crew_phone, "msg_1");
  d.log.moved(t1, "ctr_2", "collecting_ticket_details");
  d.log.texted(t1, "ctr_2", crew_phone, "msg_2");
  auto c = d.conversation(crew_phone);
  CHECK(c.party_id == "ctr_2");
  CHECK(c.state == "collecting_ticket_details");
  d.log.moved(t1, "ctr_1", "awaiting_start_confirmation");
  CHECK(d.conversation(crew_phone).state == "collecting_ticket_details");
  d.log.moved(t1, "ctr_2", "idle");
  CHECK(d.conversation(crew_phone).state == "idle");
}

TEST_CASE("a contractor's new phone gets the conversation that follows their session",
          "[projections][conversations][contractors]") {
  contractor_side d;
  d.log.texted(t1, "ctr_1", crew_phone, "msg_1");
  d.log.moved(t1, "ctr_1", "awaiting_completion");
  d.log.texted(t1, "ctr_1", other_phone, "msg_2");
  CHECK(d.conversation(other_phone).state == "awaiting_completion");
  d.log.moved(t1, "ctr_1", "idle");
  CHECK(d.conversation(other_phone).state == "idle");
}

TEST_CASE("another tenant's contractor with the same id does not move this tenant's conversation",
          "[projections][conversations][contractors]") {
  contractor_side d;
  d.log.texted(t1, "ctr_1", crew_phone, "msg_1");
  d.log.texted(t2, "ctr_1", crew_phone, "msg_2");
  d.log.moved(t2, "ctr_1", "collecting_ticket_details");
  CHECK(d.conversation(crew_phone, t1).state == "idle");
  CHECK(d.conversation(crew_phone, t2).state == "collecting_ticket_details");
}

TEST_CASE("a session state the session does not know shows as idle",
          "[projections][conversations][contractors]") {
  contractor_side d;
  d.log.texted(t1, "ctr_1", crew_phone, "msg_1");
  d.log.moved(t1, "ctr_1", "collecting_ticket_details");
  d.log.moved(t1, "ctr_1", "bogus");
  CHECK(d.conversation(crew_phone).state == "idle");
}

TEST_CASE("contractors' conversations equal a fresh rebuild",
          "[projections][conversations][contractors]") {
  contractor_side d;
  d.side.follow();
  d.log.moved(t1, "ctr_1", "awaiting_start_confirmation");
  d.log.texted(t1, "ctr_1", crew_phone, "msg_1");
  d.log.moved(t1, "ctr_1", "collecting_ticket_details");
  d.log.texted(t1, "ctr_2", crew_phone, "msg_2");
  auto last = d.log.moved(t1, "ctr_2", "awaiting_completion");
  REQUIRE(d.side.reached(last));
  CHECK(d.side.check().ok);
  CHECK(d.side.check(t1).ok);
}
