#pragma once

#include <string_view>
#include <variant>

#include "events/consent_events.hpp"
#include "events/conversation_events.hpp"
#include "events/sms_events.hpp"
#include "events/tenant_events.hpp"

namespace fl::events {

/// Every event fieldline records: a closed set. Adding one here makes every
/// `std::visit` without a branch for it fail to compile, which is the point.
using event = std::variant<sms_received, sms_queued, sms_sent, sms_status_changed, sms_failed,
                           tenant_created, opted_out, opted_in, conversation_read>;

/// The stable name under which `e` is stored.
std::string_view type_name_of(const event& e);

/// The schema version `e` is written with (always the latest).
int schema_version_of(const event& e);

/// Helper for `std::visit` with one lambda per alternative.
template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

}  // namespace fl::events
