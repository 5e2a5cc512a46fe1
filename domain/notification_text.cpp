#include "domain/notification_text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "domain/sms_template.hpp"

namespace fl::domain {

namespace {

// The body the notification is written with, or why there is none.
expected<std::string_view, notification_text_refusal> body_for(
    sms_trigger trigger, const template_library_state& templates) {
  if (const stored_template* t = template_for(templates, trigger)) return std::string_view(t->body);
  bool has_any = std::any_of(templates.templates.begin(), templates.templates.end(),
                             [&](const stored_template& t) { return t.trigger == trigger; });
  if (has_any)
    return unexpected{notification_text_refusal{
        "template_disabled",
        fmt::format("every {} template of the tenant is disabled", to_string(trigger))}};
  for (const auto& d : default_templates())
    if (d.trigger == trigger) return d.body;
  return unexpected{notification_text_refusal{
      "template_error", fmt::format("no template exists for {}", to_string(trigger))}};
}

}  // namespace

expected<std::string, notification_text_refusal> notification_text(
    const pending_notification& pending, const notification_subject& subject,
    const template_library_state& templates) {
  auto body = body_for(pending.trigger, templates);
  if (!body) return unexpected{std::move(body.error())};
  auto text = render_template(*body, notification_variables(subject, pending.eta_minutes));
  if (!text)
    return unexpected{notification_text_refusal{
        "template_error", fmt::format("the {} template cannot be filled: {}",
                                      to_string(pending.trigger), text.error().message)}};
  return std::move(*text);
}

std::string notification_external_id(std::string_view job_id, const pending_notification& pending) {
  return fmt::format("notif:{}:{}:{}", job_id, to_string(pending.trigger),
                     to_micros(pending.scheduled_at));
}

}  // namespace fl::domain
