#pragma once

#include <curl/curl.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace fl::net {

/// curl_global_init, once per process (it is not thread-safe everywhere).
void init_curl_once();

/// One request on a libcurl easy handle and what its answer brought: the
/// body (refused past a cap) and the `Retry-After` it carried. Our clients
/// derive their transfer from it and add what is theirs (credentials, body).
struct curl_exchange {
  curl_exchange() = default;
  curl_exchange(const curl_exchange&) = delete;
  curl_exchange& operator=(const curl_exchange&) = delete;
  ~curl_exchange();

  struct limits {
    std::chrono::milliseconds connect_timeout;
    std::chrono::milliseconds timeout;  // the whole request
    std::size_t max_response = 0;       // body bytes; more aborts the transfer
  };

  /// Creates the handle with what every request of ours sets: `owner` as
  /// CURLOPT_PRIVATE, no signals, http(s) only, the limits, the body and
  /// `Retry-After` captured, our user agent, no 100-continue round trip.
  /// False when libcurl could not make a handle.
  bool open(const std::string& url, void* owner, limits l);
  /// A request header line ("Name: value"), before the transfer starts.
  void add_header(const std::string& line);

  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::size_t max_response = 0;
  std::string response;
  bool too_large = false;
  std::optional<std::chrono::milliseconds> retry_after;
  std::array<char, CURL_ERROR_SIZE> error{};
};

}  // namespace fl::net
