// Canonical JSON: the bytes json_writer produces are the bytes nlohmann::json
// dumps for the same value (keys sorted, same escaping), which is what lets
// anyone re-derive a record's hash with an ordinary JSON library.

#include "events/json_writer.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

#include "base/hex.hpp"
#include "events/codec.hpp"
#include "tests/support/sample_events.hpp"

using namespace fl::events;
using nlohmann::json;

namespace {

// Writes `v` with json_writer; nlohmann's objects iterate in sorted key order.
void write(json_writer& w, const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      w.begin_object();
      for (const auto& [k, item] : v.items()) {
        w.key(k);
        write(w, item);
      }
      w.end_object();
      break;
    case json::value_t::array:
      w.begin_array();
      for (const auto& item : v) write(w, item);
      w.end_array();
      break;
    case json::value_t::string:
      w.string(v.get_ref<const std::string&>());
      break;
    case json::value_t::number_integer:
      w.integer(v.get<std::int64_t>());
      break;
    case json::value_t::number_unsigned:
      w.unsigned_integer(v.get<std::uint64_t>());
      break;
    case json::value_t::boolean:
      w.boolean(v.get<bool>());
      break;
    case json::value_t::null:
      w.null();
      break;
    default:
      FAIL("the canonical form has no floats or binary values");
  }
}

std::string canonical(const json& v) {
  std::string out;
  json_writer w(out);
  write(w, v);
  return out;
}

// The bytes of `s` in hex, for failure messages.
std::string hex_of(const std::string& s) {
  return fl::to_hex({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

// nlohmann's dump with invalid UTF-8 replaced rather than thrown.
std::string nlohmann_dump(const json& v) {
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A random string mixing ASCII, control characters, escapes and multi-byte
// UTF-8 (always valid).
std::string random_text(std::mt19937& rng) {
  static constexpr std::string_view pieces[] = {"a",
                                                "Z",
                                                " ",
                                                "\"",
                                                "\\",
                                                "/",
                                                "\x7f",
                                                "\x01",
                                                "\x1f",
                                                "\n",
                                                "\r",
                                                "\t",
                                                "\b",
                                                "\f",
                                                "\xC3\xA9",
                                                "\xE2\x82\xAC",
                                                "\xEF\xBF\xBF",
                                                "\xF0\x9F\x98\x80",
                                                "\xF4\x8F\xBF\xBF",
                                                "\xE2\x80\xA8",
                                                std::string_view("\0", 1)};
  std::uniform_int_distribution<int> len(0, 12);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
  std::string s;
  for (int n = len(rng); n > 0; --n) s += pieces[pick(rng)];
  return s;
}

json random_value(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 4 : 6);
  switch (kind(rng)) {
    case 0:
      return random_text(rng);
    case 1:
      return std::uniform_int_distribution<std::int64_t>(INT64_MIN, INT64_MAX)(rng);
    case 2:
      return std::uniform_int_distribution<std::uint64_t>(0, UINT64_MAX)(rng);
    case 3:
      return std::bernoulli_distribution()(rng);
    case 4:
      return nullptr;
    case 5: {
      json a = json::array();
      for (int n = std::uniform_int_distribution<int>(0, 4)(rng); n > 0; --n)
        a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (int n = std::uniform_int_distribution<int>(0, 5)(rng); n > 0; --n)
        o[random_text(rng)] = random_value(rng, depth + 1);
      return o;
    }
  }
}

}  // namespace

TEST_CASE("canonical JSON equals nlohmann's dump of the same value, for random values",
          "[events][json]") {
  std::mt19937 rng(20261123);  // fixed seed: a failure reproduces
  for (int i = 0; i < 2000; ++i) {
    json v = random_value(rng, 0);
    std::string ours = canonical(v);
    INFO("value #" << i << ": " << ours);
    REQUIRE(ours == v.dump());
    REQUIRE(json::parse(ours) == v);
  }
}

TEST_CASE("canonical JSON escapes every control character the way nlohmann does",
          "[events][json]") {
  for (int c = 0; c < 0x80; ++c) {
    json v = std::string(1, static_cast<char>(c));
    INFO("character " << c);
    CHECK(canonical(v) == v.dump());
  }
  CHECK(canonical(json("\x01")) == R"("\u0001")");
  CHECK(canonical(json("\x1f")) == R"("\u001f")");
  CHECK(canonical(json("\x7f")) == "\"\x7f\"");
  CHECK(canonical(json("/")) == R"("/")");
}

TEST_CASE("canonical JSON writes integers at their extremes exactly", "[events][json]") {
  json v = {{"a", INT64_MIN}, {"b", INT64_MAX}, {"c", UINT64_MAX}, {"d", 0}, {"e", -1}};
  CHECK(canonical(v) == v.dump());
  CHECK(
      canonical(v) ==
      R"({"a":-9223372036854775808,"b":9223372036854775807,"c":18446744073709551615,"d":0,"e":-1})");
}

TEST_CASE("every encoded event is canonical JSON: parsing and dumping it changes nothing",
          "[events][json]") {
  sms_received in = fl::testing::sample_inbound(3);
  in.body = "line\none \"q\" \xF0\x9F\x98\x80 \x01";
  in.media = {{"https://x/1", "image/png"}};
  const event all[] = {in, fl::testing::sample_outbound(3), sms_sent{"m", "SM"},
                       sms_status_changed{"SM", "failed", 30008},
                       sms_failed{"m", std::nullopt, "boom\t", false}};
  for (const auto& e : all) {
    std::string encoded = encode_data(e);
    INFO(encoded);
    CHECK(json::parse(encoded).dump() == encoded);
  }
}

TEST_CASE("json_writer throws logic_error for keys out of canonical order", "[events][json]") {
  std::string out;
  json_writer w(out);
  w.begin_object().key("b").integer(1);
  CHECK_THROWS_AS(w.key("a"), std::logic_error);
}

TEST_CASE("json_writer throws logic_error for a repeated key", "[events][json]") {
  std::string out;
  json_writer w(out);
  w.begin_object().key("a").integer(1);
  CHECK_THROWS_AS(w.key("a"), std::logic_error);
}

TEST_CASE("json_writer orders keys by bytes, and each object level on its own", "[events][json]") {
  std::string out;
  json_writer w(out);
  // "B" < "a" < "\xC3\xA9" in byte order; the nested object starts afresh and
  // the outer object continues after it.
  w.begin_object().key("B").integer(1).key("a").begin_object().key("z").null();
  CHECK_NOTHROW(w.end_object().key("\xC3\xA9").boolean(true).end_object());
  CHECK(out == "{\"B\":1,\"a\":{\"z\":null},\"\xC3\xA9\":true}");

  std::string out2;
  json_writer w2(out2);
  w2.begin_object().key("a").begin_object().key("z").null().end_object();
  CHECK_THROWS_AS(w2.key("a"), std::logic_error);
}

TEST_CASE("canonical JSON replaces each invalid UTF-8 byte sequence by U+FFFD as nlohmann does",
          "[events][json]") {
  const std::string cases[] = {
      "\xFF",                  // never valid
      "a\x80z",                // lone continuation byte
      "\xC0\xAF",              // overlong encoding of '/'
      "\xE0\x80\xAF",          // overlong 3-byte
      "\xED\xA0\x80",          // UTF-16 surrogate
      "\xF4\x90\x80\x80",      // above U+10FFFF
      "\xF5\x80\x80\x80",      // invalid lead byte
      "\xC3",                  // truncated at the end
      "\xE2\x82",              // truncated 3-byte sequence at the end
      "\xE2\x82z",             // truncated 3-byte sequence before ASCII
      "\xF0\x9F\x98z",         // truncated 4-byte sequence before ASCII
      "\xF0\x9F\x98\xC3\xA9",  // truncated 4-byte sequence before valid UTF-8
      "ok \xE2\x82\xAC\xFE\xE2\x82\xAC",
  };
  for (const auto& s : cases) {
    json v = s;
    std::string ours = canonical(v);
    INFO("input bytes: " << hex_of(s));
    CHECK(ours == nlohmann_dump(v));
    CHECK(ours.find("\xEF\xBF\xBD") != std::string::npos);
    // The result is valid UTF-8: nlohmann parses it strictly.
    CHECK_NOTHROW(json::parse(ours));
  }
}

TEST_CASE("canonical JSON of random bytes equals nlohmann's dump with invalid UTF-8 replaced",
          "[events][json]") {
  std::mt19937 rng(3339);
  // Bytes biased towards lead and continuation bytes, so that truncated and
  // overlong sequences are common.
  static constexpr unsigned char interesting[] = {0x00, 0x22, 0x41, 0x5c, 0x7f, 0x80, 0x8f, 0x90,
                                                  0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0,
                                                  0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  std::uniform_int_distribution<std::size_t> pick(0, std::size(interesting) - 1);
  std::uniform_int_distribution<int> len(0, 10);
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    for (int n = len(rng); n > 0; --n) s.push_back(static_cast<char>(interesting[pick(rng)]));
    json v = s;
    std::string ours = canonical(v);
    INFO("input bytes: " << hex_of(s));
    REQUIRE(ours == nlohmann_dump(v));
  }
}

TEST_CASE("an event with invalid UTF-8 in its body is stored with U+FFFD and decodes",
          "[events][json]") {
  sms_received e = fl::testing::sample_inbound(1);
  e.body = "bad \xFF byte";
  std::string encoded = encode_data(e);
  auto decoded = decode_data("sms_received", 1, encoded);
  REQUIRE(decoded);
  CHECK(std::get<sms_received>(*decoded).body == "bad \xEF\xBF\xBD byte");
  CHECK(encode_data(*decoded) == encoded);
}
