#include "http/exchange.hpp"

#include <nlohmann/json.hpp>

namespace fl::http {

answer error_answer(int status, std::string_view code, std::string_view message) {
  nlohmann::json body{{"error", {{"code", code}, {"message", message}}}};
  // A message may quote client bytes; never let them break the JSON.
  return {status, "application/json",
          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

answer json_answer(int status, std::string body) {
  return {status, "application/json", std::move(body)};
}

}  // namespace fl::http
