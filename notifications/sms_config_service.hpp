#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/expected.hpp"
#include "domain/sms_settings.hpp"
#include "domain/sms_settings_state.hpp"
#include "domain/template_library.hpp"
#include "domain/tenant_directory.hpp"
#include "events/event.hpp"
#include "storage/event_store.hpp"

#include "notifications/change_error.hpp"

namespace fl::notifications {

/// A tenant's settings stream as last folded, and where its last event is.
struct settings_snapshot {
  domain::sms_settings_state state;
  std::uint64_t position = 0;  // log position of the stream's last event; 0: none
};

/// A tenant's template library as last folded, and where its last event is.
struct template_library {
  domain::template_library_state state;
  std::uint64_t position = 0;  // log position of the stream's last event; 0: none
};

/// What a settings change left in force.
struct settings_change {
  domain::sms_settings settings;
  // The position of the event recording `settings`; when nothing changed,
  // the stream's last event's (so the same request twice answers the same
  // position), 0 if the tenant never saved any.
  std::uint64_t position = 0;
  bool recorded = false;  // an event was appended
};

/// What a template command did.
struct template_change {
  std::shared_ptr<const template_library> library;  // after the change
  std::vector<events::event> recorded;              // empty: nothing changed
  std::uint64_t position = 0;  // last event appended, else the stream's last one
};

using settings_change_error = change_error<domain::settings_error>;
using template_change_error = change_error<domain::template_library_error>;

/// Every tenant's SMS settings (`sms-settings:<tenant>`) and notification
/// templates (`sms-templates:<tenant>`), folded in memory from the log and
/// changed only through it: decide with the domain, append with the stream's
/// expected version, then evolve.
///
/// Thread safety: every member may be called from any thread. Writes to one
/// tenant are serialized; reads never wait for a write's fsync and answer
/// immutable snapshots. The service is the only writer of these streams; if
/// the log still refuses a version (another writer), it re-reads the stream
/// and decides once more, then gives up (`unavailable`).
class sms_config_service {
 public:
  /// `new_template_id` makes ids of created templates. Default: "tpl_" and
  /// 16 random hex digits.
  sms_config_service(storage::event_store& store, const domain::tenant_directory& tenants,
                     std::function<std::string()> new_template_id = {});

  /// Reads both streams of every tenant in the directory (at start, before
  /// serving). Tenants created later start empty.
  [[nodiscard]] expected<void, std::string> load();

  /// The settings in force for `tenant`: the saved ones, else the defaults
  /// (company name = the tenant's name).
  domain::sms_settings settings_of(std::string_view tenant) const;

  /// The tenant's settings stream as folded (never null).
  std::shared_ptr<const settings_snapshot> settings_snapshot_of(std::string_view tenant) const;

  /// The tenant's template library (never null; empty until something is
  /// saved or seeded).
  std::shared_ptr<const template_library> templates_of(std::string_view tenant) const;

  /// Replaces the settings with `edit(settings in force)`, under the tenant's
  /// write lock, so a partial edit merges onto the latest settings. Nothing is
  /// recorded when the result equals what is in force. Errors: `rejected`
  /// with validate_sms_settings's reason, `unavailable`.
  using settings_edit = std::function<domain::sms_settings(domain::sms_settings current)>;
  [[nodiscard]] expected<settings_change, settings_change_error> change_settings(
      std::string_view tenant, const settings_edit& edit);

  /// Runs the command `build(library)` makes, under the tenant's write lock
  /// (a PUT merging onto a template builds its command from the latest one).
  /// Errors: `rejected` with the domain's reason (or `build`'s), `unavailable`.
  using template_build =
      std::function<expected<domain::template_command, domain::template_library_error>(
          const domain::template_library_state& current)>;
  [[nodiscard]] expected<template_change, template_change_error> change_templates(
      std::string_view tenant, const template_build& build);

  /// `change_templates` with a fixed command.
  [[nodiscard]] expected<template_change, template_change_error> change_templates(
      std::string_view tenant, domain::template_command command);

 private:
  struct tenant_config {
    std::mutex writing;          // serializes this tenant's writes
    mutable std::mutex reading;  // guards the two pointers below (held only to copy them)
    std::shared_ptr<const settings_snapshot> settings;
    std::shared_ptr<const template_library> templates;
  };

  // Null when the tenant has no entry yet.
  tenant_config* find(std::string_view tenant) const;
  tenant_config& find_or_add(std::string_view tenant);
  std::string company_name(std::string_view tenant) const;

  storage::event_store& store_;
  const domain::tenant_directory& tenants_;
  std::function<std::string()> new_template_id_;
  mutable std::shared_mutex map_mutex_;
  std::unordered_map<std::string, std::unique_ptr<tenant_config>> configs_;
};

}  // namespace fl::notifications
