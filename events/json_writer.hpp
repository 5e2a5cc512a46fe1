#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fl::events {

/// Writes canonical JSON: no whitespace, the caller writes object keys in
/// ascending byte order (checked), strings escaped the way nlohmann::json
/// dumps them (`"`, `\`, control characters; UTF-8 kept as is, invalid
/// sequences replaced by U+FFFD). The same value always gives the same bytes,
/// which is what the log's hash chain relies on.
class json_writer {
 public:
  explicit json_writer(std::string& out) : out_(out) {}

  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view name);
  json_writer& string(std::string_view text);
  json_writer& integer(std::int64_t n);
  json_writer& unsigned_integer(std::uint64_t n);
  json_writer& boolean(bool b);
  json_writer& null();
  /// Inserts already-canonical JSON as one value.
  json_writer& raw(std::string_view json);

 private:
  struct level {
    bool first = true;
    std::string_view last_key;  // keys are literals or outlive the object
  };
  void before_value();

  std::string& out_;
  std::vector<level> levels_;
  bool after_key_ = false;
};

/// Appends `text` as a JSON string literal (quotes included) to `out`.
void append_json_string(std::string& out, std::string_view text);

/// The most bytes `write_json_string` writes for `size` bytes of text.
constexpr std::size_t json_string_max(std::size_t size) {
  return 6 * size + 2;  // `\u00XX` per byte at worst, and the quotes
}
/// Writes `text` as `append_json_string` does at `out` (room for
/// `json_string_max(text.size())` bytes); returns the end.
char* write_json_string(char* out, std::string_view text);

}  // namespace fl::events
