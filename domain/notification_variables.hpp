#pragma once

// The values a notification template is filled with, from the job, its
// customer and technician, and the tenant.

#include <optional>
#include <string_view>

#include "domain/customer.hpp"
#include "domain/job_state.hpp"
#include "domain/sms_template.hpp"
#include "domain/technician.hpp"

namespace date {
class time_zone;
}

namespace fl::domain {

/// What a text to the job's customer is about. Nothing here is owned.
struct notification_subject {
  const job_state* job = nullptr;                // must be set
  const customer_state* customer = nullptr;      // must be set
  const technician_state* technician = nullptr;  // the job's; null when none or unknown
  std::string_view company_name;                 // the tenant's name
  const date::time_zone* zone = nullptr;         // the tenant's; UTC when null
};

/// What a technician is called in a text when the job has none:
/// "Hi Jane, your technician is on the way".
inline constexpr std::string_view unnamed_technician = "your technician";

/// The template variables of a notification about `subject`:
/// customer_first_name, company_name, scheduled_date and scheduled_time (the
/// job's appointment on the tenant's clock: friendly_date, friendly_time),
/// tech_first_name (unnamed_technician when there is none), eta_minutes
/// when `eta_minutes` is given, and invoice_link when the job has one. A
/// variable left out makes `render` fail with `missing_value` naming it,
/// so a text never goes out with a hole in it.
template_variables notification_variables(const notification_subject& subject,
                                          std::optional<int> eta_minutes);

}  // namespace fl::domain
