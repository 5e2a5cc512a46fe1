#pragma once

// A tenant's SMS settings as a stream (`sms-settings:<tenant>`): each change
// records all of them. Pure decide and evolve.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "domain/sms_settings.hpp"
#include "events/event.hpp"

namespace fl::domain {

struct sms_settings_state {
  std::uint64_t version = 0;          // stream version after the last evolved event
  std::optional<sms_settings> saved;  // none until the tenant first changes them
  friend bool operator==(const sms_settings_state&, const sms_settings_state&) = default;
};

/// The settings in force: the saved ones, else the defaults of a tenant
/// named `company_name` (default_sms_settings).
sms_settings effective_settings(const sms_settings_state& state, std::string_view company_name);

/// `PUT /sms/settings`: all the settings, as they are to be.
struct change_sms_settings {
  sms_settings settings;
};

/// `sms_settings_changed` when `command.settings` pass validate_sms_settings
/// and differ from the settings in force; nothing when they are the same.
/// Errors: validate_sms_settings's.
[[nodiscard]] expected<std::vector<events::event>, settings_error> decide(
    const sms_settings_state& state, const change_sms_settings& command,
    std::string_view company_name);

/// Applies one event of the settings stream; `version` grows by one for
/// every event.
void evolve(sms_settings_state& state, const events::event& event);

/// The event recording `s`, and the settings an event records.
events::sms_settings_changed to_event(const sms_settings& s);
sms_settings settings_of(const events::sms_settings_changed& e);

}  // namespace fl::domain
