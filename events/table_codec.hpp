#pragma once

// Generic writing and reading of values described by field tables. Internal
// to the events library (it pulls in simdjson).

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/decode_error.hpp"
#include "events/field_table.hpp"
#include "events/json_writer.hpp"

namespace fl::events::detail {

/// Thrown inside the events library only; converted to `decode_error` at the
/// decode boundary.
struct decode_failure {
  decode_error error;
};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// ---- writing ---------------------------------------------------------------

inline void write_value(json_writer& w, const std::string& s) {
  w.string(s);
}
inline void write_value(json_writer& w, std::int64_t n) {
  w.integer(n);
}
inline void write_value(json_writer& w, bool b) {
  w.boolean(b);
}
// The shortest text that reads back as the same double (std::to_chars), so a
// decoded event re-encodes to the same bytes. JSON has no NaN or infinity:
// those are written as null, which does not decode as a number — the domain
// refuses them before they reach an event.
inline void write_value(json_writer& w, double d) {
  if (!std::isfinite(d)) {
    w.null();
    return;
  }
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, d);
  w.raw(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
}

template <has_field_table T>
void write_value(json_writer& w, const T& obj);

template <class T>
void write_value(json_writer& w, const std::optional<T>& v) {
  if (v)
    write_value(w, *v);
  else
    w.null();
}

template <class T>
void write_value(json_writer& w, const std::vector<T>& items) {
  w.begin_array();
  for (const auto& item : items) write_value(w, item);
  w.end_array();
}

template <has_field_table T>
void write_value(json_writer& w, const T& obj) {
  w.begin_object();
  std::apply([&](const auto&... f) { ((w.key(f.name), write_value(w, obj.*(f.member))), ...); },
             fields(std::type_identity<T>{}));
  w.end_object();
}

// ---- reading (simdjson on-demand; its errors surface as exceptions) --------

using json_value = simdjson::ondemand::value;

inline void read_value(json_value v, std::string& out) {
  std::string_view s = v.get_string();
  out.assign(s);
}
inline void read_value(json_value v, std::int64_t& out) {
  out = v.get_int64();
}
inline void read_value(json_value v, bool& out) {
  out = v.get_bool();
}
inline void read_value(json_value v, double& out) {
  out = v.get_double();
}

template <has_field_table T>
void read_value(json_value v, T& out);

// Reading writes into what `out` holds (a replay decodes into the events of
// a batch it decoded before, reusing their strings' memory): every reader
// leaves `out` exactly as the JSON says, whatever it held.
template <class T>
void read_value(json_value v, std::optional<T>& out) {
  if (v.is_null()) {
    out.reset();
    return;
  }
  if (!out) out.emplace();
  read_value(v, *out);
}

template <class T>
void read_value(json_value v, std::vector<T>& out) {
  std::size_t n = 0;
  for (json_value item : v.get_array()) {
    if (n == out.size()) out.emplace_back();
    read_value(item, out[n++]);
  }
  out.resize(n);
}

template <class Table, std::size_t... I>
bool read_field(std::string_view key, json_value v, auto& out, std::uint64_t& seen,
                const Table& table, std::index_sequence<I...>) {
  bool matched = false;
  (void)((key == std::get<I>(table).name
              ? (read_value(v, out.*(std::get<I>(table).member)), seen |= 1ULL << I, matched = true)
              : false) ||
         ...);
  return matched;
}

// A required field missing is an error; an optional one missing is empty.
template <class Table, std::size_t... I>
void finish_fields(std::uint64_t seen, const Table& table, auto& out, std::index_sequence<I...>) {
  auto check = [&](const auto& f, std::size_t i) {
    if (seen & (1ULL << i)) return;
    auto& member = out.*(f.member);
    if constexpr (is_optional<std::remove_cvref_t<decltype(member)>>::value)
      member.reset();
    else
      throw decode_failure{
          {decode_errc::missing_field, "missing field \"" + std::string(f.name) + "\""}};
  };
  (check(std::get<I>(table), I), ...);
}

template <has_field_table T>
void read_value(json_value v, T& out) {
  constexpr auto table = fields(std::type_identity<T>{});
  constexpr std::size_t n = std::tuple_size_v<decltype(table)>;
  static_assert(n <= 64);
  std::uint64_t seen = 0;
  for (auto f : v.get_object()) {
    std::string_view key = f.unescaped_key();
    if (!read_field(key, f.value(), out, seen, table, std::make_index_sequence<n>{}))
      throw decode_failure{
          {decode_errc::unknown_field, "unknown field \"" + std::string(key) + "\""}};
  }
  finish_fields(seen, table, out, std::make_index_sequence<n>{});
}

}  // namespace fl::events::detail
