#include <catch2/catch.hpp>

#include "storage/event_store.hpp"
#include "tests/support/sample_events.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;

TEST_CASE("an appended event can be read back by stream and by position", "[storage]") {
  testing::temp_dir dir;
  auto store = storage::event_store::open(dir / "data");
  REQUIRE(store);
  auto r = (*store)->append({"t1",
                             "conv:t1:+15551234567",
                             storage::expected_version::no_stream(),
                             {testing::sample_inbound(1)},
                             std::nullopt});
  REQUIRE(r);
  CHECK(r->first_position == 1);
  auto events = (*store)->read_stream("conv:t1:+15551234567");
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  CHECK(std::get<events::sms_received>((*events)[0].data) == testing::sample_inbound(1));
  CHECK((*store)->verify().ok);
}
