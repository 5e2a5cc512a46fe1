// docs/openapi.yaml describes exactly the routes the server registers.

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "http/server.hpp"

using namespace fl;

namespace {

using route = std::pair<std::string, std::string>;  // method, path

const std::set<std::string> http_methods{"get",   "put",  "post",   "delete",
                                         "patch", "head", "options"};

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

YAML::Node spec() {
  return YAML::LoadFile(FL_OPENAPI_SPEC);
}

std::set<route> spec_routes(const YAML::Node& doc) {
  std::set<route> out;
  for (const auto& path : doc["paths"])
    for (const auto& op : path.second)
      if (auto method = op.first.as<std::string>(); http_methods.contains(method))
        out.insert({upper(method), path.first.as<std::string>()});
  return out;
}

// A parameter, following its `$ref` ("#/components/parameters/<name>") if it has one.
YAML::Node resolve(const YAML::Node& doc, const YAML::Node& parameter) {
  if (!parameter["$ref"]) return parameter;
  auto ref = parameter["$ref"].as<std::string>();
  return doc["components"]["parameters"][ref.substr(ref.rfind('/') + 1)];
}

std::set<route> registered_routes() {
  std::set<route> out;
  for (const auto& r : http::server_routes()) out.insert({r.method, r.path});
  return out;
}

}  // namespace

TEST_CASE("the OpenAPI description lists every route the server registers, and no other",
          "[openapi]") {
  auto doc = spec();
  REQUIRE(doc["openapi"].as<std::string>().starts_with("3.0"));
  auto in_spec = spec_routes(doc);
  auto served = registered_routes();
  REQUIRE(served.size() == http::server_routes().size());  // no route registered twice
  for (const auto& [method, path] : served) {
    INFO("registered but not described: " << method << " " << path);
    CHECK(in_spec.contains({method, path}));
  }
  for (const auto& [method, path] : in_spec) {
    INFO("described but not registered: " << method << " " << path);
    CHECK(served.contains({method, path}));
  }
}

TEST_CASE("a running server lists the routes it registered", "[openapi]") {
  http::server_deps deps;
  auto started = http::server::start({"127.0.0.1", 0, 1}, deps);
  REQUIRE(started);
  CHECK((*started)->routes() == http::server_routes());
}

TEST_CASE("every GET of the API documents min_position, and every API route the bearer token",
          "[openapi]") {
  const YAML::Node doc = spec();
  for (const auto& [method, path] : spec_routes(doc)) {
    if (!path.starts_with("/api/v1/")) continue;
    INFO(method << " " << path);
    std::string lower;
    for (char c : method) lower.push_back(static_cast<char>(std::tolower(c)));
    auto op = doc["paths"][path][lower];
    REQUIRE(op.IsDefined());
    std::set<std::string> params;
    for (const auto& p : op["parameters"]) params.insert(resolve(doc, p)["name"].as<std::string>());
    if (method == "GET") CHECK(params.contains("min_position"));
    bool bearer = doc["security"] && doc["security"][0]["bearer"];
    if (op["security"]) bearer = op["security"].size() > 0 && op["security"][0]["bearer"];
    CHECK(bearer);
    CHECK(op["responses"]["401"].IsDefined());
  }
}
