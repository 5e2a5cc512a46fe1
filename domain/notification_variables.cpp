#include "domain/notification_variables.hpp"

#include "domain/friendly_time.hpp"

namespace fl::domain {

template_variables notification_variables(const notification_subject& subject,
                                          std::optional<int> eta_minutes) {
  const job_state& job = *subject.job;
  template_variables v;
  v["customer_first_name"] = subject.customer->first_name;
  v["company_name"] = std::string(subject.company_name);
  v["scheduled_date"] = friendly_date(job.scheduled_at, subject.zone);
  v["scheduled_time"] = friendly_time(job.scheduled_at, subject.zone);
  v["tech_first_name"] = subject.technician && !subject.technician->first_name.empty()
                             ? subject.technician->first_name
                             : std::string(unnamed_technician);
  if (eta_minutes) v["eta_minutes"] = std::to_string(*eta_minutes);
  if (job.invoice_link) v["invoice_link"] = *job.invoice_link;
  return v;
}

}  // namespace fl::domain
