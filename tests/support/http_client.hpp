#pragma once

#include <curl/curl.h>

#include <map>
#include <string>

namespace fl::testing {

struct http_response {
  long status = 0;  // 0: no answer (connection failed)
  std::string body;
  std::string error;
};

/// A blocking HTTP request with libcurl, for functional tests.
inline http_response http_request(const std::string& method, const std::string& url,
                                  const std::string& body = {},
                                  const std::map<std::string, std::string>& headers = {}) {
  http_response out;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (list) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* user) -> size_t {
        static_cast<std::string*>(user)->append(data, size * n);
        return size * n;
      });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK)
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  else
    out.error = curl_easy_strerror(rc);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return out;
}

}  // namespace fl::testing
