#include "domain/person_details.hpp"

#include <fmt/format.h>

#include "domain/phone_number.hpp"
#include "domain/text_checks.hpp"

namespace fl::domain {

namespace {

unexpected<directory_error> fail(directory_errc code, std::string_view field, std::string message) {
  return unexpected{directory_error{code, std::string(field), std::move(message)}};
}

}  // namespace

expected<std::string, directory_error> check_directory_text(std::string_view text,
                                                            std::string_view field,
                                                            std::size_t max_code_points,
                                                            bool allow_newlines) {
  auto trimmed = trim_whitespace(text);
  switch (check_text(trimmed, max_code_points, allow_newlines)) {
    case text_fault::none:
      return std::string(trimmed);
    case text_fault::not_utf8:
      return fail(directory_errc::invalid_text, field, fmt::format("{} is not UTF-8", field));
    case text_fault::control_character:
      return fail(directory_errc::invalid_text, field,
                  fmt::format("{} holds a control character", field));
    case text_fault::too_long:
      break;
  }
  return fail(directory_errc::too_long, field,
              fmt::format("{} is longer than {} characters", field, max_code_points));
}

expected<person_details, directory_error> check_person_details(const person_details& details,
                                                               std::string_view region) {
  person_details out;
  auto first = check_directory_text(details.first_name, "first_name", max_name_code_points, false);
  if (!first) return unexpected{first.error()};
  if (first->empty()) return fail(directory_errc::blank_name, "first_name", "first_name is empty");
  out.first_name = std::move(*first);

  auto last = check_directory_text(details.last_name, "last_name", max_name_code_points, false);
  if (!last) return unexpected{last.error()};
  out.last_name = std::move(*last);

  auto phone = parse_phone(details.phone, region);
  if (!phone) return fail(directory_errc::invalid_phone, "phone", phone.error().message);
  out.phone = phone->e164();

  auto address = check_directory_text(details.address, "address", max_address_code_points, true);
  if (!address) return unexpected{address.error()};
  out.address = std::move(*address);
  return out;
}

}  // namespace fl::domain
