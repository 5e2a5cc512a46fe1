#pragma once

// The SMS read routes of api.md: message lists, conversations, stats. They
// answer from the projections (`projections::read_model`); marking a
// conversation read is a write and goes through its actor.

#include <string>

#include "actors/messaging_runtime.hpp"
#include "base/timestamp.hpp"
#include "domain/tenant_directory.hpp"
#include "http/exchange.hpp"
#include "storage/event_store.hpp"

namespace fl::projections {
class read_model;
}

namespace fl::http {

struct read_api_deps {
  const domain::tenant_directory* tenants = nullptr;
  const projections::read_model* reads = nullptr;
  actors::messaging_runtime* runtime = nullptr;
  const storage::event_store* store = nullptr;  // whether a conversation exists, exactly
  fl::clock_fn clock = fl::system_now;          // "today" for stats
};

/// `GET /api/v1/sms/messages?direction=&status=&trigger=&customer_id=&contractor_id=&since=`
void handle_list_messages(const read_api_deps& deps, const request_view& req, respond_fn respond);
/// `GET /api/v1/sms/conversations`
void handle_list_conversations(const read_api_deps& deps, const request_view& req,
                               respond_fn respond);
/// `GET /api/v1/sms/conversations/{id}`
void handle_get_conversation(const read_api_deps& deps, const request_view& req,
                             const std::string& id, respond_fn respond);
/// `POST /api/v1/sms/conversations/{id}/read`
void handle_mark_conversation_read(const read_api_deps& deps, const request_view& req,
                                   const std::string& id, respond_fn respond);
/// `GET /api/v1/sms/stats?date=`
void handle_get_stats(const read_api_deps& deps, const request_view& req, respond_fn respond);

}  // namespace fl::http
