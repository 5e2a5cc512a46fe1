// The built-in rules interpreter, one behaviour per case. The corpus test
// measures it on hundreds of texts; these name what it must do.

#include "domain/rules_interpreter.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace fl::domain;

namespace {

using conf = interpretation_confidence;

interpretation read(std::string_view text) {
  return interpret_with_rules(text);
}

std::vector<std::string> names(std::initializer_list<const char*> list) {
  return std::vector<std::string>(list.begin(), list.end());
}

int at(int h, int m) {
  return h * 60 + m;
}

}  // namespace

TEST_CASE("interpretation names convert to text and back", "[interpretation]") {
  for (auto i : {ticket_intent::start_ticket, ticket_intent::complete_ticket,
                 ticket_intent::provide_details, ticket_intent::query_address,
                 ticket_intent::status, ticket_intent::help, ticket_intent::unknown})
    CHECK(parse_ticket_intent(to_string(i)) == i);
  CHECK(to_string(ticket_intent::query_address) == "query_address");
  CHECK_FALSE(parse_ticket_intent("START"));
  CHECK(parse_salt_unit("tons") == salt_unit::tons);
  CHECK(to_string(salt_unit::yards) == "yards");
  CHECK_FALSE(parse_salt_unit("bags"));
  for (auto c : {conf::high, conf::medium, conf::low})
    CHECK(parse_interpretation_confidence(to_string(c)) == c);
  CHECK(parse_interpreter_kind(to_string(interpreter_kind::claude)) == interpreter_kind::claude);
  CHECK(to_string(interpreter_kind::rules) == "rules");
}

TEST_CASE("the seed's example table reads as the product document shows", "[interpretation]") {
  auto a = read("Plow truck 3 yards salt");
  CHECK(a.intent == ticket_intent::provide_details);
  CHECK(a.equipment == names({"plow truck"}));
  CHECK(a.bulk_salt == bulk_salt{3, salt_unit::yards});
  CHECK_FALSE(a.bag_salt);
  CHECK_FALSE(a.notes);
  CHECK(a.confidence == conf::high);
  CHECK(a.interpreter == interpreter_kind::rules);

  auto b = read("Skid steer, 5 bags, icy conditions");
  CHECK(b.equipment == names({"skid steer"}));
  CHECK(b.bag_salt == 5);
  CHECK(b.notes == "icy conditions");
  CHECK(b.confidence == conf::high);

  auto c = read("Loader 2 yards bulk 3 bags calcium");
  CHECK(c.equipment == names({"loader"}));
  CHECK(c.bulk_salt == bulk_salt{2, salt_unit::yards});
  CHECK(c.calcium_chloride == 3);
  CHECK_FALSE(c.bag_salt);

  auto d = read("Salted twice very slippery");
  CHECK(d.intent == ticket_intent::provide_details);
  CHECK(d.equipment.empty());
  CHECK_FALSE(d.has_quantities());
  CHECK(d.notes == "Salted twice very slippery");
}

TEST_CASE("number words, fractions and decimals give quantities", "[interpretation]") {
  CHECK(read("two yards").bulk_salt == bulk_salt{2, salt_unit::yards});
  CHECK(read("a yard").bulk_salt == bulk_salt{1, salt_unit::yards});
  CHECK(read("half a ton").bulk_salt == bulk_salt{0.5, salt_unit::tons});
  CHECK(read("2.5 tons").bulk_salt == bulk_salt{2.5, salt_unit::tons});
  CHECK(read("one and a half yards").bulk_salt == bulk_salt{1.5, salt_unit::yards});
  CHECK(read("1 1/2 yards").bulk_salt == bulk_salt{1.5, salt_unit::yards});
  CHECK(read("used a yard and a half").bulk_salt == bulk_salt{1.5, salt_unit::yards});
  CHECK(read("twenty five bags").bag_salt == 25);
  CHECK(read("a bag of calcium").calcium_chloride == 1);
  auto couple = read("a couple bags");
  CHECK(couple.bag_salt == 2);
  CHECK(couple.confidence == conf::medium);  // "couple" is taken as two
}

TEST_CASE("abbreviations of units, materials and machines are understood", "[interpretation]") {
  CHECK(read("3 yds").bulk_salt == bulk_salt{3, salt_unit::yards});
  CHECK(read("3yd").bulk_salt == bulk_salt{3, salt_unit::yards});
  CHECK(read("2 tn").bulk_salt == bulk_salt{2, salt_unit::tons});
  CHECK(read("4 bgs cal").calcium_chloride == 4);
  CHECK(read("6 cacl").calcium_chloride == 6);
  CHECK(read("2 bags cacl2").calcium_chloride == 2);
  CHECK(read("skid 6 bags").equipment == names({"skid steer"}));
  CHECK(read("bobcat").equipment == names({"skid steer"}));
  CHECK(read("plow trk").equipment == names({"plow truck"}));
  CHECK(read("front-end loader").equipment == names({"loader"}));
  CHECK(read("4 wheeler").equipment == names({"atv"}));
  CHECK(read("10 50lb bags").bag_salt == 10);  // the bag size is not the count
}

TEST_CASE("misspelt machines and materials are read, as an assumption", "[interpretation]") {
  auto truk = read("plow truk 2 yds");
  CHECK(truk.equipment == names({"plow truck"}));
  CHECK(read("skidsteer 4 bags").equipment == names({"skid steer"}));
  auto lodaer = read("lodaer 1 yard");
  CHECK(lodaer.equipment == names({"loader"}));
  CHECK(lodaer.confidence == conf::medium);
  CHECK(read("snowblowr").equipment == names({"snow blower"}));
  CHECK(read("calcuim 3 bags").calcium_chloride == 3);
  // Known words are never "corrected": "lower" is not "blower", "salted" not "salter".
  CHECK(read("lower lot salted").equipment.empty());
}

TEST_CASE("items come in any order and several in one text", "[interpretation]") {
  auto r = read("icy conditions, 2 bags calcium, skid steer and loader, salt 3 yards");
  CHECK(r.equipment == names({"skid steer", "loader"}));
  CHECK(r.calcium_chloride == 2);
  CHECK(r.bulk_salt == bulk_salt{3, salt_unit::yards});
  CHECK(r.notes == "icy conditions");
  auto sum = read("3 yds and then 2 more yds");
  CHECK(sum.bulk_salt == bulk_salt{5, salt_unit::yards});
  auto each_once = read("plow truck 2 yds, plow again");
  CHECK(each_once.equipment == names({"plow truck"}));
}

TEST_CASE("START, BEGIN and NEW TICKET start a ticket; a name after them is a property hint",
          "[interpretation]") {
  for (auto text : {"START", "start", "Begin", "NEW TICKET", "Starting now", "start job"}) {
    auto r = read(text);
    CHECK(r.intent == ticket_intent::start_ticket);
    CHECK_FALSE(r.property_hint);
    CHECK(r.confidence == conf::high);
  }
  CHECK(read("START Home Depot").property_hint == "home depot");
  CHECK(read("start 2").property_hint == "2");
  CHECK_FALSE(read("start 2").bag_salt);
  CHECK(read("started at 2am").intent ==
        ticket_intent::provide_details);  // a report, not a command
}

TEST_CASE("DONE, FINISHED and COMPLETE complete the ticket with the details they carry",
          "[interpretation]") {
  for (auto text : {"DONE", "done.", "Finished", "COMPLETE", "all done", "Job done", "I'm done"})
    CHECK(read(text).intent == ticket_intent::complete_ticket);
  auto five = read("DONE 5 bags");
  CHECK(five.intent == ticket_intent::complete_ticket);
  CHECK(five.bag_salt == 5);
  CHECK(five.confidence == conf::high);
  auto trailing = read("3 yds salt, done");
  CHECK(trailing.intent == ticket_intent::complete_ticket);
  CHECK(trailing.bulk_salt == bulk_salt{3, salt_unit::yards});
  // "lot done" reports part of the work, not the ticket.
  CHECK(read("walks done, lot next").intent == ticket_intent::provide_details);
}

TEST_CASE("HELP and status questions are commands without details", "[interpretation]") {
  for (auto text : {"HELP", "help?", "Help me", "info"}) {
    auto r = read(text);
    CHECK(r.intent == ticket_intent::help);
    CHECK_FALSE(r.has_details());
  }
  for (auto text : {"status", "Status of tickets", "status of my tickets?", "my tickets"}) {
    auto r = read(text);
    CHECK(r.intent == ticket_intent::status);
    CHECK_FALSE(r.has_details());
  }
}

TEST_CASE("address questions name the property they ask about", "[interpretation]") {
  auto bare = read("address?");
  CHECK(bare.intent == ticket_intent::query_address);
  CHECK_FALSE(bare.property_hint);
  CHECK(read("where is target").property_hint == "target");
  CHECK(read("Where's the Home Depot?").property_hint == "home depot");
  CHECK(read("address for walmart").property_hint == "walmart");
  CHECK(read("target address?").property_hint == "target");
  CHECK(read("whats the address").intent == ticket_intent::query_address);
}

TEST_CASE("a bare number or a name answers which property", "[interpretation]") {
  // A number alone is both: bags of salt while a ticket is open, the choice
  // when the session asked which property.
  auto two = read("2");
  CHECK(two.intent == ticket_intent::provide_details);
  CHECK(two.property_hint == "2");
  CHECK(two.bag_salt == 2);
  CHECK(two.confidence == conf::medium);
  // A name alone is not work: unknown, low, with the hint.
  auto target = read("Target");
  CHECK(target.intent == ticket_intent::unknown);
  CHECK(target.property_hint == "target");
  CHECK(target.confidence == conf::low);
  CHECK_FALSE(target.has_details());
  CHECK(read("#2").property_hint == "2");
  CHECK(read("the second one").property_hint == "2");
  CHECK(read("2nd").property_hint == "2");
  CHECK_FALSE(read("ok thanks").property_hint);
}

TEST_CASE("times of day with am, pm, colons, ranges and verbs", "[interpretation]") {
  CHECK(read("started at 2am").work_started_at == local_time_of_day{at(2, 0)});
  auto half_three = read("finished at 3:30");
  CHECK(half_three.work_finished_at == local_time_of_day{at(3, 30)});
  CHECK(half_three.confidence == conf::medium);  // am or pm is assumed
  CHECK(read("finished at 3:30pm").work_finished_at == local_time_of_day{at(15, 30)});
  auto range = read("from 1am to 4");
  CHECK(range.work_started_at == local_time_of_day{at(1, 0)});
  CHECK(range.work_finished_at == local_time_of_day{at(4, 0)});
  CHECK(range.confidence == conf::high);
  auto night = read("from 11pm to 2am");
  CHECK(night.work_started_at == local_time_of_day{at(23, 0)});
  CHECK(night.work_finished_at == local_time_of_day{at(2, 0)});
  CHECK(read("1-4am").work_started_at == local_time_of_day{at(1, 0)});
  CHECK(read("on site 12:30am").work_started_at == local_time_of_day{at(0, 30)});
  CHECK(read("left at 0545").work_finished_at == local_time_of_day{at(5, 45)});
  CHECK(read("done at noon").work_finished_at == local_time_of_day{at(12, 0)});
  auto done_late = read("Done 4 bags at 6am");
  CHECK(done_late.bag_salt == 4);
  CHECK(done_late.work_finished_at == local_time_of_day{at(6, 0)});
  // Numbers that are amounts are never times.
  auto amount = read("started, 5 bags");
  CHECK_FALSE(amount.work_started_at);
  CHECK(amount.bag_salt == 5);
}

TEST_CASE("confidence is high when all is read, medium when something is assumed, low on gibberish",
          "[interpretation]") {
  CHECK(read("Plow truck 3 yards salt, lot clear").confidence == conf::high);
  CHECK(read("Skid steer 5").confidence == conf::medium);   // 5 taken as bags
  CHECK(read("salt 4").confidence == conf::medium);         // salt without a unit
  CHECK(read("Loader, salt").confidence == conf::medium);   // salt without an amount
  CHECK(read("Truck 2 yards").confidence == conf::medium);  // "truck" taken as the plow truck
  for (auto text : {"asdf qwer zxcv uiop", "lorem ipsum dolor sit amet", "ok", "👍", "???"}) {
    auto r = read(text);
    CHECK(r.confidence == conf::low);
    CHECK(r.intent == ticket_intent::unknown);
    CHECK_FALSE(r.has_details());
  }
  // Mostly gibberish with one known word is still low.
  CHECK(read("xqzt plow vbnmq wertz kjhgf").confidence == conf::low);
}

TEST_CASE("hostile input never crashes and always gives an interpretation", "[interpretation]") {
  std::string long_report;
  while (long_report.size() < 2000) long_report += "plow truck 3 yds salt, very icy. ";
  std::string control = "plow\x01truck\x7f 3\tyds\r\n\x1b[31m";
  std::string invalid_utf8 = "icy \xff\xfe lot \xc3 \xe2\x82 salted";
  std::string zeros(3000, '0');
  std::string nines = "99999999999999999999999999999 bags";
  std::string punct(2000, '!');
  std::string emoji;
  for (int i = 0; i < 300; ++i) emoji += "\xE2\x9D\x84\xEF\xB8\x8F";  // ❄️
  for (const std::string& text :
       {std::string(), std::string("   "), long_report, control, invalid_utf8, zeros, nines, punct,
        emoji, std::string("\0\0\0", 3), std::string(5000, 'a'), std::string("1/0 3:99 25:00pm"),
        std::string("- - - / / # # @ @ & ~ +")}) {
    interpretation r;
    REQUIRE_NOTHROW(r = read(text));
    CHECK(r.interpreter == interpreter_kind::rules);
    // Whatever is read back as text is valid UTF-8 (JSON encoding would throw).
    if (r.notes) CHECK_NOTHROW(nlohmann::json(*r.notes).dump());
    if (r.property_hint) CHECK_NOTHROW(nlohmann::json(*r.property_hint).dump());
    if (r.work_started_at)
      CHECK((r.work_started_at->minutes >= 0 && r.work_started_at->minutes < 1440));
    if (r.work_finished_at)
      CHECK((r.work_finished_at->minutes >= 0 && r.work_finished_at->minutes < 1440));
  }
  CHECK(read("").intent == ticket_intent::unknown);
  CHECK(read(punct).confidence == conf::low);
  auto big = read(long_report);
  CHECK(big.equipment == names({"plow truck"}));
  CHECK(read(control).equipment == names({"plow truck"}));
  CHECK_FALSE(read(nines).bag_salt);  // absurd amounts are not recorded
}

TEST_CASE("the same text always reads the same way", "[interpretation]") {
  const char* text = "DONE! Plow truck 3 yds salt, walks 2 bags calcium, lot clear, finished 5am";
  auto first = read(text);
  for (int i = 0; i < 20; ++i) CHECK(read(text) == first);
}
