#pragma once

#include <memory>
#include <string>

#include "actors/dispatch_runtime.hpp"
#include "actors/messaging_runtime.hpp"
#include "actors/ticket_runtime.hpp"
#include "app/config.hpp"
#include "base/expected.hpp"
#include "domain/interpreter.hpp"
#include "domain/outbound_policy.hpp"
#include "domain/tenant_directory.hpp"
#include "http/metrics.hpp"
#include "http/server.hpp"
#include "projections/projection_db.hpp"
#include "projections/projector.hpp"
#include "projections/read_model.hpp"
#include "projections/rebuild.hpp"
#include "storage/event_store.hpp"

#include "notifications/sms_config_service.hpp"
#include "outbound/sandbox_transport.hpp"
#include "outbound/transport.hpp"
#include "outbound/twilio_transport.hpp"
#include "outbox/dispatcher.hpp"
#include "tenants/tenant_service.hpp"

namespace fl::app {

/// Knobs that are not configuration: tests and benchmarks turn them.
struct assembly_options {
  actors::runtime_options runtime;    // Default: see runtime_options.
  domain::retry_policy retry;         // Default: see retry_policy.
  twilio::rest_options rest;          // Default: see rest_options (api_base comes from config).
  std::size_t http_threads = 2;       // Default: the machine's 2 cores.
  actors::dispatch_options dispatch;  // Default: see dispatch_options (the clock is runtime's).
};

/// The running server: the log, tenants, the SMS transport and outbox
/// dispatcher, the actors and the HTTP edge, wired once and torn down in the
/// one safe order (stop HTTP → let actors finish → stop sending → close).
class assembly {
 public:
  static expected<std::unique_ptr<assembly>, std::string> start(const config& cfg,
                                                                assembly_options options = {});
  ~assembly();
  assembly(const assembly&) = delete;
  assembly& operator=(const assembly&) = delete;

  std::uint16_t port() const { return server_->port(); }
  storage::event_store& store() { return *store_; }
  domain::tenant_directory& tenants() { return directory_; }
  tenants::tenant_service& tenant_service() { return *tenant_service_; }
  notifications::sms_config_service& sms_config() { return *sms_config_; }
  actors::messaging_runtime& runtime() { return *runtime_; }
  outbox::dispatcher& dispatcher() { return *dispatcher_; }
  actors::dispatch_runtime& dispatch() { return *dispatch_; }
  projections::projector& projector() { return *projector_; }
  const projections::read_model& reads() const { return *reads_; }
  projections::projection_db& projection_db() { return *projection_db_; }

  /// The orderly shutdown; idempotent.
  void stop();

 private:
  assembly() = default;

  config cfg_;
  std::unique_ptr<storage::event_store> store_;
  domain::tenant_directory directory_;
  std::unique_ptr<tenants::tenant_service> tenant_service_;
  std::unique_ptr<notifications::sms_config_service> sms_config_;
  std::unique_ptr<projections::projection_db> projection_db_;
  projections::projection_set projection_set_;
  std::unique_ptr<projections::projector> projector_;
  std::unique_ptr<projections::read_model> reads_;
  std::atomic<std::uint64_t> verify_runs_{0};
  http::metrics metrics_;
  actors::consent_registry consent_;
  actors::messaging_runtime* runtime_for_callbacks_ = nullptr;  // set once built
  std::unique_ptr<outbound::transport> transport_;
  std::unique_ptr<outbox::dispatcher> dispatcher_;
  std::unique_ptr<actors::messaging_runtime> runtime_;
  std::unique_ptr<actors::dispatch_runtime> dispatch_;
  std::unique_ptr<domain::interpreter> interpreter_;
  std::unique_ptr<actors::ticket_runtime> tickets_;
  std::unique_ptr<http::server> server_;
  bool stopped_ = false;
};

}  // namespace fl::app
