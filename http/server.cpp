// The one translation unit that instantiates RESTinio's server and router.
// Handlers live in RESTinio-free files; each route here only adapts.

#include "http/server.hpp"

#include <nlohmann/json.hpp>
#include <restinio/all.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>

namespace fl::http {

namespace {

struct traits : restinio::default_traits_t {
  using request_handler_t = restinio::router::express_router_t<>;
};

using router_t = restinio::router::express_router_t<>;
using handle_t = restinio::request_handle_t;

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

// Ids that are unique per process run and distinct across restarts.
class request_ids {
 public:
  request_ids() : prefix_(static_cast<std::uint32_t>(std::random_device{}())) {}
  std::string next() { return fmt::format("{:08x}{:08x}", prefix_, counter_.fetch_add(1) + 1); }

 private:
  std::uint32_t prefix_;
  std::atomic<std::uint32_t> counter_{0};
};

struct edge {
  server_deps deps;
  request_ids ids;
  // Graceful stop: once draining, new requests get 503 and `stop` waits for
  // the answers still owed (some come later, from actors).
  std::atomic<bool> draining{false};
  std::mutex in_flight_mutex;
  std::condition_variable in_flight_done;
  std::size_t in_flight = 0;

  void begin() {
    std::lock_guard lock(in_flight_mutex);
    ++in_flight;
  }
  void end() {
    {
      std::lock_guard lock(in_flight_mutex);
      --in_flight;
    }
    in_flight_done.notify_all();
  }
  bool wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(in_flight_mutex);
    return in_flight_done.wait_for(lock, timeout, [this] { return in_flight == 0; });
  }
};

request_view view_of(const handle_t& req, std::string request_id) {
  request_view v;
  const auto& h = req->header();
  v.method = std::string(h.method().c_str());
  v.target = h.request_target();
  v.path = std::string(h.path());
  v.query = std::string(h.query());
  v.body = req->body();
  v.request_id = std::move(request_id);
  v.header = [req](std::string_view name) -> std::optional<std::string> {
    if (!req->header().has_field(name)) return std::nullopt;
    return req->header().get_field_or(name, "");
  };
  return v;
}

// Runs `handler` with a view of the request and a respond function usable
// later from any thread (an actor's), exactly once.
template <class Handler>
restinio::request_handling_status_t serve(edge& e, std::string_view route, const handle_t& req,
                                          Handler&& handler) {
  auto started = std::chrono::steady_clock::now();
  std::string rid = e.ids.next();
  metrics* m = e.deps.metrics;
  e.begin();
  edge* owner = &e;
  respond_fn respond = [req, route, started, rid, m, owner](answer a) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // Counted before the answer leaves, so a client's next request sees it.
    if (m) m->observe_request(route, a.status, seconds);
    if (a.status >= 400)
      spdlog::info("req={} {} {} -> {} ({:.2f} ms)", rid, req->header().method().c_str(),
                   req->header().path(), a.status, seconds * 1000);
    else
      spdlog::debug("req={} {} {} -> {} ({:.2f} ms)", rid, req->header().method().c_str(),
                    req->header().path(), a.status, seconds * 1000);
    req->create_response(restinio::http_status_line_t{
                             restinio::http_status_code_t{static_cast<std::uint16_t>(a.status)},
                             std::string(reason_phrase(a.status))})
        .append_header(restinio::http_field::content_type, a.content_type)
        .append_header("X-Request-Id", rid)
        .set_body(std::move(a.body))
        .done();
    owner->end();
  };
  if (e.draining.load()) {
    respond(error_answer(503, "shutting_down", "the server is shutting down; retry shortly"));
    return restinio::request_accepted();
  }
  if (req->body().size() > max_request_body) {
    respond(error_answer(
        413, "body_too_large",
        "request bodies are limited to " + std::to_string(max_request_body) + " bytes"));
    return restinio::request_accepted();
  }
  try {
    handler(view_of(req, rid), respond);
  } catch (const std::exception& ex) {
    // Only a bug gets here; the client still gets an answer and the log the why.
    spdlog::error("req={} handler failed: {}", rid, ex.what());
    respond(error_answer(500, "internal", "internal error, see the server log for request " + rid));
  }
  return restinio::request_accepted();
}

void add_health_routes(router_t& router, edge& e) {
  router.http_get("/healthz", [&e](auto req, auto) {
    return serve(e, "/healthz", req, [](const request_view&, const respond_fn& respond) {
      respond(json_answer(200, R"({"status":"ok"})"));
    });
  });
  router.http_get("/readyz", [&e](auto req, auto) {
    return serve(e, "/readyz", req, [&e](const request_view&, const respond_fn& respond) {
      bool ready = e.deps.ready ? e.deps.ready() : true;
      nlohmann::json body{{"ready", ready}};
      if (e.deps.readiness_detail) body["detail"] = e.deps.readiness_detail();
      respond(json_answer(ready ? 200 : 503, body.dump()));
    });
  });
  router.http_get("/metrics", [&e](auto req, auto) {
    return serve(e, "/metrics", req, [&e](const request_view&, const respond_fn& respond) {
      std::string text = e.deps.metrics ? e.deps.metrics->render() : std::string();
      respond(answer{200, "text/plain; version=0.0.4", std::move(text)});
    });
  });
}

void add_twilio_routes(router_t& router, edge& e) {
  router.http_post("/sms/webhook", [&e](auto req, auto) {
    return serve(e, "/sms/webhook", req, [&e](const request_view& v, respond_fn respond) {
      handle_inbound_webhook(e.deps.twilio, v, std::move(respond));
    });
  });
  router.http_post("/sms/status", [&e](auto req, auto) {
    return serve(e, "/sms/status", req, [&e](const request_view& v, respond_fn respond) {
      handle_status_callback(e.deps.twilio, v, std::move(respond));
    });
  });
}

void add_admin_routes(router_t& router, edge& e) {
  router.http_post("/api/v1/tenants", [&e](auto req, auto) {
    return serve(e, "/api/v1/tenants", req, [&e](const request_view& v, respond_fn respond) {
      handle_create_tenant(e.deps.admin, v, std::move(respond));
    });
  });
  router.http_get("/api/v1/tenants", [&e](auto req, auto) {
    return serve(e, "/api/v1/tenants", req, [&e](const request_view& v, respond_fn respond) {
      handle_list_tenants(e.deps.admin, v, std::move(respond));
    });
  });
  router.http_get("/api/v1/tenants/:id", [&e](auto req, auto params) {
    std::string id(params["id"]);
    return serve(e, "/api/v1/tenants/:id", req,
                 [&e, id](const request_view& v, respond_fn respond) {
                   handle_get_tenant(e.deps.admin, v, id, std::move(respond));
                 });
  });
  router.http_post("/api/v1/sms/send", [&e](auto req, auto) {
    return serve(e, "/api/v1/sms/send", req, [&e](const request_view& v, respond_fn respond) {
      handle_send_sms(e.deps.admin, v, std::move(respond));
    });
  });
}

std::unique_ptr<router_t> make_router(edge& e) {
  auto router = std::make_unique<router_t>();
  add_health_routes(*router, e);
  add_twilio_routes(*router, e);
  add_admin_routes(*router, e);
  router->non_matched_request_handler([&e](auto req) {
    return serve(e, "unmatched", req, [](const request_view&, const respond_fn& respond) {
      respond(error_answer(404, "not_found", "no such route"));
    });
  });
  return router;
}

}  // namespace

struct server::impl {
  edge state;
  std::unique_ptr<restinio::running_server_instance_t<restinio::http_server_t<traits>>> running;
  std::atomic<std::uint16_t> port{0};
  bool stopped = false;
};

expected<std::unique_ptr<server>, std::string> server::start(server_settings settings,
                                                             server_deps deps) {
  auto p = std::make_unique<impl>();
  p->state.deps = std::move(deps);
  auto* port_out = &p->port;
  try {
    p->running = restinio::run_async<traits>(
        restinio::own_io_context(),
        restinio::server_settings_t<traits>{}
            .address(settings.address)
            .port(settings.port)
            .request_handler(make_router(p->state))
            // Bodies up to 1 MiB are read so that 64 KiB..1 MiB get a proper
            // 413; beyond that RESTinio drops the connection.
            .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                          .max_url_size(8 * 1024)
                                          .max_field_name_size(1024)
                                          .max_field_value_size(8 * 1024)
                                          .max_field_count(100)
                                          .max_body_size(1024 * 1024))
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

bool server::drain(std::chrono::milliseconds timeout) {
  impl_->state.draining.store(true);
  return impl_->state.wait_idle(timeout);
}

void server::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->running->stop();
  impl_->running->wait();
}

}  // namespace fl::http
