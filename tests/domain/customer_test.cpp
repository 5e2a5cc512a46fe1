// A customer: registered and edited with checked names and phone.

#include "domain/customer.hpp"

#include <catch2/catch.hpp>

using namespace fl;
using namespace fl::domain;

namespace {

std::vector<events::event> run(customer_state& s, const customer_command& cmd,
                               const customer_context& ctx = {}) {
  auto decided = decide(s, cmd, ctx);
  if (!decided) FAIL("refused: " << decided.error().message);
  for (const auto& e : *decided) evolve(s, e);
  return *decided;
}

directory_error error_of(const customer_state& s, const customer_command& cmd,
                         const customer_context& ctx = {}) {
  auto decided = decide(s, cmd, ctx);
  REQUIRE_FALSE(decided);
  CHECK_FALSE(decided.error().message.empty());
  return decided.error();
}

person_details jane() {
  return {"Jane", "Doe", "(555) 123-4567", "1200 Elm St, Austin, TX"};
}

}  // namespace

TEST_CASE("registering a customer records trimmed names and the phone in E.164", "[customer]") {
  customer_state s;
  auto out = run(s, register_customer{"cus_1", {"  Jane ", " Doe", "555.123.4567", " 1 Elm "}});
  REQUIRE(out.size() == 1);
  const auto& e = std::get<events::customer_registered>(out.front());
  CHECK(e.customer_id == "cus_1");
  CHECK(e.first_name == "Jane");
  CHECK(e.last_name == "Doe");
  CHECK(e.phone == "+15551234567");
  CHECK(e.address == "1 Elm");
  CHECK(s.registered());
  CHECK(s.phone == "+15551234567");
}

TEST_CASE("a phone without a country code is read in the tenant's region", "[customer]") {
  customer_state s;
  customer_context uk{"GB"};
  run(s, register_customer{"cus_1", {"Ann", "", "020 7946 0018", ""}}, uk);
  CHECK(s.phone == "+442079460018");
}

TEST_CASE("registering the same customer again records nothing; other details are refused",
          "[customer]") {
  customer_state s;
  run(s, register_customer{"cus_1", jane()});
  CHECK(run(s, register_customer{"cus_1", jane()}).empty());
  auto other = jane();
  other.first_name = "Janet";
  CHECK(error_of(s, register_customer{"cus_1", other}).code == directory_errc::already_registered);
}

TEST_CASE("a customer needs a first name; the last name and address may be empty", "[customer]") {
  customer_state s;
  CHECK(error_of(s, register_customer{"cus_1", {"", "Doe", "+15551234567", ""}}).code ==
        directory_errc::blank_name);
  CHECK(error_of(s, register_customer{"cus_1", {" \t ", "Doe", "+15551234567", ""}}).code ==
        directory_errc::blank_name);
  CHECK(run(s, register_customer{"cus_1", {"Jane", "", "+15551234567", ""}}).size() == 1);
}

TEST_CASE("a bad phone number is refused, naming the field", "[customer]") {
  customer_state s;
  for (const char* phone : {"", "12", "not a phone", "+999 123", "+1 555 123 4567 8901 2345"}) {
    INFO(phone);
    auto e = error_of(s, register_customer{"cus_1", {"Jane", "", phone, ""}});
    CHECK(e.code == directory_errc::invalid_phone);
    CHECK(e.field == "phone");
  }
}

TEST_CASE("names that are not text, or too long, are refused", "[customer]") {
  customer_state s;
  CHECK(error_of(s, register_customer{"cus_1", {"Ja\xC3", "", "+15551234567", ""}}).code ==
        directory_errc::invalid_text);
  CHECK(error_of(s, register_customer{"cus_1", {"Ja\nne", "", "+15551234567", ""}}).code ==
        directory_errc::invalid_text);
  CHECK(error_of(s, register_customer{"cus_1", {"Jane", std::string(101, 'x'), "+15551234567", ""}})
            .code == directory_errc::too_long);
  // 100 characters of two bytes each is not too long.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "\xC3\xA9";
  CHECK(
      run(s, register_customer{"cus_1", {hundred, "", "+15551234567", "line 1\nline 2"}}).size() ==
      1);
}

TEST_CASE("a customer id must be a plain token", "[customer]") {
  customer_state s;
  for (const char* id : {"", "cus:1", "cus/1", "cus 1", "cus\t1"}) {
    INFO(id);
    CHECK(error_of(s, register_customer{id, jane()}).code == directory_errc::invalid_id);
  }
  CHECK(error_of(s, register_customer{std::string(65, 'a'), jane()}).code ==
        directory_errc::invalid_id);
}

TEST_CASE("updating a customer records all its details; the same again records nothing",
          "[customer]") {
  customer_state s;
  run(s, register_customer{"cus_1", jane()});
  auto moved = jane();
  moved.address = "77 Oak Ave";
  auto out = run(s, update_customer{moved});
  REQUIRE(out.size() == 1);
  CHECK(std::get<events::customer_updated>(out.front()).address == "77 Oak Ave");
  CHECK(s.address == "77 Oak Ave");
  CHECK(run(s, update_customer{moved}).empty());
}

TEST_CASE("updating a customer never registered is refused", "[customer]") {
  customer_state s;
  CHECK(error_of(s, update_customer{jane()}).code == directory_errc::not_registered);
}

TEST_CASE("a contractor's phone is refused to a customer, on register and on a new phone",
          "[customer]") {
  customer_state s;
  customer_context contractors{"US", true};
  auto e = error_of(s, register_customer{"cus_1", jane()}, contractors);
  CHECK(e.code == directory_errc::phone_taken);
  CHECK(e.field == "phone");
  CHECK_FALSE(s.registered());

  run(s, register_customer{"cus_1", jane()});
  auto moved = jane();
  moved.phone = "+13125550147";
  CHECK(error_of(s, update_customer{moved}, contractors).code == directory_errc::phone_taken);
  // Keeping its own phone is no taking: a contractor registered on it later
  // (before this check existed) does not lock the customer's other details.
  auto renamed = jane();
  renamed.address = "77 Oak Ave";
  CHECK(run(s, update_customer{renamed}, contractors).size() == 1);
}
