#pragma once

// How each event's data is written and read: one hand-written table per type
// (events/sms_fields.hpp) naming its JSON keys in canonical (ascending) order.
// The names are the stored format; renaming a C++ member never changes them.

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace fl::events {

template <class Owner, class Member>
struct field_def {
  std::string_view name;
  Member Owner::*member;
};

template <class Owner, class Member>
constexpr field_def<Owner, Member> field(std::string_view name, Member Owner::*member) {
  return {name, member};
}

/// True if the table's names are strictly ascending, as canonical JSON needs.
template <class... Fields>
constexpr bool canonical_order(const std::tuple<Fields...>& table) {
  return std::apply(
      [](const auto&... f) {
        std::array<std::string_view, sizeof...(f)> names{f.name...};
        for (std::size_t i = 1; i < names.size(); ++i)
          if (!(names[i - 1] < names[i])) return false;
        return true;
      },
      table);
}

/// Types that have a field table (found by ADL on `std::type_identity<T>`).
template <class T>
concept has_field_table = requires {
  fields(std::type_identity<T>{});
};

}  // namespace fl::events
