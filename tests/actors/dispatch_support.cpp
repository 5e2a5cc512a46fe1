#include "tests/actors/dispatch_support.hpp"

namespace fl::testing {

dispatch_fixture::dispatch_fixture(fl::timestamp start) : dispatch_fixture(start, nullptr) {}

dispatch_fixture::dispatch_fixture(fl::timestamp start,
                                   std::function<void(actors::dispatch_options&)> tune)
    : tune_(std::move(tune)) {
  clock.set(start);
  auto opened = storage::event_store::open(dir.path());
  REQUIRE(opened);
  store = std::move(*opened);
  events::tenant_created t;
  t.tenant_id = dispatch_tenant;
  t.name = "Acme HVAC";
  t.timezone = "America/Chicago";
  t.region = "US";
  t.numbers = {{tenant_number, 1}};
  t.api_token_sha256 = std::string(64, '0');
  tenants.apply(t, start);
  this->start();
}

dispatch_fixture::~dispatch_fixture() {
  dispatch.reset();
  conversations.reset();
}

void dispatch_fixture::start() {
  config = std::make_unique<notifications::sms_config_service>(*store, tenants);
  REQUIRE(config->load());
  actors::runtime_options o;
  o.clock = [this] { return clock.now(); };
  o.consent = &consent;
  o.sweep_every = std::chrono::hours(1);
  conversations = std::make_unique<actors::messaging_runtime>(*store, tenants, out, o);
  actors::dispatch_options d;
  d.clock = o.clock;
  d.sweep_every = std::chrono::milliseconds(0);      // the tests sweep by hand
  d.passivate_every = std::chrono::milliseconds(0);  // ... and passivate by hand
  if (tune_) tune_(d);
  dispatch = std::make_unique<actors::dispatch_runtime>(*store, tenants, *config, *conversations,
                                                        consent, d);
}

void dispatch_fixture::restart() {
  dispatch.reset();
  conversations.reset();
  start();
}

template <class State, class Submit>
actors::dispatch_result<State> ask(Submit submit) {
  auto p = std::make_shared<std::promise<actors::dispatch_result<State>>>();
  auto f = p->get_future();
  submit([p](actors::dispatch_result<State> r) { p->set_value(std::move(r)); });
  return wait_for(f);
}

actors::dispatch_result<domain::customer_state> dispatch_fixture::customer(
    const std::string& id, domain::customer_command c) {
  return ask<domain::customer_state>(
      [&](auto reply) { dispatch->customer(dispatch_tenant, id, std::move(c), reply); });
}

actors::dispatch_result<domain::technician_state> dispatch_fixture::technician(
    const std::string& id, domain::technician_command c) {
  return ask<domain::technician_state>(
      [&](auto reply) { dispatch->technician(dispatch_tenant, id, std::move(c), reply); });
}

actors::location_batch_result dispatch_fixture::technician_locations(
    std::string id, std::vector<domain::record_location> fixes) {
  auto p = std::make_shared<std::promise<actors::location_batch_result>>();
  auto f = p->get_future();
  dispatch->technician_locations(
      dispatch_tenant, id, std::move(fixes),
      [p](actors::location_batch_result r) { p->set_value(std::move(r)); });
  REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  return f.get();
}

actors::dispatch_result<domain::job_state> dispatch_fixture::job(
    const std::string& id, domain::job_command c, std::optional<fl::timestamp> as_of) {
  return ask<domain::job_state>(
      [&](auto reply) { dispatch->job(dispatch_tenant, id, std::move(c), reply, as_of); });
}

actors::reminder_sweep_result dispatch_fixture::send_reminders(std::optional<fl::timestamp> as_of) {
  std::promise<actors::reminder_sweep_result> p;
  auto f = p.get_future();
  dispatch->send_reminders(dispatch_tenant, as_of,
                           [&p](actors::reminder_sweep_result r) { p.set_value(std::move(r)); });
  REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  return f.get();
}

std::vector<events::event> dispatch_fixture::stream(const std::string& name) const {
  auto stored = store->read_stream(name);
  REQUIRE(stored);
  std::vector<events::event> out;
  for (auto& r : *stored) out.push_back(std::move(r.data));
  return out;
}

std::vector<events::sms_queued> dispatch_fixture::texts_to(const std::string& phone) const {
  std::vector<events::sms_queued> out;
  for (auto& e : stream(actors::conversation_key(dispatch_tenant, phone).stream()))
    if (auto* q = std::get_if<events::sms_queued>(&e)) out.push_back(std::move(*q));
  return out;
}

void dispatch_fixture::set_settings(const std::function<void(domain::sms_settings&)>& edit) {
  auto changed = config->change_settings(dispatch_tenant, [&](domain::sms_settings s) {
    edit(s);
    return s;
  });
  REQUIRE(changed);
}

}  // namespace fl::testing
