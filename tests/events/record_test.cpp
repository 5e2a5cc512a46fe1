// The log record: canonical envelope, hash chain link, stored value and its
// decoding and export.

#include "events/record.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

#include "base/hex.hpp"
#include "base/sha256.hpp"
#include "base/timestamp.hpp"
#include "events/codec.hpp"
#include "tests/support/sample_events.hpp"

using namespace fl;
using namespace fl::events;
using nlohmann::json;

namespace {

// 2026-11-23T18:00:00.123456Z
const timestamp when = from_micros(1795456800123456);

sha256_digest digest_of(std::string_view s) {
  return sha256(s);
}

struct built {
  std::string canonical;
  sha256_digest hash;
  std::string stored;
};

built build(const event& e, std::uint64_t position, const sha256_digest& prev,
            std::string_view stream = "conv:t1:+15551234567", std::uint64_t version = 3) {
  sha256_hasher hasher;
  encoded_event enc = encode_event(e);
  built b;
  b.canonical = canonical_record({position, stream, version, "t1", when}, enc, prev);
  b.hash = chain_hash(hasher, prev, b.canonical);
  b.stored = stored_record(b.hash, b.canonical);
  return b;
}

}  // namespace

TEST_CASE("the canonical record is the sorted envelope around the data as encoded",
          "[events][record]") {
  sms_sent e{"msg_1", "SM1"};
  sha256_digest prev = digest_of("previous");
  built b = build(e, 42, prev);
  CHECK(
      b.canonical ==
      R"({"data":{"message_id":"msg_1","message_sid":"SM1"},"position":42,"prev_hash":")" +
          to_hex(prev) +
          R"(","recorded_at_us":1795456800123456,"schema_version":1,"stream":"conv:t1:+15551234567","tenant":"t1","type":"sms_sent","version":3})");
  CHECK(json::parse(b.canonical).dump() == b.canonical);
}

TEST_CASE("the chain hash is SHA-256 over the previous hash's bytes then the canonical bytes",
          "[events][record]") {
  sha256_digest prev = digest_of("previous");
  built b = build(sms_sent{"m", "SM"}, 1, prev);
  std::string preimage(reinterpret_cast<const char*>(prev.data()), prev.size());
  preimage += b.canonical;
  CHECK(b.hash == sha256(preimage));

  // The hasher is reusable: the same input gives the same hash again.
  sha256_hasher hasher;
  CHECK(chain_hash(hasher, prev, b.canonical) == b.hash);
  CHECK(chain_hash(hasher, prev, b.canonical) == b.hash);
  CHECK(chain_hash(hasher, sha256_digest{}, b.canonical) != b.hash);
}

TEST_CASE("a stored record is the 32 hash bytes followed by the canonical bytes",
          "[events][record]") {
  built b = build(sms_sent{"m", "SM"}, 1, sha256_digest{});
  REQUIRE(b.stored.size() == 32 + b.canonical.size());
  CHECK(b.stored.compare(0, 32, reinterpret_cast<const char*>(b.hash.data()), 32) == 0);
  auto parts = split_stored(b.stored);
  REQUIRE(parts);
  CHECK(parts->hash == b.hash);
  CHECK(parts->canonical == b.canonical);
}

TEST_CASE("decode_record gives back the envelope, the event and both hashes", "[events][record]") {
  sms_received e = testing::sample_inbound(5);
  e.media = {{"https://x/1", "image/gif"}};
  e.body = "caf\xC3\xA9 \"line\"\n";
  sha256_digest prev = digest_of("p");
  built b = build(e, 7, prev, "conv:t1:\xE2\x98\x83", 2);

  auto rec = decode_record(b.stored);
  if (!rec) FAIL(rec.error().message);
  CHECK(rec->position == 7);
  CHECK(rec->stream == "conv:t1:\xE2\x98\x83");
  CHECK(rec->version == 2);
  CHECK(rec->type == "sms_received");
  CHECK(rec->schema_version == 1);
  CHECK(rec->recorded_at == when);
  CHECK(rec->tenant == "t1");
  CHECK(std::get<sms_received>(rec->data) == e);
  CHECK(rec->prev_hash == prev);
  CHECK(rec->hash == b.hash);
}

TEST_CASE("decode_record round-trips every event type", "[events][record]") {
  const event all[] = {testing::sample_inbound(1), testing::sample_outbound(2), sms_sent{"m", "SM"},
                       sms_status_changed{"SM", "sent", std::nullopt},
                       sms_failed{"m", 30007, "filtered", true}};
  sha256_digest prev{};
  std::uint64_t position = 1;
  for (const auto& e : all) {
    built b = build(e, position, prev);
    auto rec = decode_record(b.stored);
    INFO(type_name_of(e));
    REQUIRE(rec);
    CHECK(rec->data == e);
    CHECK(rec->position == position);
    CHECK(rec->prev_hash == prev);
    prev = b.hash;
    ++position;
  }
}

TEST_CASE("decoding into an event decoded before leaves exactly the stored event",
          "[events][record]") {
  // A replay decodes each batch into the events of an earlier one: nothing
  // of what they held may show through (optional fields, longer lists, the
  // type of another event).
  sms_received rich = testing::sample_inbound(1);
  rich.messaging_service_sid = "MG1";
  rich.media = {{"https://a.example/1.jpg", "image/jpeg"},
                {"https://a.example/2.png", "image/png"}};
  sms_received plain = testing::sample_inbound(2);
  plain.messaging_service_sid.reset();
  plain.media = {{"https://b.example/3.gif", "image/gif"}};
  const event sequence[] = {
      rich,
      plain,
      sms_received{"SM9", "AC9", std::nullopt, "+15550000001", "+15550000002", "", {}},
      sms_status_changed{"SM", "undelivered", 30003},
      sms_status_changed{"SM", "sent", std::nullopt},
      rich,
      sms_failed{"m", 30007, "filtered", true}};
  recorded_event reused;
  std::uint64_t position = 1;
  for (const auto& e : sequence) {
    built b = build(e, position, sha256_digest{},
                    position % 2 ? "conversation:t1:+15551234567" : "s", position);
    INFO(position);
    REQUIRE(decode_record_into(b.stored, reused));
    auto fresh = decode_record(b.stored);
    REQUIRE(fresh);
    CHECK(reused.data == e);
    CHECK(reused.data == fresh->data);
    CHECK(reused.stream == fresh->stream);
    CHECK(reused.version == position);
    CHECK(reused.position == position);
    CHECK(reused.type == type_name_of(e));
    CHECK(reused.hash == b.hash);
    ++position;
  }
}

TEST_CASE("an optional field missing from stored data decodes as absent into an event that had it",
          "[events][record]") {
  // Data written before an optional field existed has no key for it.
  auto without = nlohmann::json::parse(encode_data(testing::sample_inbound(2)));
  without.erase("messaging_service_sid");
  std::string data = without.dump();
  encoded_event enc{"sms_received", 1, data};
  sha256_hasher hasher;
  auto canonical =
      canonical_record({1, "conversation:t1:+15551234567", 1, "t1", when}, enc, sha256_digest{});
  auto stored = stored_record(chain_hash(hasher, sha256_digest{}, canonical), canonical);

  sms_received had = testing::sample_inbound(1);
  had.messaging_service_sid = "MG1";
  recorded_event reused;
  reused.data = had;
  REQUIRE(decode_record_into(stored, reused));
  const auto& decoded = std::get<sms_received>(reused.data);
  CHECK_FALSE(decoded.messaging_service_sid);
  CHECK(decoded.body == testing::sample_inbound(2).body);
}

TEST_CASE("a record parsed where it lies reads nothing of the bytes after it", "[events][record]") {
  // A replay parses records in place in its read buffer: the next record's
  // bytes follow each one. Whatever they are, they change nothing, and a
  // truncated record stays an error even if they would complete it.
  built b = build(testing::sample_inbound(3), 7, digest_of("prev"));
  for (std::string after : {std::string(json_padding, '\0'), std::string(json_padding, '}'),
                            "\"}}" + std::string(json_padding, ' ') + b.stored}) {
    std::string buffer = b.stored + after;
    recorded_event rec;
    REQUIRE(decode_record_into(std::string_view(buffer).substr(0, b.stored.size()), rec,
                               buffer.size() - b.stored.size()));
    CHECK(rec.data == event{testing::sample_inbound(3)});
    CHECK(rec.position == 7);

    for (std::size_t cut : {1, 2, 10}) {
      std::string truncated = b.stored.substr(0, b.stored.size() - cut);
      std::string tail = b.stored.substr(b.stored.size() - cut) + after;
      std::string joined = truncated + tail;  // the missing bytes right after it
      recorded_event partial;
      CHECK_FALSE(decode_record_into(std::string_view(joined).substr(0, truncated.size()), partial,
                                     tail.size()));
    }
  }
}

TEST_CASE("export JSON holds the hash, RFC 3339 recorded_at and the data exactly as stored",
          "[events][record]") {
  sms_received e = testing::sample_inbound(5);
  e.body = "caf\xC3\xA9 \xF0\x9F\x98\x80 \x01";
  sha256_digest prev = digest_of("p");
  built b = build(e, 9, prev);

  auto out = export_json(b.stored);
  if (!out) FAIL(out.error().message);
  // Canonical itself, and data is the first key: its bytes sit right after it.
  CHECK(json::parse(*out).dump() == *out);
  std::string data = encode_data(e);
  CHECK(out->rfind("{\"data\":" + data + ",", 0) == 0);

  json j = json::parse(*out);
  CHECK(j["hash"] == to_hex(b.hash));
  CHECK(j["prev_hash"] == to_hex(prev));
  CHECK(j["recorded_at"] == "2026-11-23T18:00:00.123456+00:00");
  CHECK(j["position"] == 9);
  CHECK(j["version"] == 3);
  CHECK(j["stream"] == "conv:t1:+15551234567");
  CHECK(j["tenant"] == "t1");
  CHECK(j["type"] == "sms_received");
  CHECK(j["schema_version"] == 1);
  CHECK(!j.contains("recorded_at_us"));
  CHECK(j.size() == 10);
}

TEST_CASE("a stored record with any byte flipped no longer matches its chain hash",
          "[events][record]") {
  sha256_digest prev = digest_of("p");
  built b = build(testing::sample_outbound(1), 3, prev);
  sha256_hasher hasher;
  for (std::size_t i = 0; i < b.stored.size(); ++i) {
    std::string tampered = b.stored;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    auto parts = split_stored(tampered);
    REQUIRE(parts);
    INFO("flipped byte " << i);
    CHECK(chain_hash(hasher, prev, parts->canonical) != parts->hash);
  }
}

TEST_CASE("decode_record of a value too short to hold a hash and a record is an error",
          "[events][record]") {
  built b = build(sms_sent{"m", "SM"}, 1, sha256_digest{});
  for (std::size_t n :
       {std::size_t{0}, std::size_t{1}, std::size_t{31}, std::size_t{32}, std::size_t{33}}) {
    INFO("length " << n);
    auto rec = decode_record(std::string_view(b.stored).substr(0, n));
    REQUIRE(!rec);
    CHECK(rec.error().code == decode_errc::malformed);
    CHECK(!split_stored(std::string_view(b.stored).substr(0, n)));
    CHECK(!export_json(std::string_view(b.stored).substr(0, n)));
  }
}

TEST_CASE("decode_record of any truncated stored value is an error, never an exception",
          "[events][record]") {
  built b = build(testing::sample_inbound(3), 1, sha256_digest{});
  for (std::size_t n = 0; n < b.stored.size(); ++n) {
    INFO("length " << n);
    bool ok = true;
    CHECK_NOTHROW(ok = decode_record(std::string_view(b.stored).substr(0, n)).has_value());
    CHECK(!ok);
  }
}

TEST_CASE("decode_record refuses envelopes with missing, unknown or ill-typed fields",
          "[events][record]") {
  std::string hash(32, '\x11');
  std::string zeros(64, '0');
  std::string good =
      R"({"data":{"message_id":"m","message_sid":"SM"},"position":1,"prev_hash":")" + zeros +
      R"(","recorded_at_us":5,"schema_version":1,"stream":"s","tenant":"t","type":"sms_sent","version":1})";
  REQUIRE(decode_record(hash + good));

  auto code_of = [&](const std::string& canonical) {
    auto rec = decode_record(hash + canonical);
    INFO(canonical);
    REQUIRE(!rec);
    return rec.error().code;
  };
  auto replace = [&](std::string from, std::string to) {
    std::string s = good;
    auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  CHECK(code_of(replace(R"("tenant":"t",)", "")) == decode_errc::missing_field);
  CHECK(code_of(replace(R"("version":1})", R"("version":1,"zzz":1})")) ==
        decode_errc::unknown_field);
  CHECK(code_of(replace(R"("position":1)", R"("position":"1")")) == decode_errc::wrong_type);
  CHECK(code_of(replace(R"("position":1)", R"("position":-1)")) == decode_errc::wrong_type);
  CHECK(code_of(replace(zeros, zeros.substr(2))) == decode_errc::wrong_type);
  CHECK(code_of(replace(zeros, std::string(62, '0') + "zz")) == decode_errc::wrong_type);
  CHECK(code_of(replace(zeros, zeros + "00")) == decode_errc::wrong_type);
  // Read where it lies: an escaped digit is no hex digit, even if it means one.
  CHECK(code_of(replace(zeros, R"(\u0030)" + zeros.substr(1))) == decode_errc::wrong_type);
  CHECK(code_of(replace('"' + zeros + '"', "0")) == decode_errc::wrong_type);
  // The last field: the 65 bytes read run into the padding after the record.
  CHECK(code_of(R"({"data":{},"prev_hash":")" + zeros.substr(4) + R"("})") ==
        decode_errc::wrong_type);
  CHECK(code_of(replace("sms_sent", "sms_unknown")) == decode_errc::unknown_type);
  CHECK(code_of(replace(R"("schema_version":1)", R"("schema_version":2)")) ==
        decode_errc::unsupported_version);
  CHECK(code_of(replace(R"("message_sid":"SM")", R"("message_sid":5)")) == decode_errc::wrong_type);
  CHECK(code_of(good + " x") == decode_errc::malformed);
}
