// The demo tenant's snow crews: the seed document's contractors and lots.

#include <chrono>
#include <future>

#include "app/demo_seed.hpp"

namespace fl::app {

namespace {

constexpr auto seed_timeout = std::chrono::seconds(10);

// Waits for one dispatch reply; the position, or why there is none.
template <class Result, class Submit>
expected<std::uint64_t, std::string> await(Submit submit) {
  auto promise = std::make_shared<std::promise<expected<std::uint64_t, std::string>>>();
  auto future = promise->get_future();
  submit([promise](const Result& r) {
    if (r)
      promise->set_value(r->position);
    else
      promise->set_value(unexpected{r.error().message});
  });
  if (future.wait_for(seed_timeout) != std::future_status::ready)
    return unexpected{std::string("the directory did not answer in time")};
  return future.get();
}

struct crew {
  const char* id;
  const char* name;
  const char* phone;
};

struct lot {
  const char* id;
  const char* name;
  const char* address;
};

}  // namespace

expected<std::uint64_t, std::string> seed_demo_contractors(assembly& a, const std::string& tenant) {
  auto& d = a.dispatch();
  std::uint64_t last = 0;
  auto keep = [&last](const expected<std::uint64_t, std::string>& r) {
    if (r) last = std::max(last, *r);
    return r.has_value();
  };
  for (const crew& c : {crew{"con_mike", "Mike Kowalski", "+13125550181"},
                        crew{"con_dana", "Dana Reyes", "+13125550182"}}) {
    auto r = await<actors::dispatch_result<domain::contractor_state>>([&](auto reply) {
      d.contractor(tenant, c.id, domain::register_contractor{c.id, {c.name, c.phone, true}},
                   std::move(reply));
    });
    if (!keep(r)) return unexpected{r.error()};
  }
  for (const lot& l :
       {lot{"p_walmart", "Walmart Parking Lot", "123 Main Street, Anytown, ST 12345"},
        lot{"p_target", "Target", "456 Oak Ave"},
        lot{"p_home_depot", "Home Depot", "789 Pine Rd"}}) {
    auto r = await<actors::dispatch_result<domain::property_state>>([&](auto reply) {
      d.property(tenant, l.id, domain::register_property{l.id, {l.name, l.address}},
                 std::move(reply));
    });
    if (!keep(r)) return unexpected{r.error()};
  }
  for (const auto& [property, contractor] :
       {std::pair{"p_walmart", "con_mike"}, std::pair{"p_target", "con_mike"},
        std::pair{"p_home_depot", "con_mike"}, std::pair{"p_target", "con_dana"}}) {
    auto r = await<actors::assignment_result>([&](auto reply) {
      d.assign_contractor(tenant, property, contractor, false, std::move(reply));
    });
    if (!keep(r)) return unexpected{r.error()};
  }
  return last;
}

}  // namespace fl::app
