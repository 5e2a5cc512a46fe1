#pragma once

#include <string>

#include "app/assembly.hpp"
#include "base/expected.hpp"

namespace fl::app {

/// The demo tenant as `fieldline demo` prints it.
struct demo_tenant {
  std::string id;
  std::string name;
  std::string number;
  std::string api_token;
};

/// Creates the demo tenant on the first start (sandbox sending, no Twilio
/// account) and keeps its id and token in `<data>/demo-tenant.json` (mode
/// 0600) so later starts print the same token; the log itself holds only the
/// token's hash. On that first start the tenant gets the seed document's
/// snow crews too (seed_demo_contractors). Customers and jobs join the seed
/// with the features that own them.
expected<demo_tenant, std::string> seed_demo_tenant(assembly& a, const std::string& data_dir);

/// Two contractors and the seed's Walmart, Target and Home Depot lots, the
/// first contractor assigned to all three (no assignment texts). Answers the
/// last log position written.
expected<std::uint64_t, std::string> seed_demo_contractors(assembly& a, const std::string& tenant);

}  // namespace fl::app
