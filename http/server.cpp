// The one translation unit that instantiates RESTinio's server and router.

#include "http/server.hpp"

#include <nlohmann/json.hpp>
#include <restinio/all.hpp>

#include <atomic>

namespace fl::http {

namespace {

struct traits : restinio::default_traits_t {
  using request_handler_t = restinio::router::express_router_t<>;
};

using router_t = restinio::router::express_router_t<>;

restinio::request_handling_status_t reply_json(const restinio::request_handle_t& req,
                                               restinio::http_status_line_t status,
                                               const nlohmann::json& body) {
  return req->create_response(status)
      .append_header(restinio::http_field::content_type, "application/json")
      .set_body(body.dump())
      .done();
}

restinio::request_handling_status_t reply_error(const restinio::request_handle_t& req,
                                                restinio::http_status_line_t status,
                                                std::string_view code, std::string_view message) {
  return reply_json(req, status, {{"error", {{"code", code}, {"message", message}}}});
}

void add_health_routes(router_t& router, const server_deps& deps) {
  router.http_get("/healthz", [](auto req, auto) {
    return reply_json(req, restinio::status_ok(), {{"status", "ok"}});
  });
  router.http_get("/readyz", [deps](auto req, auto) {
    bool ready = deps.ready ? deps.ready() : true;
    nlohmann::json body{{"ready", ready}};
    if (deps.readiness_detail) body["detail"] = deps.readiness_detail();
    return reply_json(req, ready ? restinio::status_ok() : restinio::status_service_unavailable(),
                      body);
  });
}

std::unique_ptr<router_t> make_router(const server_deps& deps) {
  auto router = std::make_unique<router_t>();
  add_health_routes(*router, deps);
  router->non_matched_request_handler([](auto req) {
    return reply_error(req, restinio::status_not_found(), "not_found", "no such route");
  });
  return router;
}

}  // namespace

struct server::impl {
  std::unique_ptr<restinio::running_server_instance_t<restinio::http_server_t<traits>>> running;
  std::atomic<std::uint16_t> port{0};
  bool stopped = false;
};

expected<std::unique_ptr<server>, std::string> server::start(server_settings settings,
                                                             server_deps deps) {
  auto p = std::make_unique<impl>();
  auto* port_out = &p->port;
  try {
    p->running = restinio::run_async<traits>(
        restinio::own_io_context(),
        restinio::server_settings_t<traits>{}
            .address(settings.address)
            .port(settings.port)
            .request_handler(make_router(deps))
            .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                          .max_url_size(8 * 1024)
                                          .max_field_name_size(1024)
                                          .max_field_value_size(8 * 1024)
                                          .max_field_count(100)
                                          .max_body_size(64 * 1024))
            .read_next_http_message_timelimit(std::chrono::seconds(30))
            .write_http_response_timelimit(std::chrono::seconds(10))
            .handle_request_timeout(std::chrono::seconds(10))
            .acceptor_post_bind_hook([port_out](asio::ip::tcp::acceptor& acceptor) {
              port_out->store(acceptor.local_endpoint().port());
            }),
        settings.threads);
  } catch (const std::exception& e) {
    return unexpected{std::string("cannot listen on ") + settings.address + ":" +
                      std::to_string(settings.port) + ": " + e.what()};
  }
  return std::unique_ptr<server>(new server(std::move(p)));
}

server::server(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

server::~server() {
  stop();
}

std::uint16_t server::port() const {
  return impl_->port.load();
}

void server::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->running->stop();
  impl_->running->wait();
}

}  // namespace fl::http
