#pragma once

// The frozen stored format of the SMS events, v1. Keys in ascending order.

#include "events/field_table.hpp"
#include "events/sms_events.hpp"

namespace fl::events {

constexpr auto fields(std::type_identity<media_item>) {
  return std::tuple{field("content_type", &media_item::content_type),
                    field("url", &media_item::url)};
}

constexpr auto fields(std::type_identity<sms_received>) {
  return std::tuple{field("account_sid", &sms_received::account_sid),
                    field("body", &sms_received::body),
                    field("from", &sms_received::from),
                    field("media", &sms_received::media),
                    field("message_sid", &sms_received::message_sid),
                    field("messaging_service_sid", &sms_received::messaging_service_sid),
                    field("to", &sms_received::to)};
}

constexpr auto fields(std::type_identity<sms_queued>) {
  return std::tuple{field("body", &sms_queued::body),
                    field("contractor_id", &sms_queued::contractor_id),
                    field("customer_id", &sms_queued::customer_id),
                    field("encoding", &sms_queued::encoding),
                    field("from", &sms_queued::from),
                    field("job_id", &sms_queued::job_id),
                    field("message_id", &sms_queued::message_id),
                    field("segments", &sms_queued::segments),
                    field("to", &sms_queued::to),
                    field("trigger", &sms_queued::trigger)};
}

constexpr auto fields(std::type_identity<sms_sent>) {
  return std::tuple{field("message_id", &sms_sent::message_id),
                    field("message_sid", &sms_sent::message_sid)};
}

constexpr auto fields(std::type_identity<sms_status_changed>) {
  return std::tuple{field("error_code", &sms_status_changed::error_code),
                    field("message_sid", &sms_status_changed::message_sid),
                    field("status", &sms_status_changed::status)};
}

constexpr auto fields(std::type_identity<sms_failed>) {
  return std::tuple{field("error_code", &sms_failed::error_code),
                    field("error_message", &sms_failed::error_message),
                    field("message_id", &sms_failed::message_id),
                    field("permanent", &sms_failed::permanent)};
}

static_assert(canonical_order(fields(std::type_identity<media_item>{})));
static_assert(canonical_order(fields(std::type_identity<sms_received>{})));
static_assert(canonical_order(fields(std::type_identity<sms_queued>{})));
static_assert(canonical_order(fields(std::type_identity<sms_sent>{})));
static_assert(canonical_order(fields(std::type_identity<sms_status_changed>{})));
static_assert(canonical_order(fields(std::type_identity<sms_failed>{})));

}  // namespace fl::events
