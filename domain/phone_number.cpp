#include "domain/phone_number.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>

namespace fl::domain {

namespace pn = i18n::phonenumbers;

std::string_view to_string(phone_errc code) {
  switch (code) {
    case phone_errc::empty:
      return "empty";
    case phone_errc::not_a_number:
      return "not_a_number";
    case phone_errc::invalid_country_code:
      return "invalid_country_code";
    case phone_errc::too_short:
      return "too_short";
    case phone_errc::too_long:
      return "too_long";
    case phone_errc::impossible:
      return "impossible";
    case phone_errc::unknown_region:
      return "unknown_region";
  }
  return "unknown";
}

std::string phone_number::masked() const {
  // "+" and the first digit stay, as do the last two digits.
  const std::size_t keep_front = std::min<std::size_t>(e164_.size(), e164_.rfind('+') == 0 ? 2 : 0);
  if (e164_.size() <= keep_front + 2) return e164_;
  return e164_.substr(0, keep_front) + std::string(e164_.size() - keep_front - 2, '*') +
         e164_.substr(e164_.size() - 2);
}

class phone_parser {
 public:
  static phone_number make(std::string e164) { return phone_number(std::move(e164)); }
};

namespace {

phone_error error(phone_errc code, std::string_view text, std::string_view why) {
  return {code, "\"" + std::string(text) + "\" is not a phone number: " + std::string(why)};
}

}  // namespace

namespace {

expected<phone_number, phone_error> parse_uncached(std::string_view text,
                                                   std::string_view default_region);

// Webhooks parse the same few thousand numbers over and over, and a parse
// runs ICU regexes: successful parses are remembered per thread (bounded).
struct parse_cache {
  static constexpr std::size_t max_entries = 8192;
  std::unordered_map<std::string, std::string> e164_by_input;  // key: region '\0' text
};

}  // namespace

expected<phone_number, phone_error> parse_phone(std::string_view text,
                                                std::string_view default_region) {
  thread_local parse_cache cache;
  std::string key;
  key.reserve(default_region.size() + 1 + text.size());
  key.append(default_region).push_back('\0');
  key.append(text);
  if (auto it = cache.e164_by_input.find(key); it != cache.e164_by_input.end())
    return phone_parser::make(it->second);
  auto parsed = parse_uncached(text, default_region);
  if (parsed) {
    if (cache.e164_by_input.size() >= parse_cache::max_entries) cache.e164_by_input.clear();
    cache.e164_by_input.emplace(std::move(key), parsed->e164());
  }
  return parsed;
}

namespace {

expected<phone_number, phone_error> parse_uncached(std::string_view text,
                                                   std::string_view default_region) {
  const auto* util = pn::PhoneNumberUtil::GetInstance();
  std::string region(default_region);
  // Built once: asking libphonenumber per call cost a quarter of a webhook's CPU.
  static const std::set<std::string> regions = [util] {
    std::set<std::string> out;
    util->GetSupportedRegions(&out);
    return out;
  }();
  if (!regions.contains(region))
    return unexpected{phone_error{phone_errc::unknown_region,
                                  "\"" + region + "\" is not a region code (e.g. US, CA, GB)"}};

  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return unexpected{error(phone_errc::empty, text, "empty")};
  if (text.size() > 64)
    return unexpected{error(phone_errc::too_long, text.substr(0, 64), "too long")};

  pn::PhoneNumber number;
  switch (util->Parse(std::string(text), region, &number)) {
    case pn::PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case pn::PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return unexpected{error(phone_errc::invalid_country_code, text, "no such country code")};
    case pn::PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case pn::PhoneNumberUtil::TOO_SHORT_NSN:
      return unexpected{error(phone_errc::too_short, text, "too short")};
    case pn::PhoneNumberUtil::TOO_LONG_NSN:
      return unexpected{error(phone_errc::too_long, text, "too long")};
    default:
      return unexpected{error(phone_errc::not_a_number, text, "not a number")};
  }
  switch (util->IsPossibleNumberWithReason(number)) {
    case pn::PhoneNumberUtil::IS_POSSIBLE:
      break;
    case pn::PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      return unexpected{error(phone_errc::too_short, text, "a local number needs its area code")};
    case pn::PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return unexpected{error(phone_errc::invalid_country_code, text, "no such country code")};
    case pn::PhoneNumberUtil::TOO_SHORT:
      return unexpected{error(phone_errc::too_short, text, "too short for its region")};
    case pn::PhoneNumberUtil::TOO_LONG:
      return unexpected{error(phone_errc::too_long, text, "too long for its region")};
    default:
      return unexpected{
          error(phone_errc::impossible, text, "no number of its region has this length")};
  }
  std::string e164;
  util->Format(number, pn::PhoneNumberUtil::E164, &e164);
  return phone_parser::make(std::move(e164));
}

}  // namespace

}  // namespace fl::domain
