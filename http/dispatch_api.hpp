#pragma once

// The field-service directory's write routes (tenant token): customers,
// technicians and jobs, technician status and location (one fix, or the
// NDJSON stream), and the notification triggers by hand and the reminder
// sweep. Each is a command to the entity's actor (actors::dispatch_runtime);
// the answer comes once what it caused is durable and carries `position`.
// The directory's GET routes are answered from its projection.

#include <string>

#include "actors/consent_registry.hpp"
#include "actors/dispatch_runtime.hpp"
#include "domain/tenant_directory.hpp"
#include "http/exchange.hpp"

namespace fl::http {

struct dispatch_api_deps {
  const domain::tenant_directory* tenants = nullptr;
  actors::dispatch_runtime* dispatch = nullptr;  // absent: 503
  const actors::consent_registry* consent = nullptr;
};

/// The largest `POST /locations` body: thousands of ~100-byte lines.
inline constexpr std::size_t max_location_stream_body = 8 * 1024 * 1024;

/// `POST /api/v1/customers` `{id?, first_name, last_name?, phone, address?}` → 201.
void handle_create_customer(const dispatch_api_deps& deps, const request_view& req,
                            respond_fn respond);
/// `PUT /api/v1/customers/{id}`: every field (a PUT replaces them).
void handle_put_customer(const dispatch_api_deps& deps, const request_view& req,
                         const std::string& id, respond_fn respond);
/// `POST /api/v1/technicians` `{id?, first_name, last_name?, phone}` → 201.
void handle_create_technician(const dispatch_api_deps& deps, const request_view& req,
                              respond_fn respond);
void handle_put_technician(const dispatch_api_deps& deps, const request_view& req,
                           const std::string& id, respond_fn respond);

/// `POST /api/v1/technicians/{id}/status` `{status, job_id?}`.
void handle_technician_status(const dispatch_api_deps& deps, const request_view& req,
                              const std::string& id, respond_fn respond);
/// `POST /api/v1/technicians/{id}/location` `{lat, lon, recorded_at?, speed_mps?}`.
void handle_technician_location(const dispatch_api_deps& deps, const request_view& req,
                                const std::string& id, respond_fn respond);
/// `POST /api/v1/locations`: NDJSON, `{technician_id, lat, lon, recorded_at,
/// speed_mps?}` a line → `{accepted, rejected, errors: [{line, field,
/// message}], position}`. Good lines are taken whatever the bad ones.
void handle_location_stream(const dispatch_api_deps& deps, const request_view& req,
                            respond_fn respond);

/// `POST /api/v1/jobs` `{id?, customer_id, technician_id?, address, lat?,
/// lon?, scheduled_at, invoice_link?}` → 201; a technician named is
/// assigned (the `scheduled` text).
void handle_create_job(const dispatch_api_deps& deps, const request_view& req, respond_fn respond);
/// `PUT /api/v1/jobs/{id}` `{address, lat?, lon?, scheduled_at, invoice_link?}`:
/// a new time re-arms the reminder.
void handle_put_job(const dispatch_api_deps& deps, const request_view& req, const std::string& id,
                    respond_fn respond);
/// `POST /api/v1/jobs/{id}/assign` `{technician_id}`.
void handle_assign_job(const dispatch_api_deps& deps, const request_view& req,
                       const std::string& id, respond_fn respond);
/// `POST /api/v1/jobs/{id}/cancel`: no more texts for it.
void handle_cancel_job(const dispatch_api_deps& deps, const request_view& req,
                       const std::string& id, respond_fn respond);
/// `POST /api/v1/sms/trigger/{type}` `{job_id}`.
void handle_trigger_notification(const dispatch_api_deps& deps, const request_view& req,
                                 const std::string& type, respond_fn respond);
/// `POST /api/v1/sms/send-reminders` `{as_of?}` →
/// `{jobs_checked, reminders, failed_jobs, position}`.
void handle_send_reminders(const dispatch_api_deps& deps, const request_view& req,
                           respond_fn respond);

}  // namespace fl::http
