#include "domain/dispatch_streams.hpp"

#include <catch2/catch.hpp>

using namespace fl::domain;

TEST_CASE("field-service stream names are kind, tenant and id joined by colons",
          "[dispatch_streams]") {
  CHECK(customer_stream("tn_1", "cus_42") == "customer:tn_1:cus_42");
  CHECK(technician_stream("tn_1", "tech_7") == "technician:tn_1:tech_7");
  CHECK(job_stream("tn_1", "job_7") == "job:tn_1:job_7");
  CHECK(sms_settings_stream("tn_1") == "sms-settings:tn_1");
  CHECK(sms_templates_stream("tn_1") == "sms-templates:tn_1");
}

TEST_CASE("a field-service stream name parses back into its parts", "[dispatch_streams]") {
  const auto name = job_stream("tn_1", "job_7");  // the parts are views into it
  auto job = parse_dispatch_stream(name);
  REQUIRE(job);
  CHECK(job->kind == dispatch_stream_kind::job);
  CHECK(job->tenant == "tn_1");
  CHECK(job->id == "job_7");
  auto settings = parse_dispatch_stream("sms-settings:tn_1");
  REQUIRE(settings);
  CHECK(settings->kind == dispatch_stream_kind::sms_settings);
  CHECK(settings->tenant == "tn_1");
  CHECK(settings->id.empty());
  auto templates = parse_dispatch_stream("sms-templates:tn_1");
  REQUIRE(templates);
  CHECK(templates->kind == dispatch_stream_kind::sms_templates);
}

TEST_CASE("other and malformed stream names do not parse", "[dispatch_streams]") {
  for (const char* name :
       {"conversation:tn_1:+15551234567", "job:tn_1", "job::job_7", "job:tn_1:", "job:tn_1:a:b",
        "sms-settings:tn_1:x", "sms-settings:", "customer", "", "Job:tn_1:job_7"}) {
    INFO(name);
    CHECK(!parse_dispatch_stream(name));
  }
}

TEST_CASE("entity ids are 1 to 64 letters, digits, underscores and hyphens", "[dispatch_streams]") {
  CHECK(is_valid_entity_id("job_7"));
  CHECK(is_valid_entity_id("0b1c-EF_9"));
  CHECK(is_valid_entity_id(std::string(64, 'a')));
  CHECK(!is_valid_entity_id(std::string(65, 'a')));
  for (const char* id : {"", "a:b", "a/b", "a b", "é", "a.b", "a\n"})
    CHECK(!is_valid_entity_id(id));
}

TEST_CASE("contractor and property streams are named and parsed like the other directory streams",
          "[dispatch_streams]") {
  using namespace fl::domain;
  CHECK(contractor_stream("t1", "con_1") == "contractor:t1:con_1");
  CHECK(property_stream("t1", "p1") == "property:t1:p1");
  auto c = parse_dispatch_stream("contractor:t1:con_1");
  REQUIRE(c);
  CHECK(c->kind == dispatch_stream_kind::contractor);
  CHECK(c->tenant == "t1");
  CHECK(c->id == "con_1");
  auto p = parse_dispatch_stream("property:t1:p1");
  REQUIRE(p);
  CHECK(p->kind == dispatch_stream_kind::property);
  CHECK_FALSE(parse_dispatch_stream("property:t1"));
  CHECK_FALSE(parse_dispatch_stream("contractor:t1:a:b"));
}
