#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "base/sha256.hpp"
#include "base/timestamp.hpp"
#include "events/decode_error.hpp"
#include "events/event.hpp"

namespace fl::events {

/// An event as the log holds it: the envelope and the (latest-version) data.
struct recorded_event {
  std::uint64_t position = 0;  // global, 1-based, gap-free, in append order
  std::string stream;          // e.g. "conversation:<tenant>:<phone>"
  std::uint64_t version = 0;   // 1-based position within the stream
  std::string type;            // stable name, e.g. "sms_received"
  int schema_version = 0;      // as stored
  timestamp recorded_at;       // when the log committed it
  std::string tenant;
  event data;
  sha256_digest prev_hash{};  // the previous event's hash; zeros for the first
  sha256_digest hash{};       // SHA-256(prev_hash || canonical bytes)
};

/// An event's data encoded once, by the appending thread, ready for the log.
struct encoded_event {
  std::string_view type;
  int schema_version = 0;
  std::string data_json;
};

encoded_event encode_event(const event& e);

/// Where an event lands: assigned by the log's writer at commit.
struct record_header {
  std::uint64_t position = 0;
  std::string_view stream;
  std::uint64_t version = 0;
  std::string_view tenant;
  timestamp recorded_at;
};

/// The event's canonical bytes: canonical JSON of the envelope without its
/// hash, keys in ascending order:
/// `{"data":{..},"position":N,"prev_hash":"hex","recorded_at_us":N,`
/// `"schema_version":N,"stream":"..","tenant":"..","type":"..","version":N}`.
std::string canonical_record(const record_header& header, const encoded_event& event,
                             const sha256_digest& prev_hash);

/// The chain link: SHA-256 over the previous hash's 32 bytes, then the
/// event's canonical bytes.
sha256_digest chain_hash(sha256_hasher& hasher, const sha256_digest& prev_hash,
                         std::string_view canonical);

/// The stored value: the 32-byte hash followed by the canonical bytes.
std::string stored_record(const sha256_digest& hash, std::string_view canonical);

/// A stored value split into its hash and its canonical bytes (views into it).
struct stored_parts {
  sha256_digest hash{};
  std::string_view canonical;
};
expected<stored_parts, decode_error> split_stored(std::string_view stored);

/// Decodes a stored value. Does not check the hash (that is the chain's job:
/// `chain_hash`). Never throws.
expected<recorded_event, decode_error> decode_record(std::string_view stored);
/// `decode_record` into an event decoded before, reusing the memory its
/// strings hold (a replay recycles its batches). On an error `out` is left
/// partly written. `readable_after`: how many bytes after `stored` may be
/// read (never used); with `json_padding` or more the record is parsed in
/// place instead of copied into a padded buffer first.
expected<void, decode_error> decode_record_into(std::string_view stored, recorded_event& out,
                                                std::size_t readable_after = 0);
/// The bytes the JSON parser may read past the end of its input.
extern const std::size_t json_padding;

/// The event as one line of export JSON (NDJSON for `fieldline replay`, the
/// audit API): the canonical envelope with `hash` added and `recorded_at` as
/// RFC 3339. Data is printed exactly as stored.
expected<std::string, decode_error> export_json(std::string_view stored);

}  // namespace fl::events
