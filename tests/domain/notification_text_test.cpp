// The text of a customer notification: the tenant's template for its
// trigger, the built-in default when it has none, never a half-filled text.

#include "domain/notification_text.hpp"

#include <catch2/catch.hpp>

#include "tests/domain/time_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using fl::time_test::at;

namespace {

struct subject_world {
  job_state job;
  customer_state customer;
  technician_state tech;

  subject_world() {
    job.id = "job_1";
    job.customer_id = "cus_1";
    job.scheduled_at = at("2026-11-24T14:30:00-06:00");
    customer.id = "cus_1";
    customer.first_name = "Jane";
    tech.id = "tech_1";
    tech.first_name = "Mike";
  }

  notification_subject subject() {
    return {&job, &customer, &tech, "Acme HVAC", fl::time_test::zone("America/Chicago")};
  }
};

pending_notification pending(sms_trigger t) {
  pending_notification p;
  p.trigger = t;
  p.scheduled_at = at("2026-11-24T14:30:00-06:00");
  p.eta_minutes = 12;
  return p;
}

stored_template saved(std::string id, sms_trigger t, std::string body, bool enabled = true) {
  return {std::move(id), t, "mine", std::move(body), enabled};
}

}  // namespace

TEST_CASE("a tenant without templates texts the built-in default", "[notification_text]") {
  subject_world w;
  auto text = notification_text(pending(sms_trigger::enroute), w.subject(), {});
  REQUIRE(text);
  CHECK(*text == "Hi Jane, Mike is on the way and should arrive in about 12 min.");
}

TEST_CASE("the tenant's first enabled template for the trigger is the one texted",
          "[notification_text]") {
  subject_world w;
  template_library_state library;
  library.templates = {
      saved("a", sms_trigger::scheduled, "Off {scheduled_date}", false),
      saved("b", sms_trigger::scheduled, "See you {scheduled_date} {scheduled_time}"),
      saved("c", sms_trigger::scheduled, "Never this one")};
  auto text = notification_text(pending(sms_trigger::scheduled), w.subject(), library);
  REQUIRE(text);
  CHECK(*text == "See you Tue, Nov 24 2:30 PM");
}

TEST_CASE("a trigger whose templates are all disabled is not texted", "[notification_text]") {
  subject_world w;
  template_library_state library;
  library.templates = {saved("a", sms_trigger::arrived, "Here", false)};
  auto text = notification_text(pending(sms_trigger::arrived), w.subject(), library);
  REQUIRE_FALSE(text);
  CHECK(text.error().reason == "template_disabled");
}

TEST_CASE("a template missing a value is refused, never texted with a hole",
          "[notification_text]") {
  subject_world w;  // the job has no invoice link
  auto text = notification_text(pending(sms_trigger::complete), w.subject(), {});
  REQUIRE_FALSE(text);
  CHECK(text.error().reason == "template_error");
  CHECK(text.error().message.find("invoice_link") != std::string::npos);
}

TEST_CASE("a notification's external id names the job, the trigger and the appointment",
          "[notification_text]") {
  CHECK(notification_external_id("job_1", pending(sms_trigger::fifteen_min)) ==
        "notif:job_1:15_min:" + std::to_string(to_micros(at("2026-11-24T14:30:00-06:00"))));
}
