#pragma once

// The query string of a GET, decoded once and checked against the names a
// route takes: an unknown name (a typo) is refused rather than ignored.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "base/timestamp.hpp"
#include "http/exchange.hpp"
#include "twilio/form.hpp"

namespace fl::http {

class query_params {
 public:
  /// Decodes `query`; the error answer (400 naming the parameter) when it is
  /// malformed or has a name not in `known` (`min_position` is always known).
  static expected<query_params, answer> parse(std::string_view query,
                                              std::initializer_list<std::string_view> known);

  /// Decodes `query` without checking names; the form error's message if malformed.
  static expected<query_params, std::string> decode(std::string_view query);

  std::optional<std::string> text(std::string_view name) const;
  /// An integer in [min, max]; the error answer names the parameter.
  expected<std::optional<std::uint64_t>, answer> number(std::string_view name, std::uint64_t min,
                                                        std::uint64_t max) const;
  /// RFC 3339; a `+` decoded to a space (an unescaped offset) is taken back.
  expected<std::optional<fl::timestamp>, answer> time(std::string_view name) const;
  /// `limit` (1..500, default 50) and `cursor`.
  expected<std::pair<std::size_t, std::optional<std::string>>, answer> page() const;

 private:
  twilio::form_fields fields_;
};

answer invalid_parameter(std::string_view name, std::string_view message);

}  // namespace fl::http
