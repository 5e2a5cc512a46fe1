#include "events/record.hpp"

#include <cstring>

#include "base/hex.hpp"
#include "events/codec.hpp"
#include "events/decode_internal.hpp"
#include "events/json_writer.hpp"
#include "events/table_codec.hpp"

namespace fl::events {

encoded_event encode_event(const event& e) {
  return {type_name_of(e), schema_version_of(e), encode_data(e)};
}

std::string canonical_record(const record_header& header, const encoded_event& event,
                             const sha256_digest& prev_hash) {
  std::string out;
  out.reserve(event.data_json.size() + header.stream.size() + header.tenant.size() + 200);
  json_writer w(out);
  w.begin_object()
      .key("data")
      .raw(event.data_json)
      .key("position")
      .unsigned_integer(header.position)
      .key("prev_hash")
      .string(to_hex(prev_hash))
      .key("recorded_at_us")
      .integer(to_micros(header.recorded_at))
      .key("schema_version")
      .integer(event.schema_version)
      .key("stream")
      .string(header.stream)
      .key("tenant")
      .string(header.tenant)
      .key("type")
      .string(event.type)
      .key("version")
      .unsigned_integer(header.version)
      .end_object();
  return out;
}

sha256_digest chain_hash(sha256_hasher& hasher, const sha256_digest& prev_hash,
                         std::string_view canonical) {
  return hasher.update(prev_hash).update(canonical).finish();
}

std::string stored_record(const sha256_digest& hash, std::string_view canonical) {
  std::string out;
  out.reserve(hash.size() + canonical.size());
  out.append(reinterpret_cast<const char*>(hash.data()), hash.size());
  out.append(canonical);
  return out;
}

expected<stored_parts, decode_error> split_stored(std::string_view stored) {
  stored_parts parts;
  if (stored.size() < parts.hash.size() + 2)
    return unexpected{decode_error{decode_errc::malformed, "stored record too short"}};
  std::memcpy(parts.hash.data(), stored.data(), parts.hash.size());
  parts.canonical = stored.substr(parts.hash.size());
  return parts;
}

namespace {

using detail::decode_failure;

// Hex digits need no unescaping: read where they lie, up to the closing
// quote (the document's padding makes 65 bytes readable from any string).
sha256_digest read_digest(simdjson::ondemand::value v) {
  const char* text = v.get_raw_json_string().value().raw();
  sha256_digest out{};
  if (text[2 * out.size()] != '"' || !from_hex_into({text, 2 * out.size()}, out))
    throw decode_failure{{decode_errc::wrong_type, "prev_hash is not 64 hex digits"}};
  return out;
}

}  // namespace

expected<recorded_event, decode_error> decode_record(std::string_view stored) {
  recorded_event rec;
  if (auto done = decode_record_into(stored, rec); !done) return unexpected{done.error()};
  return rec;
}

const std::size_t json_padding = simdjson::SIMDJSON_PADDING;

expected<void, decode_error> decode_record_into(std::string_view stored, recorded_event& rec,
                                                std::size_t readable_after) {
  auto parts = split_stored(stored);
  if (!parts) return unexpected{parts.error()};
  thread_local simdjson::ondemand::parser parser;
  rec.hash = parts->hash;
  try {
    const auto& canonical = parts->canonical;
    simdjson::ondemand::document doc =
        parser.iterate(readable_after >= simdjson::SIMDJSON_PADDING
                           ? simdjson::padded_string_view(canonical.data(), canonical.size(),
                                                          canonical.size() + readable_after)
                           : detail::padded_copy(canonical));
    // First pass: the envelope, skipping `data` (its decoder depends on
    // `type`, which sorts after it); second pass: `data`. One parse of the
    // bytes serves both (rewind reuses the structural index).
    std::int64_t schema_version = 0;
    unsigned seen = 0;
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      simdjson::ondemand::value v = field.value();
      if (key == "data") {
        seen |= 1;
      } else if (key == "position") {
        rec.position = v.get_uint64();
        seen |= 2;
      } else if (key == "prev_hash") {
        rec.prev_hash = read_digest(v);
        seen |= 4;
      } else if (key == "recorded_at_us") {
        rec.recorded_at = from_micros(v.get_int64());
        seen |= 8;
      } else if (key == "schema_version") {
        schema_version = v.get_int64();
        seen |= 16;
      } else if (key == "stream") {
        rec.stream = std::string_view(v.get_string());
        seen |= 32;
      } else if (key == "tenant") {
        rec.tenant = std::string_view(v.get_string());
        seen |= 64;
      } else if (key == "type") {
        rec.type = std::string_view(v.get_string());
        seen |= 128;
      } else if (key == "version") {
        rec.version = v.get_uint64();
        seen |= 256;
      } else {
        throw decode_failure{
            {decode_errc::unknown_field, "unknown envelope field \"" + std::string(key) + "\""}};
      }
    }
    if (seen != 511) throw decode_failure{{decode_errc::missing_field, "envelope field missing"}};
    if (!detail::consumed(doc))
      throw decode_failure{{decode_errc::malformed, "trailing bytes after envelope"}};
    rec.schema_version = static_cast<int>(schema_version);
    doc.rewind();
    simdjson::ondemand::value data = doc["data"];
    detail::decode_event_value(rec.type, schema_version, data, rec.data);
  } catch (const decode_failure& f) {
    return unexpected{f.error};
  } catch (const simdjson::simdjson_error& e) {
    return unexpected{detail::from_simdjson(e.error())};
  }
  return {};
}

expected<std::string, decode_error> export_json(std::string_view stored) {
  auto rec = decode_record(stored);
  if (!rec) return unexpected{rec.error()};
  auto parts = split_stored(stored);
  // The stored data bytes, located again so they are printed untouched.
  thread_local simdjson::ondemand::parser parser;
  std::string data_json;
  try {
    simdjson::ondemand::document doc = parser.iterate(detail::padded_copy(parts->canonical));
    simdjson::ondemand::object data = doc["data"].get_object();
    data_json = std::string(std::string_view(data.raw_json()));
  } catch (const simdjson::simdjson_error& e) {
    return unexpected{detail::from_simdjson(e.error())};
  }
  std::string out;
  json_writer w(out);
  w.begin_object()
      .key("data")
      .raw(data_json)
      .key("hash")
      .string(to_hex(rec->hash))
      .key("position")
      .unsigned_integer(rec->position)
      .key("prev_hash")
      .string(to_hex(rec->prev_hash))
      .key("recorded_at")
      .string(format_rfc3339_utc(rec->recorded_at))
      .key("schema_version")
      .integer(rec->schema_version)
      .key("stream")
      .string(rec->stream)
      .key("tenant")
      .string(rec->tenant)
      .key("type")
      .string(rec->type)
      .key("version")
      .unsigned_integer(rec->version)
      .end_object();
  return out;
}

}  // namespace fl::events
