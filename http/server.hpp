#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/expected.hpp"
#include "http/admin_api.hpp"
#include "http/audit_api.hpp"
#include "http/directory_read_api.hpp"
#include "http/dispatch_api.hpp"
#include "http/metrics.hpp"
#include "http/read_api.hpp"
#include "http/sms_config_api.hpp"
#include "http/ticket_read_api.hpp"
#include "http/twilio_endpoints.hpp"

namespace fl::http {

/// What the HTTP edge needs from the rest of the server.
struct server_deps {
  /// True once the server can serve reads: log open, projections caught up.
  std::function<bool()> ready;
  /// Where readiness is explained when it is false (e.g. "projections at 12/40").
  std::function<std::string()> readiness_detail;
  /// The Twilio-facing routes; absent runtime: those routes answer 503.
  twilio_endpoint_deps twilio;
  /// The `/api/v1` routes.
  admin_api_deps admin;
  /// The SMS read routes (answered from the projections).
  read_api_deps reads;
  /// The audit routes (answered from the log itself).
  audit_api_deps audit;
  /// The SMS settings and template routes.
  sms_config_api_deps sms_config;
  /// The field-service directory's writes, triggers and reminders.
  dispatch_api_deps dispatch;
  /// The directory's read routes (customers, technicians, jobs).
  directory_read_deps directory;
  /// The tickets' read routes.
  ticket_read_deps tickets;
  /// Waits, without holding a server thread, until the projections reached
  /// `position`, then calls `done(true)`; `done(false)` after `timeout`.
  /// Absent: `?min_position=` is taken as already reached.
  std::function<void(std::uint64_t position, std::chrono::milliseconds timeout,
                     std::function<void(bool reached)> done)>
      await_position;
  /// Where requests are counted; may be null.
  http::metrics* metrics = nullptr;
};

/// Where and how to listen.
struct server_settings {
  std::string address = "127.0.0.1";  // Default: loopback only.
  std::uint16_t port = 8080;          // Default: 8080; 0 picks a free port.
  std::size_t threads = 2;            // Default: one per core of the target machine.
};

/// Largest request body taken (api.md): bigger ones get 413.
inline constexpr std::size_t max_request_body = 64 * 1024;

/// How long a GET with `?min_position=` waits for the projections (api.md).
inline constexpr std::chrono::milliseconds min_position_wait = std::chrono::seconds(5);

/// One route the server serves.
struct route_info {
  std::string method;  // "GET", "POST", ...
  std::string path;    // in OpenAPI form: "/api/v1/tenants/{id}"
  friend bool operator==(const route_info&, const route_info&) = default;
};

/// Every route a server registers, in registration order, without starting one.
std::vector<route_info> server_routes();

/// The RESTinio server, behind a pimpl so its headers (seconds per
/// translation unit) stay in http/.
class server {
 public:
  /// Binds and starts serving; an error message if the address is unusable.
  static expected<std::unique_ptr<server>, std::string> start(server_settings settings,
                                                              server_deps deps);
  /// Stops accepting, lets requests in flight finish, and joins the threads.
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// The port actually bound (useful with port 0).
  std::uint16_t port() const;

  /// The routes this server registered.
  std::vector<route_info> routes() const;

  /// Answers new requests with 503 and waits until every request already
  /// taken has been answered (at most `timeout`); false if some were not.
  bool drain(std::chrono::milliseconds timeout);

  /// Stops accepting and waits for the server threads; idempotent. The
  /// object (and the deps it holds) must outlive every late reply, so
  /// destroy it only after the actors have stopped.
  void stop();

 private:
  struct impl;
  explicit server(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace fl::http
