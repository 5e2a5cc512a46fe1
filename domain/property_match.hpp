#pragma once

// Which of a contractor's properties a text names: "2", "target", "walmrt",
// "the home depot on pine".

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fl::domain {

/// A property as a contractor's texts name it.
struct property_ref {
  std::string id;
  std::string name;
  std::string address;
  friend bool operator==(const property_ref&, const property_ref&) = default;
};

/// The index in `choices` of the property `answer` names, or nullopt when
/// it names none, or several equally well:
/// - its number in the list, 1-based ("2", "#2", "2.");
/// - else its name, case- and punctuation-insensitive: the whole name, then
///   a name starting with the answer, then a name holding every word of the
///   answer, then a name word within a small edit distance of each answer
///   word (1 for words of 4-6 letters, 2 for longer), so "walmrt",
///   "home depo" and "targt" are understood. Words of the answer that name
///   no property ("the", "at", "lot") are ignored when others match.
std::optional<std::size_t> match_property(std::string_view answer,
                                          std::span<const property_ref> choices);

}  // namespace fl::domain
