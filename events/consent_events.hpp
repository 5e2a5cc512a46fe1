#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fl::events {

/// A phone number opted out of the tenant's texts: it sent an opt-out keyword
/// (STOP, UNSUBSCRIBE, ...; `reason` "keyword") or Twilio refused a send to it
/// with error 21610 (`reason` "carrier", no keyword). Nothing but the opt-out
/// confirmation is sent to it until it opts back in.
/// v1: first version.
struct opted_out {
  static constexpr std::string_view type_name = "opted_out";
  static constexpr int schema_version = 1;

  std::string phone;                   // E.164
  std::string reason;                  // "keyword" or "carrier"
  std::optional<std::string> keyword;  // as typed, trimmed and upper-cased; none for "carrier"
  friend bool operator==(const opted_out&, const opted_out&) = default;
};

/// A phone number that had opted out opted back in (START, YES, UNSTOP).
/// v1: first version.
struct opted_in {
  static constexpr std::string_view type_name = "opted_in";
  static constexpr int schema_version = 1;

  std::string phone;    // E.164
  std::string keyword;  // as typed, trimmed and upper-cased
  friend bool operator==(const opted_in&, const opted_in&) = default;
};

}  // namespace fl::events
