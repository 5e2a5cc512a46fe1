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

#include "http/contractor_api.hpp"
#include "http/query_params.hpp"

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

using route_handler = std::function<void(const request_view&, respond_fn)>;

// Runs the handler; an exception escaping it (a bug) still gets an answer.
void run_handler(const std::string& rid, const route_handler& handler, const request_view& v,
                 const respond_fn& respond) {
  try {
    handler(v, respond);
  } catch (const std::exception& ex) {
    // Only a bug gets here; the client still gets an answer and the log the why.
    spdlog::error("req={} handler failed: {}", rid, ex.what());
    respond(error_answer(500, "internal", "internal error, see the server log for request " + rid));
  }
}

// `?min_position=N` of a query: none, the position, or why it is not one.
expected<std::optional<std::uint64_t>, answer> min_position_of(std::string_view query) {
  auto q = query_params::decode(query);
  if (!q)
    return unexpected{
        invalid_parameter("min_position", "the query string does not decode: " + q.error())};
  return q->number("min_position", 0, UINT64_MAX);
}

// Runs the handler once the projections reached `position`; 503 if they do
// not within `min_position_wait`. No server thread waits meanwhile, and the
// request stays in flight (drain waits for it) until `respond` runs.
void await_then_run(edge& e, std::uint64_t position, std::string rid, request_view view,
                    route_handler handler, respond_fn respond) {
  auto on_done = [&e, position, rid, view = std::move(view), handler = std::move(handler),
                  respond](bool reached) {
    if (reached) return run_handler(rid, handler, view, respond);
    std::string detail = e.deps.readiness_detail ? " (" + e.deps.readiness_detail() + ")" : "";
    respond(error_answer(503, "projections_behind",
                         fmt::format("the projections had not reached position {} after {} ms{}",
                                     position, min_position_wait.count(), detail)));
  };
  try {
    e.deps.await_position(position, min_position_wait, std::move(on_done));
  } catch (const std::exception& ex) {
    spdlog::error("req={} waiting for position {} failed: {}", rid, position, ex.what());
    respond(error_answer(500, "internal", "internal error, see the server log for request " + rid));
  }
}

// Runs `handler` with a view of the request and a respond function usable
// later from any thread (an actor's), exactly once. With `awaits_position`,
// `?min_position=N` first waits (off the server threads) for the projections.
restinio::request_handling_status_t serve(edge& e, std::string route, const handle_t& req,
                                          route_handler handler, bool awaits_position = false,
                                          std::size_t body_limit = max_request_body) {
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
  if (req->body().size() > body_limit) {
    respond(error_answer(413, "body_too_large",
                         "request bodies are limited to " + std::to_string(body_limit) + " bytes"));
    return restinio::request_accepted();
  }
  request_view view = view_of(req, rid);
  if (awaits_position) {
    auto wanted = min_position_of(view.query);
    if (!wanted) {
      respond(std::move(wanted.error()));
      return restinio::request_accepted();
    }
    if (*wanted && e.deps.await_position) {
      await_then_run(e, **wanted, std::move(rid), std::move(view), std::move(handler),
                     std::move(respond));
      return restinio::request_accepted();
    }
  }
  run_handler(rid, handler, view, respond);
  return restinio::request_accepted();
}

// "/api/v1/tenants/:id" as OpenAPI writes it: "/api/v1/tenants/{id}".
std::string openapi_path(std::string_view express) {
  std::string out;
  for (std::size_t i = 0; i < express.size(); ++i) {
    if (express[i] != ':') {
      out += express[i];
      continue;
    }
    auto end = express.find('/', i);
    if (end == std::string_view::npos) end = express.size();
    out += '{';
    out += express.substr(i + 1, end - i - 1);
    out += '}';
    i = end - 1;
  }
  return out;
}

// Registers each route on the router and records it, so the server can say
// which routes it serves (the OpenAPI description is checked against it).
class route_table {
 public:
  route_table(router_t& router, edge& e, std::vector<route_info>& recorded)
      : router_(router), e_(e), recorded_(recorded) {}

  void add(restinio::http_method_id_t method, const std::string& path, route_handler handler,
           std::size_t body_limit = max_request_body) {
    record(method, path);
    bool awaits = awaits_position(method, path);
    router_.add_handler(
        method, path,
        [&e = e_, path, handler = std::move(handler), awaits, body_limit](auto req, auto) {
          return serve(e, path, req, handler, awaits, body_limit);
        });
  }

  /// A route with one parameter (`:name`), handed to `handler` as received.
  void add(restinio::http_method_id_t method, const std::string& path, const std::string& name,
           std::function<void(const request_view&, respond_fn, const std::string&)> handler) {
    add_with_params(method, path, {name},
                    [handler = std::move(handler)](const request_view& v, respond_fn respond,
                                                   const std::vector<std::string>& values) {
                      handler(v, std::move(respond), values[0]);
                    });
  }

  /// A route with two parameters (`:first`, `:second`), handed to `handler`
  /// as received.
  void add(
      restinio::http_method_id_t method, const std::string& path,
      std::pair<std::string, std::string> names,
      std::function<void(const request_view&, respond_fn, const std::string&, const std::string&)>
          handler) {
    add_with_params(method, path, {std::move(names.first), std::move(names.second)},
                    [handler = std::move(handler)](const request_view& v, respond_fn respond,
                                                   const std::vector<std::string>& values) {
                      handler(v, std::move(respond), values[0], values[1]);
                    });
  }

 private:
  // api.md: every GET of the API accepts `?min_position=`; the operations
  // routes (health, readiness, metrics) never wait.
  static bool awaits_position(restinio::http_method_id_t method, std::string_view path) {
    return method == restinio::http_method_get() && path.starts_with("/api/v1/");
  }

  // The parameters named in `names`, in that order, read from the route.
  using params_handler =
      std::function<void(const request_view&, respond_fn, const std::vector<std::string>&)>;
  void add_with_params(restinio::http_method_id_t method, const std::string& path,
                       std::vector<std::string> names, params_handler handler) {
    record(method, path);
    bool awaits = awaits_position(method, path);
    router_.add_handler(
        method, path,
        [&e = e_, path, names = std::move(names), handler = std::move(handler), awaits](
            auto req, auto params) {
          std::vector<std::string> values;
          for (const auto& name : names) values.emplace_back(params[name]);
          return serve(
              e, path, req,
              [handler, values = std::move(values)](const request_view& v, respond_fn respond) {
                handler(v, std::move(respond), values);
              },
              awaits);
        });
  }

  void record(restinio::http_method_id_t method, std::string_view path) {
    recorded_.push_back({method.c_str(), openapi_path(path)});
  }

  router_t& router_;
  edge& e_;
  std::vector<route_info>& recorded_;
};

void add_health_routes(route_table& routes, edge& e) {
  routes.add(restinio::http_method_get(), "/healthz",
             [](const request_view&, const respond_fn& respond) {
               respond(json_answer(200, R"({"status":"ok"})"));
             });
  routes.add(restinio::http_method_get(), "/readyz",
             [&e](const request_view&, const respond_fn& respond) {
               bool ready = e.deps.ready ? e.deps.ready() : true;
               nlohmann::json body{{"ready", ready}};
               if (e.deps.readiness_detail) body["detail"] = e.deps.readiness_detail();
               respond(json_answer(ready ? 200 : 503, body.dump()));
             });
  routes.add(restinio::http_method_get(), "/metrics",
             [&e](const request_view&, const respond_fn& respond) {
               std::string text = e.deps.metrics ? e.deps.metrics->render() : std::string();
               respond(answer{200, "text/plain; version=0.0.4", std::move(text)});
             });
}

void add_twilio_routes(route_table& routes, edge& e) {
  routes.add(restinio::http_method_post(), "/sms/webhook",
             [&e](const request_view& v, respond_fn respond) {
               handle_inbound_webhook(e.deps.twilio, v, std::move(respond));
             });
  routes.add(restinio::http_method_post(), "/sms/status",
             [&e](const request_view& v, respond_fn respond) {
               handle_status_callback(e.deps.twilio, v, std::move(respond));
             });
}

void add_admin_routes(route_table& routes, edge& e) {
  routes.add(restinio::http_method_post(), "/api/v1/tenants",
             [&e](const request_view& v, respond_fn respond) {
               handle_create_tenant(e.deps.admin, v, std::move(respond));
             });
  routes.add(restinio::http_method_get(), "/api/v1/tenants",
             [&e](const request_view& v, respond_fn respond) {
               handle_list_tenants(e.deps.admin, v, std::move(respond));
             });
  routes.add(restinio::http_method_get(), "/api/v1/tenants/:id", "id",
             [&e](const request_view& v, respond_fn respond, const std::string& id) {
               handle_get_tenant(e.deps.admin, v, id, std::move(respond));
             });
  routes.add(restinio::http_method_post(), "/api/v1/sms/send",
             [&e](const request_view& v, respond_fn respond) {
               handle_send_sms(e.deps.admin, v, std::move(respond));
             });
}

void add_read_routes(route_table& routes, edge& e) {
  routes.add(restinio::http_method_get(), "/api/v1/sms/messages",
             [&e](const request_view& v, respond_fn respond) {
               handle_list_messages(e.deps.reads, v, std::move(respond));
             });
  routes.add(restinio::http_method_get(), "/api/v1/sms/conversations",
             [&e](const request_view& v, respond_fn respond) {
               handle_list_conversations(e.deps.reads, v, std::move(respond));
             });
  routes.add(restinio::http_method_get(), "/api/v1/sms/conversations/:id", "id",
             [&e](const request_view& v, respond_fn respond, const std::string& id) {
               handle_get_conversation(e.deps.reads, v, id, std::move(respond));
             });
  routes.add(restinio::http_method_post(), "/api/v1/sms/conversations/:id/read", "id",
             [&e](const request_view& v, respond_fn respond, const std::string& id) {
               handle_mark_conversation_read(e.deps.reads, v, id, std::move(respond));
             });
  routes.add(restinio::http_method_get(), "/api/v1/sms/stats",
             [&e](const request_view& v, respond_fn respond) {
               handle_get_stats(e.deps.reads, v, std::move(respond));
             });
}

void add_directory_read_routes(route_table& routes, edge& e) {
  for (const auto& r : directory_read_routes()) {
    auto handle = r.handle;
    if (r.param.empty())
      routes.add(restinio::http_method_get(), r.path,
                 [&e, handle](const request_view& v, respond_fn respond) {
                   handle(e.deps.directory, v, {}, std::move(respond));
                 });
    else
      routes.add(restinio::http_method_get(), r.path, r.param,
                 [&e, handle](const request_view& v, respond_fn respond, const std::string& id) {
                   handle(e.deps.directory, v, id, std::move(respond));
                 });
  }
}

void add_ticket_read_routes(route_table& routes, edge& e) {
  for (const auto& r : ticket_read_routes()) {
    auto handle = r.handle;
    if (r.param.empty())
      routes.add(restinio::http_method_get(), r.path,
                 [&e, handle](const request_view& v, respond_fn respond) {
                   handle(e.deps.tickets, v, {}, std::move(respond));
                 });
    else
      routes.add(restinio::http_method_get(), r.path, r.param,
                 [&e, handle](const request_view& v, respond_fn respond, const std::string& id) {
                   handle(e.deps.tickets, v, id, std::move(respond));
                 });
  }
}

void add_audit_routes(route_table& routes, edge& e) {
  routes.add(restinio::http_method_get(), "/api/v1/audit/streams/:stream", "stream",
             [&e](const request_view& v, respond_fn respond, const std::string& stream) {
               handle_audit_stream(e.deps.audit, v, stream, std::move(respond));
             });
  routes.add(restinio::http_method_get(), "/api/v1/audit/log",
             [&e](const request_view& v, respond_fn respond) {
               handle_audit_log(e.deps.audit, v, std::move(respond));
             });
  routes.add(restinio::http_method_get(), "/api/v1/audit/verify",
             [&e](const request_view& v, respond_fn respond) {
               handle_audit_verify(e.deps.audit, v, std::move(respond));
             });
}

void add_sms_config_routes(route_table& routes, edge& e) {
  routes.add(restinio::http_method_get(), "/api/v1/sms/settings",
             [&e](const request_view& v, respond_fn respond) {
               handle_get_sms_settings(e.deps.sms_config, v, std::move(respond));
             });
  routes.add(restinio::http_method_put(), "/api/v1/sms/settings",
             [&e](const request_view& v, respond_fn respond) {
               handle_put_sms_settings(e.deps.sms_config, v, std::move(respond));
             });
  routes.add(restinio::http_method_get(), "/api/v1/sms/templates",
             [&e](const request_view& v, respond_fn respond) {
               handle_list_sms_templates(e.deps.sms_config, v, std::move(respond));
             });
  routes.add(restinio::http_method_post(), "/api/v1/sms/templates",
             [&e](const request_view& v, respond_fn respond) {
               handle_create_sms_template(e.deps.sms_config, v, std::move(respond));
             });
  // Before the `:id` routes, so "preview" and "seed" are never taken for ids.
  routes.add(restinio::http_method_post(), "/api/v1/sms/templates/preview",
             [&e](const request_view& v, respond_fn respond) {
               handle_preview_sms_template(e.deps.sms_config, v, std::move(respond));
             });
  routes.add(restinio::http_method_post(), "/api/v1/sms/templates/seed",
             [&e](const request_view& v, respond_fn respond) {
               handle_seed_sms_templates(e.deps.sms_config, v, std::move(respond));
             });
  routes.add(restinio::http_method_get(), "/api/v1/sms/templates/:id", "id",
             [&e](const request_view& v, respond_fn respond, const std::string& id) {
               handle_get_sms_template(e.deps.sms_config, v, id, std::move(respond));
             });
  routes.add(restinio::http_method_put(), "/api/v1/sms/templates/:id", "id",
             [&e](const request_view& v, respond_fn respond, const std::string& id) {
               handle_put_sms_template(e.deps.sms_config, v, id, std::move(respond));
             });
  routes.add(restinio::http_method_delete(), "/api/v1/sms/templates/:id", "id",
             [&e](const request_view& v, respond_fn respond, const std::string& id) {
               handle_delete_sms_template(e.deps.sms_config, v, id, std::move(respond));
             });
}

void add_dispatch_routes(route_table& routes, edge& e) {
  const auto& d = e.deps.dispatch;
  using param_handler =
      void (*)(const dispatch_api_deps&, const request_view&, const std::string&, respond_fn);
  using plain_handler = void (*)(const dispatch_api_deps&, const request_view&, respond_fn);
  auto plain = [&](restinio::http_method_id_t method, const char* path, plain_handler h,
                   std::size_t limit = max_request_body) {
    routes.add(
        method, path,
        [&d, h](const request_view& v, respond_fn respond) { h(d, v, std::move(respond)); }, limit);
  };
  auto with = [&](restinio::http_method_id_t method, const char* path, const char* name,
                  param_handler h) {
    routes.add(method, path, name,
               [&d, h](const request_view& v, respond_fn respond, const std::string& value) {
                 h(d, v, value, std::move(respond));
               });
  };
  auto post = restinio::http_method_post();
  auto put = restinio::http_method_put();
  plain(post, "/api/v1/customers", handle_create_customer);
  with(put, "/api/v1/customers/:id", "id", handle_put_customer);
  plain(post, "/api/v1/technicians", handle_create_technician);
  with(put, "/api/v1/technicians/:id", "id", handle_put_technician);
  with(post, "/api/v1/technicians/:id/status", "id", handle_technician_status);
  with(post, "/api/v1/technicians/:id/location", "id", handle_technician_location);
  plain(post, "/api/v1/locations", handle_location_stream, max_location_stream_body);
  plain(post, "/api/v1/jobs", handle_create_job);
  with(put, "/api/v1/jobs/:id", "id", handle_put_job);
  with(post, "/api/v1/jobs/:id/assign", "id", handle_assign_job);
  with(post, "/api/v1/jobs/:id/cancel", "id", handle_cancel_job);
  with(post, "/api/v1/sms/trigger/:type", "type", handle_trigger_notification);
  plain(post, "/api/v1/sms/send-reminders", handle_send_reminders);
  plain(post, "/api/v1/contractors", handle_create_contractor);
  with(put, "/api/v1/contractors/:id", "id", handle_put_contractor);
  with(put, "/api/v1/contractors/:id/preferences", "id", handle_put_contractor_preferences);
  plain(post, "/api/v1/properties", handle_create_property);
  with(post, "/api/v1/properties/:id/assignments", "id", handle_assign_contractor);
  plain(post, "/api/v1/sms/notify-assignment", handle_notify_assignment);
  routes.add(restinio::http_method_delete(), "/api/v1/properties/:id/assignments/:contractor_id",
             {"id", "contractor_id"},
             [&d](const request_view& v, respond_fn respond, const std::string& id,
                  const std::string& contractor_id) {
               handle_unassign_contractor(d, v, id, contractor_id, std::move(respond));
             });
}

std::unique_ptr<router_t> make_router(edge& e, std::vector<route_info>& recorded) {
  auto router = std::make_unique<router_t>();
  route_table routes(*router, e, recorded);
  // The router tries each route's regular expression in turn: the read
  // routes, the ones polled most, come first.
  add_read_routes(routes, e);
  add_directory_read_routes(routes, e);
  add_ticket_read_routes(routes, e);
  add_health_routes(routes, e);
  add_twilio_routes(routes, e);
  add_admin_routes(routes, e);
  add_audit_routes(routes, e);
  add_sms_config_routes(routes, e);
  add_dispatch_routes(routes, e);
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
  std::vector<route_info> routes;
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
            .request_handler(make_router(p->state, p->routes))
            // Bodies up to 16 MiB are read so that those over a route's
            // limit (64 KiB; 8 MiB for the location stream) get a proper
            // 413; beyond that RESTinio drops the connection.
            .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                          .max_url_size(8 * 1024)
                                          .max_field_name_size(1024)
                                          .max_field_value_size(8 * 1024)
                                          .max_field_count(100)
                                          .max_body_size(16 * 1024 * 1024))
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

std::vector<route_info> server::routes() const {
  return impl_->routes;
}

std::vector<route_info> server_routes() {
  edge unused;
  std::vector<route_info> recorded;
  make_router(unused, recorded);
  return recorded;
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
