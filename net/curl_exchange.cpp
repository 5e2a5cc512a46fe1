#include "net/curl_exchange.hpp"

#include <mutex>
#include <string_view>

#include "base/timestamp.hpp"

#include "net/http_date.hpp"

namespace fl::net {

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* x = static_cast<curl_exchange*>(user);
  std::size_t bytes = size * count;
  if (x->response.size() + bytes > x->max_response) {
    x->too_large = true;
    return 0;  // anything but `bytes` aborts the transfer (CURLE_WRITE_ERROR)
  }
  x->response.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* x = static_cast<curl_exchange*>(user);
  std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    x->retry_after.reset();  // a new response (after a 100 Continue, say)
    return bytes;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos && iequals(line.substr(0, colon), "retry-after"))
    x->retry_after = parse_retry_after(line.substr(colon + 1), system_now());
  return bytes;
}

}  // namespace

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

curl_exchange::~curl_exchange() {
  if (easy) curl_easy_cleanup(easy);
  if (headers) curl_slist_free_all(headers);
}

bool curl_exchange::open(const std::string& url, void* owner, limits l) {
  easy = curl_easy_init();
  if (!easy) return false;
  max_response = l.max_response;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, owner);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(l.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(l.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error.data());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "fieldline/0.1 libcurl");
  add_header("Expect:");  // no 100-continue round trip
  return true;
}

void curl_exchange::add_header(const std::string& line) {
  headers = curl_slist_append(headers, line.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
}

}  // namespace fl::net
