#include "domain/tenant_directory.hpp"

#include <mutex>

namespace fl::domain {

namespace {

template <class Map>
tenant_directory::tenant_ptr find_in(const Map& map, std::string_view key) {
  auto it = map.find(std::string(key));
  return it == map.end() ? nullptr : it->second;
}

}  // namespace

void set_default_compliance_texts(tenant& t) {
  t.opt_out_message =
      t.name + ": you are unsubscribed and will receive no more texts. Reply START to resubscribe.";
  t.opt_in_message = t.name + ": you are subscribed to texts again. Reply STOP to unsubscribe.";
  t.help_message =
      t.name +
      ": texts about your service visits. Reply STOP to unsubscribe. Msg&data rates may apply.";
}

void tenant_directory::apply(const events::tenant_created& e, fl::timestamp recorded_at) {
  auto t = std::make_shared<tenant>();
  t->id = e.tenant_id;
  t->name = e.name;
  t->timezone = e.timezone;
  t->region = e.region;
  t->numbers = e.numbers;
  t->messaging_service_sid = e.messaging_service_sid;
  t->twilio_account_sid = e.twilio_account_sid;
  if (e.twilio_auth_token) t->twilio_auth_token = secret(*e.twilio_auth_token);
  t->api_token_sha256 = e.api_token_sha256;
  t->created_at = recorded_at;
  set_default_compliance_texts(*t);

  std::unique_lock lock(mutex_);
  if (by_id_.contains(t->id)) return;
  ordered_.push_back(t);
  by_id_.emplace(t->id, t);
  // The first tenant to claim a number keeps it: creation refuses a taken
  // number, so a second claim can only come from a log written otherwise.
  for (const auto& n : t->numbers) by_number_.try_emplace(n.number, t);
  if (t->messaging_service_sid) by_service_.try_emplace(*t->messaging_service_sid, t);
  by_token_.try_emplace(t->api_token_sha256, t);
}

tenant_directory::tenant_ptr tenant_directory::by_id(std::string_view id) const {
  std::shared_lock lock(mutex_);
  return find_in(by_id_, id);
}

tenant_directory::tenant_ptr tenant_directory::by_number(std::string_view e164) const {
  std::shared_lock lock(mutex_);
  return find_in(by_number_, e164);
}

tenant_directory::tenant_ptr tenant_directory::by_messaging_service(std::string_view sid) const {
  std::shared_lock lock(mutex_);
  return find_in(by_service_, sid);
}

tenant_directory::tenant_ptr tenant_directory::by_token_hash(std::string_view sha256_hex) const {
  std::shared_lock lock(mutex_);
  return find_in(by_token_, sha256_hex);
}

std::vector<tenant_directory::tenant_ptr> tenant_directory::all() const {
  std::shared_lock lock(mutex_);
  return ordered_;
}

std::size_t tenant_directory::size() const {
  std::shared_lock lock(mutex_);
  return ordered_.size();
}

}  // namespace fl::domain
