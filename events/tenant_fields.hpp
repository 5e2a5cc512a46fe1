#pragma once

// The frozen stored format of the tenant events, v1. Keys in ascending order.

#include "events/field_table.hpp"
#include "events/tenant_events.hpp"

namespace fl::events {

constexpr auto fields(std::type_identity<sender_number>) {
  return std::tuple{field("max_per_second", &sender_number::max_per_second),
                    field("number", &sender_number::number)};
}

constexpr auto fields(std::type_identity<tenant_created>) {
  return std::tuple{field("api_token_sha256", &tenant_created::api_token_sha256),
                    field("messaging_service_sid", &tenant_created::messaging_service_sid),
                    field("name", &tenant_created::name),
                    field("numbers", &tenant_created::numbers),
                    field("region", &tenant_created::region),
                    field("tenant_id", &tenant_created::tenant_id),
                    field("timezone", &tenant_created::timezone),
                    field("twilio_account_sid", &tenant_created::twilio_account_sid),
                    field("twilio_auth_token", &tenant_created::twilio_auth_token)};
}

static_assert(canonical_order(fields(std::type_identity<sender_number>{})));
static_assert(canonical_order(fields(std::type_identity<tenant_created>{})));

}  // namespace fl::events
