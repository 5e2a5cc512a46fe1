#include "domain/dispatch_streams.hpp"

#include <array>

namespace fl::domain {

namespace {

constexpr std::array all_kinds{
    dispatch_stream_kind::customer,      dispatch_stream_kind::technician,
    dispatch_stream_kind::job,           dispatch_stream_kind::sms_settings,
    dispatch_stream_kind::sms_templates, dispatch_stream_kind::contractor,
    dispatch_stream_kind::property};

bool has_id(dispatch_stream_kind kind) {
  return kind != dispatch_stream_kind::sms_settings && kind != dispatch_stream_kind::sms_templates;
}

std::string join(dispatch_stream_kind kind, std::string_view tenant, std::string_view id = {}) {
  auto prefix = to_string(kind);
  std::string out;
  out.reserve(prefix.size() + tenant.size() + id.size() + 2);
  out.append(prefix).append(":").append(tenant);
  if (has_id(kind)) out.append(":").append(id);
  return out;
}

}  // namespace

std::string_view to_string(dispatch_stream_kind kind) {
  switch (kind) {
    case dispatch_stream_kind::customer:
      return "customer";
    case dispatch_stream_kind::technician:
      return "technician";
    case dispatch_stream_kind::job:
      return "job";
    case dispatch_stream_kind::sms_settings:
      return "sms-settings";
    case dispatch_stream_kind::sms_templates:
      return "sms-templates";
    case dispatch_stream_kind::contractor:
      return "contractor";
    case dispatch_stream_kind::property:
      return "property";
  }
  return "unknown";
}

bool is_valid_entity_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string customer_stream(std::string_view tenant, std::string_view customer_id) {
  return join(dispatch_stream_kind::customer, tenant, customer_id);
}

std::string technician_stream(std::string_view tenant, std::string_view technician_id) {
  return join(dispatch_stream_kind::technician, tenant, technician_id);
}

std::string job_stream(std::string_view tenant, std::string_view job_id) {
  return join(dispatch_stream_kind::job, tenant, job_id);
}

std::string sms_settings_stream(std::string_view tenant) {
  return join(dispatch_stream_kind::sms_settings, tenant);
}

std::string sms_templates_stream(std::string_view tenant) {
  return join(dispatch_stream_kind::sms_templates, tenant);
}

std::string contractor_stream(std::string_view tenant, std::string_view contractor_id) {
  return join(dispatch_stream_kind::contractor, tenant, contractor_id);
}

std::string property_stream(std::string_view tenant, std::string_view property_id) {
  return join(dispatch_stream_kind::property, tenant, property_id);
}

std::optional<dispatch_stream> parse_dispatch_stream(std::string_view stream) {
  auto colon = stream.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto prefix = stream.substr(0, colon);
  auto rest = stream.substr(colon + 1);
  for (auto kind : all_kinds) {
    if (to_string(kind) != prefix) continue;
    dispatch_stream out{kind, rest, {}};
    if (has_id(kind)) {
      auto sep = rest.find(':');
      if (sep == std::string_view::npos) return std::nullopt;
      out.tenant = rest.substr(0, sep);
      out.id = rest.substr(sep + 1);
      if (!is_valid_entity_id(out.id)) return std::nullopt;
    } else if (rest.find(':') != std::string_view::npos) {
      return std::nullopt;
    }
    if (out.tenant.empty()) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

}  // namespace fl::domain
