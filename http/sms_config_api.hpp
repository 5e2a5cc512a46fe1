#pragma once

// `/api/v1/sms/settings` and `/api/v1/sms/templates…` (tenant token): the
// tenant's SMS settings and notification templates, answered from
// notifications::sms_config_service (read-your-writes without waiting for
// the projections). Writes answer the log `position`.

#include <string>

#include "domain/tenant_directory.hpp"
#include "http/exchange.hpp"

#include "notifications/sms_config_service.hpp"

namespace fl::http {

struct sms_config_api_deps {
  const domain::tenant_directory* tenants = nullptr;
  notifications::sms_config_service* service = nullptr;  // absent: 503
};

/// `GET /api/v1/sms/settings`: the settings in force (defaults until saved).
void handle_get_sms_settings(const sms_config_api_deps& deps, const request_view& req,
                             respond_fn respond);
/// `PUT /api/v1/sms/settings`: the whole object or any part of it (fields
/// left out keep their value, `triggers` too); answers the settings in force
/// and `position`.
void handle_put_sms_settings(const sms_config_api_deps& deps, const request_view& req,
                             respond_fn respond);

/// `GET /api/v1/sms/templates`: every template, in order of creation.
void handle_list_sms_templates(const sms_config_api_deps& deps, const request_view& req,
                               respond_fn respond);
/// `POST /api/v1/sms/templates` `{name, body, trigger?, enabled?}` → 201.
void handle_create_sms_template(const sms_config_api_deps& deps, const request_view& req,
                                respond_fn respond);
void handle_get_sms_template(const sms_config_api_deps& deps, const request_view& req,
                             const std::string& id, respond_fn respond);
/// `PUT /api/v1/sms/templates/{id}`: fields left out keep their value.
void handle_put_sms_template(const sms_config_api_deps& deps, const request_view& req,
                             const std::string& id, respond_fn respond);
void handle_delete_sms_template(const sms_config_api_deps& deps, const request_view& req,
                                const std::string& id, respond_fn respond);
/// `POST /api/v1/sms/templates/seed`: the default templates not there yet.
void handle_seed_sms_templates(const sms_config_api_deps& deps, const request_view& req,
                               respond_fn respond);
/// `POST /api/v1/sms/templates/preview` `{body | template_id, variables?}`.
void handle_preview_sms_template(const sms_config_api_deps& deps, const request_view& req,
                                 respond_fn respond);

}  // namespace fl::http
