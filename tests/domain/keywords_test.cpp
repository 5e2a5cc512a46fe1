#include "domain/keywords.hpp"

#include <catch2/catch.hpp>

using namespace fl::domain;

TEST_CASE("each of Twilio's opt-out keywords alone opts out", "[keywords]") {
  for (auto word : {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
    CHECK(classify_keyword(word) == compliance_keyword::opt_out);
}

TEST_CASE("START, YES and UNSTOP opt back in; HELP and INFO ask for help", "[keywords]") {
  for (auto word : {"START", "YES", "UNSTOP"})
    CHECK(classify_keyword(word) == compliance_keyword::opt_in);
  for (auto word : {"HELP", "INFO"}) CHECK(classify_keyword(word) == compliance_keyword::help);
}

TEST_CASE("keywords match in any case with surrounding spaces", "[keywords]") {
  CHECK(classify_keyword("stop") == compliance_keyword::opt_out);
  CHECK(classify_keyword("  Stop \n") == compliance_keyword::opt_out);
  CHECK(classify_keyword("\tyes") == compliance_keyword::opt_in);
  CHECK(classify_keyword("Help ") == compliance_keyword::help);
}

TEST_CASE("a keyword inside a longer message is not a keyword", "[keywords]") {
  CHECK(classify_keyword("STOP 12345") == compliance_keyword::none);
  CHECK(classify_keyword("please stop by") == compliance_keyword::none);
  CHECK(classify_keyword("stopped") == compliance_keyword::none);
  CHECK(classify_keyword("S T O P") == compliance_keyword::none);
  CHECK(classify_keyword("yes please") == compliance_keyword::none);
  CHECK(classify_keyword("") == compliance_keyword::none);
  CHECK(classify_keyword("   ") == compliance_keyword::none);
}
