// The write side of sms_config_service: decide, append, evolve, publish.

#include "domain/dispatch_streams.hpp"

#include "notifications/sms_config_service.hpp"
#include "notifications/stream_fold.hpp"

namespace fl::notifications {

expected<settings_change, settings_change_error> sms_config_service::change_settings(
    std::string_view tenant, const settings_edit& edit) {
  auto& config = find_or_add(tenant);
  std::lock_guard writing(config.writing);
  // Only this thread replaces the snapshot now, so a copy of it is current.
  settings_snapshot next = *settings_snapshot_of(tenant);
  const std::string company = company_name(tenant);
  auto appended = decide_and_append<domain::settings_error>(
      store_, std::string(tenant), domain::sms_settings_stream(tenant), next.state, next.position,
      [&](const domain::sms_settings_state& state) {
        domain::change_sms_settings command{edit(domain::effective_settings(state, company))};
        return domain::decide(state, command, company);
      });
  if (!appended) return unexpected{std::move(appended).error()};
  settings_change out{domain::effective_settings(next.state, company), next.position,
                      !appended->events.empty()};
  std::lock_guard reading(config.reading);
  config.settings = std::make_shared<const settings_snapshot>(std::move(next));
  return out;
}

expected<template_change, template_change_error> sms_config_service::change_templates(
    std::string_view tenant, const template_build& build) {
  auto& config = find_or_add(tenant);
  std::lock_guard writing(config.writing);
  template_library next = *templates_of(tenant);
  domain::template_library_context context{new_template_id_};
  auto appended = decide_and_append<domain::template_library_error>(
      store_, std::string(tenant), domain::sms_templates_stream(tenant), next.state, next.position,
      [&](const domain::template_library_state& state)
          -> expected<std::vector<events::event>, domain::template_library_error> {
        auto command = build(state);
        if (!command) return unexpected{std::move(command).error()};
        return domain::decide(state, *command, context);
      });
  if (!appended) return unexpected{std::move(appended).error()};
  auto library = std::make_shared<const template_library>(std::move(next));
  {
    std::lock_guard reading(config.reading);
    config.templates = library;
  }
  return template_change{library, std::move(appended->events), appended->position};
}

expected<template_change, template_change_error> sms_config_service::change_templates(
    std::string_view tenant, domain::template_command command) {
  return change_templates(
      tenant,
      [&command](const domain::template_library_state&)
          -> expected<domain::template_command, domain::template_library_error> {
        return command;
      });
}

}  // namespace fl::notifications
