// The values a notification's template is filled with.

#include "domain/notification_variables.hpp"

#include <catch2/catch.hpp>

#include "tests/domain/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::dispatch;

namespace {

customer_state jane() {
  customer_state c;
  c.id = "cus_1";
  c.first_name = "Jane";
  c.phone = "+15551234567";
  return c;
}

}  // namespace

TEST_CASE("the variables come from the customer, job, technician and tenant, on its clock",
          "[notification_variables]") {
  world w;
  w.run_job(update_job{"1200 Elm St", job_place.lat, job_place.lon, "https://pay.example.com/1"});
  auto customer = jane();
  auto v = notification_variables({&w.job, &customer, &w.tech, "Acme HVAC", chicago()}, 12);
  CHECK(v.at("customer_first_name") == "Jane");
  CHECK(v.at("company_name") == "Acme HVAC");
  CHECK(v.at("scheduled_date") == "Tue, Nov 24");
  CHECK(v.at("scheduled_time") == "2:30 PM");
  CHECK(v.at("tech_first_name") == "Mike");
  CHECK(v.at("eta_minutes") == "12");
  CHECK(v.at("invoice_link") == "https://pay.example.com/1");
}

TEST_CASE("without a technician the text says \"your technician\"", "[notification_variables]") {
  world w;
  auto customer = jane();
  auto v = notification_variables({&w.job, &customer, nullptr, "Acme HVAC", chicago()}, {});
  CHECK(v.at("tech_first_name") == "your technician");
}

TEST_CASE("no ETA and no invoice link leave their variables out, so rendering names them",
          "[notification_variables]") {
  world w;
  auto customer = jane();
  auto v = notification_variables({&w.job, &customer, &w.tech, "Acme HVAC", chicago()}, {});
  CHECK_FALSE(v.contains("eta_minutes"));
  CHECK_FALSE(v.contains("invoice_link"));
  auto rendered = render_template("Invoice: {invoice_link}", v);
  REQUIRE_FALSE(rendered);
  CHECK(rendered.error().code == template_errc::missing_value);
  CHECK(rendered.error().variable == "invoice_link");
}

TEST_CASE("every default template renders with a full set of variables",
          "[notification_variables]") {
  world w;
  w.run_job(update_job{"1200 Elm St", job_place.lat, job_place.lon, "https://pay.example.com/1"});
  auto customer = jane();
  auto v = notification_variables({&w.job, &customer, &w.tech, "Acme HVAC", chicago()}, 9);
  for (const auto& d : default_templates()) {
    INFO(d.name);
    CHECK(render_template(d.body, v));
  }
}
