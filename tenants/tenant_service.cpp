#include "tenants/tenant_service.hpp"

#include <date/tz.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "base/hex.hpp"
#include "base/sha256.hpp"
#include "domain/phone_number.hpp"

namespace fl::tenants {

std::string_view to_string(tenant_errc code) {
  switch (code) {
    case tenant_errc::invalid_field:
      return "invalid_field";
    case tenant_errc::number_taken:
      return "number_taken";
    case tenant_errc::unavailable:
      return "unavailable";
  }
  return "unknown";
}

std::string token_hash(std::string_view token) {
  return to_hex(sha256(token));
}

namespace {

std::string random_hex(std::size_t bytes) {
  std::vector<std::uint8_t> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  return to_hex(buf);
}

bool is_sid(std::string_view s, std::string_view prefix) {
  return s.size() == 34 && s.substr(0, 2) == prefix &&
         std::all_of(s.begin() + 2, s.end(), [](char c) { return hex_digit_value(c) >= 0; });
}

tenant_error field_error(std::string field, std::string message) {
  return {tenant_errc::invalid_field, std::move(field), std::move(message)};
}

std::optional<tenant_error> check_timezone(const std::string& tz) {
  if (tz.empty()) return field_error("timezone", "timezone is required (an IANA name)");
  try {
    (void)date::locate_zone(tz);
  } catch (const std::exception&) {
    return field_error("timezone",
                       "unknown time zone \"" + tz + "\" (an IANA name like America/Chicago)");
  }
  return std::nullopt;
}

}  // namespace

tenant_service::tenant_service(storage::event_store& store, domain::tenant_directory& directory)
    : store_(store), directory_(directory) {}

expected<void, std::string> tenant_service::load() {
  auto events = store_.read_stream(tenants_stream);
  if (!events) return unexpected{"cannot read the tenants: " + events.error().message};
  for (const auto& r : *events)
    if (auto* created = std::get_if<events::tenant_created>(&r.data))
      directory_.apply(*created, r.recorded_at);
  return {};
}

expected<created_tenant, tenant_error> tenant_service::create(const new_tenant& request) {
  events::tenant_created e;
  if (request.name.empty() || request.name.size() > 200)
    return unexpected{field_error("name", "name is required, at most 200 characters")};
  e.name = request.name;
  if (auto err = check_timezone(request.timezone)) return unexpected{*err};
  e.timezone = request.timezone;
  e.region = request.region.value_or("US");
  if (e.region.size() != 2 || !std::isupper(static_cast<unsigned char>(e.region[0])) ||
      !std::isupper(static_cast<unsigned char>(e.region[1])))
    return unexpected{field_error("region", "region must be an ISO 3166 code like \"US\"")};
  if (request.phone_numbers.empty())
    return unexpected{field_error("phone_number", "phone_number is required")};
  std::int64_t default_rate = request.max_per_second.value_or(1);
  for (const auto& [typed, own_rate] : request.phone_numbers) {
    std::int64_t rate = own_rate.value_or(default_rate);
    if (rate < 1 || rate > 1000)
      return unexpected{field_error("max_per_second", "max_per_second must be 1..1000")};
    auto parsed = domain::parse_phone(typed, e.region);
    if (!parsed) return unexpected{field_error("phone_number", parsed.error().message)};
    bool repeated = std::any_of(e.numbers.begin(), e.numbers.end(),
                                [&](const auto& n) { return n.number == parsed->e164(); });
    if (!repeated) e.numbers.push_back({parsed->e164(), rate});
  }
  if (request.messaging_service_sid && !is_sid(*request.messaging_service_sid, "MG"))
    return unexpected{
        field_error("messaging_service_sid", "a Messaging Service sid is MG + 32 hex digits")};
  e.messaging_service_sid = request.messaging_service_sid;
  if (request.twilio_account_sid && !is_sid(*request.twilio_account_sid, "AC"))
    return unexpected{field_error("twilio_account_sid", "an Account sid is AC + 32 hex digits")};
  e.twilio_account_sid = request.twilio_account_sid;
  if (request.twilio_auth_token) {
    const auto& token = request.twilio_auth_token->reveal();
    if (token.empty() || token.size() > 128)
      return unexpected{
          field_error("twilio_auth_token", "twilio_auth_token must be 1..128 characters")};
    e.twilio_auth_token = token;
  }
  if (e.twilio_account_sid.has_value() != e.twilio_auth_token.has_value())
    return unexpected{field_error(e.twilio_account_sid ? "twilio_auth_token" : "twilio_account_sid",
                                  "twilio_account_sid and twilio_auth_token go together")};

  created_tenant out;
  out.api_token = "fl_" + random_hex(24);
  e.api_token_sha256 = token_hash(out.api_token);
  e.tenant_id = "tn_" + random_hex(8);

  std::lock_guard lock(create_mutex_);
  for (const auto& n : e.numbers)
    if (directory_.by_number(n.number))
      return unexpected{tenant_error{tenant_errc::number_taken, "phone_number",
                                     n.number + " already belongs to a tenant"}};
  if (e.messaging_service_sid && directory_.by_messaging_service(*e.messaging_service_sid))
    return unexpected{tenant_error{tenant_errc::number_taken, "messaging_service_sid",
                                   "this Messaging Service already belongs to a tenant"}};

  storage::append_request append;
  append.tenant = e.tenant_id;
  append.stream = std::string(tenants_stream);
  append.events.push_back(e);
  auto appended = store_.append(std::move(append));
  if (!appended)
    return unexpected{tenant_error{tenant_errc::unavailable, "", appended.error().message}};
  auto stored = store_.read_all(appended->first_position, 1);
  fl::timestamp recorded_at =
      stored && !stored->empty() ? stored->front().recorded_at : system_now();
  directory_.apply(e, recorded_at);
  out.tenant = directory_.by_id(e.tenant_id);
  out.position = appended->last_position;
  return out;
}

}  // namespace fl::tenants
