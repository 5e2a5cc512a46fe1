#include "app/demo_seed.hpp"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace fl::app {

expected<demo_tenant, std::string> seed_demo_tenant(assembly& a, const std::string& data_dir) {
  auto file = std::filesystem::path(data_dir) / "demo-tenant.json";
  if (std::filesystem::exists(file)) {
    std::ifstream in(file);
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.contains("id") || !j.contains("api_token"))
      return unexpected{file.string() + " is not the demo tenant file fieldline wrote"};
    auto t = a.tenants().by_id(j["id"].get<std::string>());
    if (!t) return unexpected{file.string() + " names a tenant the log does not hold"};
    return demo_tenant{t->id, t->name, t->default_sender(), j["api_token"].get<std::string>()};
  }
  tenants::new_tenant request;
  request.name = "Northwind HVAC & Snow";
  request.timezone = "America/Chicago";
  request.phone_numbers = {{"+15005550006", std::nullopt}};  // Twilio's magic "valid" test number
  auto created = a.tenant_service().create(request);
  if (!created) return unexpected{"cannot create the demo tenant: " + created.error().message};
  {
    std::ofstream out(file);
    out << nlohmann::json{{"id", created->tenant->id}, {"api_token", created->api_token}}.dump(2)
        << "\n";
  }
  ::chmod(file.c_str(), 0600);
  if (auto crews = seed_demo_contractors(a, created->tenant->id); !crews)
    return unexpected{"cannot seed the demo contractors: " + crews.error()};
  return demo_tenant{created->tenant->id, created->tenant->name, created->tenant->default_sender(),
                     created->api_token};
}

}  // namespace fl::app
