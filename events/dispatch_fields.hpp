#pragma once

// The frozen stored format of the field-service directory events, v1. Keys in
// ascending order.

#include "events/dispatch_events.hpp"
#include "events/field_table.hpp"

namespace fl::events {

constexpr auto fields(std::type_identity<customer_registered>) {
  return std::tuple{field("address", &customer_registered::address),
                    field("customer_id", &customer_registered::customer_id),
                    field("first_name", &customer_registered::first_name),
                    field("last_name", &customer_registered::last_name),
                    field("phone", &customer_registered::phone)};
}

constexpr auto fields(std::type_identity<customer_updated>) {
  return std::tuple{field("address", &customer_updated::address),
                    field("first_name", &customer_updated::first_name),
                    field("last_name", &customer_updated::last_name),
                    field("phone", &customer_updated::phone)};
}

constexpr auto fields(std::type_identity<technician_registered>) {
  return std::tuple{field("first_name", &technician_registered::first_name),
                    field("last_name", &technician_registered::last_name),
                    field("phone", &technician_registered::phone),
                    field("technician_id", &technician_registered::technician_id)};
}

constexpr auto fields(std::type_identity<technician_updated>) {
  return std::tuple{field("first_name", &technician_updated::first_name),
                    field("last_name", &technician_updated::last_name),
                    field("phone", &technician_updated::phone)};
}

constexpr auto fields(std::type_identity<technician_status_changed>) {
  return std::tuple{field("job_id", &technician_status_changed::job_id),
                    field("source", &technician_status_changed::source),
                    field("status", &technician_status_changed::status)};
}

constexpr auto fields(std::type_identity<technician_located>) {
  return std::tuple{field("lat", &technician_located::lat), field("lon", &technician_located::lon),
                    field("recorded_at_us", &technician_located::recorded_at_us),
                    field("speed_mps", &technician_located::speed_mps)};
}

constexpr auto fields(std::type_identity<job_created>) {
  return std::tuple{field("address", &job_created::address),
                    field("customer_id", &job_created::customer_id),
                    field("invoice_link", &job_created::invoice_link),
                    field("job_id", &job_created::job_id),
                    field("lat", &job_created::lat),
                    field("lon", &job_created::lon),
                    field("scheduled_at_us", &job_created::scheduled_at_us)};
}

constexpr auto fields(std::type_identity<job_updated>) {
  return std::tuple{field("address", &job_updated::address),
                    field("invoice_link", &job_updated::invoice_link),
                    field("lat", &job_updated::lat), field("lon", &job_updated::lon)};
}

constexpr auto fields(std::type_identity<job_rescheduled>) {
  return std::tuple{field("scheduled_at_us", &job_rescheduled::scheduled_at_us)};
}

constexpr auto fields(std::type_identity<job_assigned>) {
  return std::tuple{field("technician_id", &job_assigned::technician_id)};
}

constexpr auto fields(std::type_identity<job_status_changed>) {
  return std::tuple{field("status", &job_status_changed::status),
                    field("technician_id", &job_status_changed::technician_id)};
}

static_assert(canonical_order(fields(std::type_identity<customer_registered>{})));
static_assert(canonical_order(fields(std::type_identity<customer_updated>{})));
static_assert(canonical_order(fields(std::type_identity<technician_registered>{})));
static_assert(canonical_order(fields(std::type_identity<technician_updated>{})));
static_assert(canonical_order(fields(std::type_identity<technician_status_changed>{})));
static_assert(canonical_order(fields(std::type_identity<technician_located>{})));
static_assert(canonical_order(fields(std::type_identity<job_created>{})));
static_assert(canonical_order(fields(std::type_identity<job_updated>{})));
static_assert(canonical_order(fields(std::type_identity<job_rescheduled>{})));
static_assert(canonical_order(fields(std::type_identity<job_assigned>{})));
static_assert(canonical_order(fields(std::type_identity<job_status_changed>{})));

}  // namespace fl::events
