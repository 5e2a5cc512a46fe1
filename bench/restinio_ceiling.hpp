#pragma once

// The ceiling of the HTTP benchmarks: an in-process RESTinio 0.6 server with
// the router, limits and timeouts of the real server, answering fixed routes
// at once with fixed bytes and doing nothing else.

#include <restinio/all.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fl::bench {

/// A route of the ceiling and its answer: 200, `content_type` (none if
/// empty), `body`.
struct ceiling_route {
  restinio::http_method_id_t method;
  std::string path;
  std::string content_type;
  std::string body;
};

struct ceiling_traits : restinio::default_traits_t {
  using request_handler_t = restinio::router::express_router_t<>;
};

class ceiling_server {
 public:
  ceiling_server(const std::vector<ceiling_route>& routes, std::size_t threads) {
    auto router = std::make_unique<restinio::router::express_router_t<>>();
    for (const auto& r : routes)
      router->add_handler(r.method, r.path, [type = r.content_type, body = r.body](auto req, auto) {
        auto answer = req->create_response();
        if (!type.empty()) answer.append_header(restinio::http_field::content_type, type);
        return answer.set_body(body).done();
      });
    router->non_matched_request_handler(
        [](auto req) { return req->create_response(restinio::status_not_found()).done(); });
    auto* port_out = &port_;
    running_ = restinio::run_async<ceiling_traits>(
        restinio::own_io_context(),
        restinio::server_settings_t<ceiling_traits>{}
            .address("127.0.0.1")
            .port(0)
            .request_handler(std::move(router))
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
        threads);
  }
  ~ceiling_server() {
    running_->stop();
    running_->wait();
  }
  ceiling_server(const ceiling_server&) = delete;
  ceiling_server& operator=(const ceiling_server&) = delete;

  std::uint16_t port() const { return port_.load(); }

 private:
  std::atomic<std::uint16_t> port_{0};
  std::unique_ptr<restinio::running_server_instance_t<restinio::http_server_t<ceiling_traits>>>
      running_;
};

}  // namespace fl::bench
