#pragma once

#include <concepts>
#include <string_view>
#include <variant>

#include "events/consent_events.hpp"
#include "events/contractor_events.hpp"
#include "events/conversation_events.hpp"
#include "events/dispatch_events.hpp"
#include "events/notification_events.hpp"
#include "events/sms_events.hpp"
#include "events/tenant_events.hpp"
#include "events/ticket_events.hpp"

namespace fl::events {

/// Every event fieldline records: a closed set. Adding one here makes every
/// `std::visit` without a branch for it fail to compile, which is the point.
using event = std::variant<
    sms_received, sms_queued, sms_sent, sms_status_changed, sms_failed, tenant_created, opted_out,
    opted_in, conversation_read, customer_registered, customer_updated, technician_registered,
    technician_updated, technician_status_changed, technician_located, job_created, job_updated,
    job_rescheduled, job_assigned, job_status_changed, notification_triggered, notification_queued,
    notification_skipped, sms_settings_changed, sms_template_saved, sms_template_deleted,
    ticket_started, ticket_details_added, ticket_completed, ticket_session_moved, ticket_text_read,
    contractor_registered, contractor_updated, contractor_preferences_set, assignment_text_held,
    assignment_text_released, property_registered, contractor_assigned, contractor_unassigned>;

/// `T` is one of `Ts`.
template <class T, class... Ts>
concept one_of = (std::same_as<T, Ts> || ...);

/// The events of the field-service side (customers, technicians, jobs, their
/// notifications, SMS settings and templates): none is a conversation's
/// business, so a conversation's `std::visit` handles them in one branch.
template <class T>
concept field_service_event =
    one_of<T, customer_registered, customer_updated, technician_registered, technician_updated,
           technician_status_changed, technician_located, job_created, job_updated, job_rescheduled,
           job_assigned, job_status_changed, notification_triggered, notification_queued,
           notification_skipped, sms_settings_changed, sms_template_saved, sms_template_deleted>;

/// The events of a contractor's ticket session: not a conversation's
/// business either.
template <class T>
concept ticket_event = one_of<T, ticket_started, ticket_details_added, ticket_completed,
                              ticket_session_moved, ticket_text_read>;

/// The events of the contractor directory (contractors, properties,
/// assignments and the held assignment texts): not a conversation's
/// business either.
template <class T>
concept contractor_event =
    one_of<T, contractor_registered, contractor_updated, contractor_preferences_set,
           assignment_text_held, assignment_text_released, property_registered, contractor_assigned,
           contractor_unassigned>;

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
