#include "notifications/sms_config_service.hpp"

#include <array>
#include <stdexcept>

#include "base/random_id.hpp"
#include "domain/dispatch_streams.hpp"

#include "notifications/stream_fold.hpp"

namespace fl::notifications {

namespace {

std::string random_template_id() {
  return random_id("tpl_");
}

const std::shared_ptr<const settings_snapshot>& no_settings() {
  static const auto empty = std::make_shared<const settings_snapshot>();
  return empty;
}

const std::shared_ptr<const template_library>& no_templates() {
  static const auto empty = std::make_shared<const template_library>();
  return empty;
}

}  // namespace

sms_config_service::sms_config_service(storage::event_store& store,
                                       const domain::tenant_directory& tenants,
                                       std::function<std::string()> new_template_id)
    : store_(store),
      tenants_(tenants),
      new_template_id_(new_template_id ? std::move(new_template_id) : random_template_id) {}

expected<void, std::string> sms_config_service::load() {
  for (const auto& t : tenants_.all()) {
    settings_snapshot settings;
    if (auto read = fold_stream(store_, domain::sms_settings_stream(t->id), settings.state,
                                settings.position);
        !read)
      return unexpected{"cannot read the SMS settings of " + t->id + ": " + read.error().message};
    template_library templates;
    if (auto read = fold_stream(store_, domain::sms_templates_stream(t->id), templates.state,
                                templates.position);
        !read)
      return unexpected{"cannot read the SMS templates of " + t->id + ": " + read.error().message};
    auto& config = find_or_add(t->id);
    std::lock_guard lock(config.reading);
    config.settings = std::make_shared<const settings_snapshot>(std::move(settings));
    config.templates = std::make_shared<const template_library>(std::move(templates));
  }
  return {};
}

sms_config_service::tenant_config* sms_config_service::find(std::string_view tenant) const {
  std::shared_lock lock(map_mutex_);
  auto it = configs_.find(std::string(tenant));
  return it == configs_.end() ? nullptr : it->second.get();
}

sms_config_service::tenant_config& sms_config_service::find_or_add(std::string_view tenant) {
  if (auto* found = find(tenant)) return *found;
  std::unique_lock lock(map_mutex_);
  auto& slot = configs_[std::string(tenant)];
  if (!slot) {
    slot = std::make_unique<tenant_config>();
    slot->settings = no_settings();
    slot->templates = no_templates();
  }
  return *slot;
}

std::string sms_config_service::company_name(std::string_view tenant) const {
  auto t = tenants_.by_id(tenant);
  return t ? t->name : std::string();
}

std::shared_ptr<const settings_snapshot> sms_config_service::settings_snapshot_of(
    std::string_view tenant) const {
  auto* config = find(tenant);
  if (!config) return no_settings();
  std::lock_guard lock(config->reading);
  return config->settings;
}

domain::sms_settings sms_config_service::settings_of(std::string_view tenant) const {
  return domain::effective_settings(settings_snapshot_of(tenant)->state, company_name(tenant));
}

std::shared_ptr<const template_library> sms_config_service::templates_of(
    std::string_view tenant) const {
  auto* config = find(tenant);
  if (!config) return no_templates();
  std::lock_guard lock(config->reading);
  return config->templates;
}

}  // namespace fl::notifications
