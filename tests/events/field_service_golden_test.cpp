// The frozen v1 format of the field-service events (directory, jobs,
// notifications, SMS settings and templates): see golden_test.cpp.

#include <catch2/catch.hpp>

#include "events/codec.hpp"
#include "tests/events/golden_support.hpp"

using namespace fl::events;
using fl::testing::golden::check_golden;

TEST_CASE("the customer_registered v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(customer_registered{"cus_42", "Zo\xC3\xAB", "O'Brien", "+15551234567",
                                   "1200 Elm St, Apt 4\nAustin, TX 78701"});
}

TEST_CASE("the customer_updated v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(customer_updated{"Dana", "", "+15551234568", "77 Oak Ave, Austin, TX 78702"});
}

TEST_CASE("the technician_registered v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(technician_registered{"tech_7", "Mike", "Alvarez", "+15557654322"});
}

TEST_CASE("the technician_updated v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(technician_updated{"Michael", "Alvarez", "+15557654323"});
}

TEST_CASE("the technician_status_changed v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(technician_status_changed{"on_site", "job_7", "geofence"});
}

TEST_CASE("the technician_located v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(technician_located{30.2672, -97.7431, 1795453200000000, 12.5});
}

TEST_CASE("the job_created v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(job_created{"job_7", "cus_42", "1200 Elm St, Austin, TX 78701", 30.2672, -97.7431,
                           1795539600000000, std::nullopt});
}

TEST_CASE("the job_updated v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(job_updated{"1210 Elm St, Austin, TX 78701", 30.2675, -97.7428,
                           "https://pay.example.com/inv/7?t=a&b=c"});
}

TEST_CASE("the job_rescheduled v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(job_rescheduled{1795626000000000});
}

TEST_CASE("the job_assigned v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(job_assigned{"tech_7"});
}

TEST_CASE("the job_status_changed v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(job_status_changed{"complete", "tech_7"});
}

TEST_CASE("the notification_triggered v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  notification_triggered e;
  e.by_hand = false;
  e.eta_minutes = std::nullopt;
  e.held_until_us = 1795467600000000;
  e.job_id = "job_7";
  e.scheduled_at_us = 1795539600000000;
  e.technician_id = "tech_7";
  e.trigger = "scheduled";
  check_golden(e);
}

TEST_CASE("the notification_queued v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(notification_queued{"job_7", "scheduled", "msg_0001"});
}

TEST_CASE("the notification_skipped v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(notification_skipped{"job_7", "reminder", "opted_out"});
}

TEST_CASE("the sms_settings_changed v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  sms_settings_changed e;
  e.enabled = true;
  e.geofence_radius_m = 200;
  e.opt_out_message =
      "Acme HVAC: you are unsubscribed and will receive no more texts. Reply START to "
      "resubscribe.";
  e.quiet_hours_end = "08:00";
  e.quiet_hours_start = "21:00";
  e.reminder_hour = 17;
  e.triggers = {false, true, true, false, true, true};  // scheduled and 15_min off
  check_golden(e);
}

TEST_CASE("the sms_template_saved v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(sms_template_saved{
      "tpl_3", "enroute", "Technician En Route",
      "Hi {customer_first_name}, {tech_first_name} is on the way \xE2\x80\x94 about "
      "{eta_minutes} min.",
      true});
}

TEST_CASE("the sms_template_deleted v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(sms_template_deleted{"tpl_3"});
}
