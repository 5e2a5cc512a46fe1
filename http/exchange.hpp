#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fl::http {

/// An HTTP request as the route handlers see it: no RESTinio type, so the
/// handlers compile and test without the server.
struct request_view {
  std::string method;
  std::string target;  // path and query, as received
  std::string path;
  std::string query;      // without '?'
  std::string_view body;  // valid while the handler runs (not in a later reply)
  std::string request_id;
  std::function<std::optional<std::string>(std::string_view name)> header;
};

/// An answer to send back.
struct answer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

/// Sends the answer. Called exactly once, from any thread, possibly after the
/// handler returned (once an actor replied).
using respond_fn = std::function<void(answer)>;

/// `{"error": {"code": ..., "message": ...}}` as api.md prescribes.
answer error_answer(int status, std::string_view code, std::string_view message);

/// A JSON answer.
answer json_answer(int status, std::string body);

}  // namespace fl::http
