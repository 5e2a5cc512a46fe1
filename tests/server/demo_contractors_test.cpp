// `fieldline demo`'s tenant: the seed document's snow crews and lots.

#include "app/demo_seed.hpp"
#include "tests/server/contractor_test_support.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

TEST_CASE("the demo tenant comes with contractors, the seed's lots and their assignments",
          "[demo]") {
  temp_dir dir;
  running_server s({}, dispatch_options(), &dir);
  auto seeded = app::seed_demo_tenant(s.app(), dir.path().string());
  REQUIRE(seeded);
  tenant_client c{s, test_tenant{seeded->id, seeded->api_token, seeded->number, "", ""}};
  auto q = "?min_position=" + std::to_string(s.app().store().last_position());
  auto mike = c.get("/api/v1/contractors/con_mike" + q);
  CHECK(mike["property_ids"] == json{"p_walmart", "p_target", "p_home_depot"});
  CHECK(c.get("/api/v1/contractors" + q)["items"].size() == 2);
  auto target = c.get("/api/v1/properties/p_target" + q);
  CHECK(target["contractor_ids"] == json{"con_mike", "con_dana"});
  CHECK(c.get("/api/v1/properties/p_walmart" + q)["address"] ==
        "123 Main Street, Anytown, ST 12345");
  // Seeding assigns without texting anyone.
  CHECK(contractor_texts(c, "con_mike", s.app().store().last_position()).empty());
  // A second start keeps what the first seeded, and seeds nothing twice.
  auto again = app::seed_demo_tenant(s.app(), dir.path().string());
  REQUIRE(again);
  CHECK(again->id == seeded->id);
  CHECK(c.get("/api/v1/contractors" + q)["items"].size() == 2);
}
