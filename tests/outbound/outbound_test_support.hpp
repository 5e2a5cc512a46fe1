#pragma once

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <string>

#include "base/secret.hpp"
#include "tests/support/fake_twilio.hpp"
#include "twilio/rest_client.hpp"

#include "outbound/transport.hpp"

namespace fl::testing {

using namespace std::chrono_literals;

inline constexpr const char* test_account = "AC0123456789abcdef0123456789abcdef";
inline constexpr const char* test_token = "tok-9f8e7d6c5b4a-secret";

inline twilio::credentials test_credentials() {
  return {test_account, fl::secret(test_token)};
}

/// Client options aimed at `fake`, with short timeouts.
inline twilio::rest_options options_for(const std::string& base_url) {
  twilio::rest_options o;
  o.api_base = base_url;
  o.connect_timeout = 2s;
  o.request_timeout = 5s;
  return o;
}

inline twilio::create_message sample_message() {
  return {test_credentials(),
          "+15558675310",
          "+15005550006",
          std::nullopt,
          "Your technician is 15 minutes away.",
          "https://fl.example.com/sms/status"};
}

/// A callback's value, delivered on another thread. The promise is shared,
/// so a callback arriving after a failed REQUIRE still has somewhere to go.
template <class T>
class awaited {
 public:
  auto callback() {
    return [p = promise_](T value) { p->set_value(std::move(value)); };
  }
  T get(std::chrono::milliseconds timeout = 10s) {
    REQUIRE(future_.wait_for(timeout) == std::future_status::ready);
    return future_.get();
  }

 private:
  std::shared_ptr<std::promise<T>> promise_ = std::make_shared<std::promise<T>>();
  std::future<T> future_ = promise_->get_future();
};

inline twilio::create_result create_and_wait(twilio::rest_client& client,
                                             twilio::create_message message) {
  awaited<twilio::create_result> result;
  client.create(std::move(message), result.callback());
  return result.get();
}

using list_answer = fl::expected<std::vector<twilio::found_message>, std::string>;

inline list_answer list_and_wait(twilio::rest_client& client, twilio::message_lookup lookup) {
  awaited<list_answer> result;
  client.list(std::move(lookup), result.callback());
  return result.get();
}

/// A loopback port nobody listens on (bound, then released).
inline std::uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// A loopback listener that never accepts, its one-slot backlog filled: the
/// kernel drops further SYNs, so a connect to it times out in the connect
/// phase.
class unaccepting_listener {
 public:
  unaccepting_listener() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listener_, 0) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    for (int& filler : fillers_) {
      filler = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      (void)::connect(filler, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    }
  }
  ~unaccepting_listener() {
    for (int filler : fillers_) ::close(filler);
    ::close(listener_);
  }
  unaccepting_listener(const unaccepting_listener&) = delete;
  unaccepting_listener& operator=(const unaccepting_listener&) = delete;

  std::uint16_t port() const { return port_; }

 private:
  int listener_ = -1;
  int fillers_[3] = {-1, -1, -1};
  std::uint16_t port_ = 0;
};

/// One text as the outbox hands it to a transport (no credentials, no
/// status callback: tests add what they need).
inline outbound::send_request sample_send_request() {
  outbound::send_request r;
  r.tenant_id = "tenant-1";
  r.message_id = "msg-1";
  r.from = "+15005550006";
  r.to = "+15558675310";
  r.body = "Your technician is 15 minutes away.";
  r.queued_at = fl::system_now();
  return r;
}

inline outbound::send_result send_and_wait(outbound::transport& t, outbound::send_request r) {
  awaited<outbound::send_result> result;
  t.send(std::move(r), result.callback());
  return result.get();
}

inline outbound::lookup_result find_and_wait(outbound::transport& t, outbound::send_request r) {
  awaited<outbound::lookup_result> result;
  t.find_sent(std::move(r), result.callback());
  return result.get();
}

}  // namespace fl::testing
