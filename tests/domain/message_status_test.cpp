#include "domain/message_status.hpp"

#include <catch2/catch.hpp>

using namespace fl::domain;
using S = message_status;

TEST_CASE("Twilio's status names parse, and unknown ones do not", "[status]") {
  for (auto name : {"accepted", "scheduled", "queued", "sending", "sent", "delivered",
                    "undelivered", "failed", "read", "canceled"}) {
    auto s = parse_message_status(name);
    REQUIRE(s);
    CHECK(to_string(*s) == name);
  }
  CHECK_FALSE(parse_message_status("Delivered"));
  CHECK_FALSE(parse_message_status("lost"));
  CHECK_FALSE(parse_message_status(""));
}

TEST_CASE("a status moves forward through queued, sending, sent to a final status", "[status]") {
  CHECK(status_advances(std::nullopt, S::queued));
  CHECK(status_advances(S::queued, S::sending));
  CHECK(status_advances(S::sending, S::sent));
  CHECK(status_advances(S::sent, S::delivered));
  CHECK(status_advances(S::queued, S::failed));  // a step may be skipped
  CHECK(status_advances(std::nullopt, S::delivered));
}

TEST_CASE("a late callback never moves a message back from a final status", "[status]") {
  for (auto final_status : {S::delivered, S::undelivered, S::failed, S::canceled}) {
    CHECK(is_final(final_status));
    for (auto earlier : {S::accepted, S::queued, S::sending, S::sent})
      CHECK_FALSE(status_advances(final_status, earlier));
  }
  CHECK_FALSE(status_advances(S::sent, S::queued));
  CHECK_FALSE(status_advances(S::sent, S::sending));
}

TEST_CASE("one final status is never replaced by another", "[status]") {
  CHECK_FALSE(status_advances(S::delivered, S::failed));
  CHECK_FALSE(status_advances(S::failed, S::delivered));
  CHECK_FALSE(status_advances(S::undelivered, S::delivered));
}

TEST_CASE("read may follow delivered, and nothing follows read", "[status]") {
  CHECK(status_advances(S::delivered, S::read));
  CHECK_FALSE(status_advances(S::failed, S::read));
  CHECK_FALSE(status_advances(S::read, S::delivered));
  CHECK_FALSE(status_advances(S::read, S::sent));
}

TEST_CASE("a repeated callback of the current status is not a change", "[status]") {
  CHECK_FALSE(status_advances(S::sent, S::sent));
  CHECK_FALSE(status_advances(S::delivered, S::delivered));
}
