// The conversation state machine: someone at the tenant reads the conversation.

#include <catch2/catch.hpp>

#include "tests/domain/conversation_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::conversation;

TEST_CASE("marking a conversation read records how many inbound texts were unread",
          "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, receive_sms{inbound("Is he coming?", tenant_main, 1)}, ctx);
  run(s, receive_sms{inbound("Hello?", tenant_main, 2)}, ctx);
  run(s, send_sms{"Yes, in 10 minutes", "manual", {}, {}, {}}, ctx);
  CHECK(s.unread == 2);
  auto events = run(s, mark_read{}, ctx);
  REQUIRE(events.size() == 1);
  CHECK(as<events::conversation_read>(events[0]).messages_read == 2);
  CHECK(s.unread == 0);
}

TEST_CASE("marking a conversation read with nothing unread records nothing", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  CHECK(run(s, mark_read{}, ctx).empty());
  run(s, receive_sms{inbound("Hi", tenant_main, 1)}, ctx);
  run(s, mark_read{}, ctx);
  CHECK(run(s, mark_read{}, ctx).empty());
}

TEST_CASE("texts after a read count as unread again", "[conversation]") {
  auto ctx = make_context();
  conversation_state s;
  run(s, receive_sms{inbound("One", tenant_main, 1)}, ctx);
  run(s, mark_read{}, ctx);
  run(s, receive_sms{inbound("Two", tenant_main, 2)}, ctx);
  CHECK(s.unread == 1);
  CHECK(s.version == 3);
}
