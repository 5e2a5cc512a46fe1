#include "events/codec.hpp"

#include <unordered_map>

#include "events/consent_fields.hpp"
#include "events/contractor_fields.hpp"
#include "events/conversation_fields.hpp"
#include "events/decode_internal.hpp"
#include "events/dispatch_fields.hpp"
#include "events/notification_fields.hpp"
#include "events/sms_fields.hpp"
#include "events/table_codec.hpp"
#include "events/tenant_fields.hpp"
#include "events/ticket_fields.hpp"

namespace fl::events {

std::string encode_data(const event& e) {
  std::string out;
  out.reserve(256);
  json_writer w(out);
  std::visit([&](const auto& x) { detail::write_value(w, x); }, e);
  return out;
}

namespace detail {

namespace {

using decoder = void (*)(std::int64_t schema_version, simdjson::ondemand::value data, event& out);

// Reads `T` at its current schema version into `out`, reusing what `out`
// holds if it is a `T` already. Upcasting lives here: when a type moves to
// v2, its v1 reader becomes a separate function that builds the v2 value,
// selected by `schema_version`.
template <class T>
void decode_latest(std::int64_t schema_version, simdjson::ondemand::value data, event& out) {
  if (schema_version != T::schema_version)
    throw decode_failure{{decode_errc::unsupported_version,
                          std::string(T::type_name) + " v" + std::to_string(schema_version) +
                              " (this build reads up to v" + std::to_string(T::schema_version) +
                              ")"}};
  T* value = std::get_if<T>(&out);
  if (!value) value = &out.emplace<T>();
  read_value(data, *value);
}

template <std::size_t... I>
std::unordered_map<std::string_view, decoder> make_decoders(std::index_sequence<I...>) {
  return {{std::variant_alternative_t<I, event>::type_name,
           &decode_latest<std::variant_alternative_t<I, event>>}...};
}

const std::unordered_map<std::string_view, decoder>& decoders() {
  static const auto table = make_decoders(std::make_index_sequence<std::variant_size_v<event>>{});
  return table;
}

}  // namespace

void decode_event_value(std::string_view type, std::int64_t schema_version,
                        simdjson::ondemand::value data, event& out) {
  auto it = decoders().find(type);
  if (it == decoders().end())
    throw decode_failure{
        {decode_errc::unknown_type, "unknown event type \"" + std::string(type) + "\""}};
  it->second(schema_version, data, out);
}

simdjson::padded_string_view padded_copy(std::string_view json) {
  thread_local std::string buffer;
  buffer.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(json);
  return simdjson::padded_string_view(buffer.data(), buffer.size(), buffer.capacity());
}

decode_error from_simdjson(simdjson::error_code code) {
  bool wrong_type = code == simdjson::INCORRECT_TYPE || code == simdjson::NUMBER_OUT_OF_RANGE ||
                    code == simdjson::NUMBER_ERROR;
  return {wrong_type ? decode_errc::wrong_type : decode_errc::malformed,
          std::string("JSON: ") + simdjson::error_message(code)};
}

}  // namespace detail

expected<event, decode_error> decode_data(std::string_view type, int schema_version,
                                          std::string_view json) {
  thread_local simdjson::ondemand::parser parser;
  try {
    simdjson::ondemand::document doc = parser.iterate(detail::padded_copy(json));
    simdjson::ondemand::value root = doc.get_value();
    event e;
    detail::decode_event_value(type, schema_version, root, e);
    if (!detail::consumed(doc))
      return unexpected{decode_error{decode_errc::malformed, "trailing bytes after JSON"}};
    return e;
  } catch (const detail::decode_failure& f) {
    return unexpected{f.error};
  } catch (const simdjson::simdjson_error& e) {
    return unexpected{detail::from_simdjson(e.error())};
  }
}

}  // namespace fl::events
