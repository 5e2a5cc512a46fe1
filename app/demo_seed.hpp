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
/// token's hash. Customers, jobs, contractors and properties join the seed
/// with the features that own them.
expected<demo_tenant, std::string> seed_demo_tenant(assembly& a, const std::string& data_dir);

}  // namespace fl::app
