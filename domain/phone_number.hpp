#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/expected.hpp"

namespace fl::domain {

/// A phone number in E.164 (`+15551234567`). Only `parse_phone` makes one,
/// so holding one means it was checked.
class phone_number {
 public:
  const std::string& e164() const { return e164_; }
  /// For logs: "+", the first digit and the last two digits: `+1********67`.
  std::string masked() const;
  friend bool operator==(const phone_number&, const phone_number&) = default;
  friend auto operator<=>(const phone_number&, const phone_number&) = default;

 private:
  friend class phone_parser;
  explicit phone_number(std::string e164) : e164_(std::move(e164)) {}
  std::string e164_;
};

/// Why text is not a phone number. Numbers are pinned.
enum class phone_errc : std::uint8_t {
  empty = 1,
  not_a_number = 2,
  invalid_country_code = 3,
  too_short = 4,
  too_long = 5,
  impossible = 6,      // right shape, but no number of that region can be it
  unknown_region = 7,  // the default region given is not a CLDR region code
};

std::string_view to_string(phone_errc code);

struct phone_error {
  phone_errc code = phone_errc::not_a_number;
  std::string message;
};

/// Parses what a person typed ("(555) 123-4567", "+1 555 123 4567",
/// "555.123.4567") with libphonenumber, reading numbers without a country
/// code as numbers of `default_region` (ISO 3166 alpha-2, "US" unless the
/// tenant says otherwise). A number must be *possible* for its region (right
/// length and shape); validity against allocated ranges is not required, so
/// the reserved 555 numbers of examples and tests are accepted. Never guesses:
/// anything else is an error value.
expected<phone_number, phone_error> parse_phone(std::string_view text,
                                                std::string_view default_region = "US");

}  // namespace fl::domain
