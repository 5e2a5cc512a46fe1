#pragma once

// A crew's text cut into words, numbers, clock times and punctuation, each
// remembering where it stood in the original bytes so that what the rules
// interpreter does not read can be handed back as written (the notes).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fl::domain {

enum class token_kind : std::uint8_t {
  word,    // ASCII letters, lowercased, apostrophes dropped ("what's" → "whats")
  number,  // "3", "2.5", ".5", "1/2" (a proper fraction with a small denominator)
  clock,   // "3:30", "14:05"
  punct,   // one ASCII punctuation character, or "\n" for a line break
  symbol,  // a run of non-ASCII characters (emoji, accented letters), valid UTF-8
};

struct crew_token {
  token_kind kind = token_kind::word;
  std::string text;       // lowercased word, the punctuation character, or the digits
  double value = 0;       // number: its value; clock: the hour
  int minute = 0;         // clock: the minutes
  bool fraction = false;  // number written as a fraction ("1/2")
  bool attached = false;  // no space between this token and the one before
  std::size_t begin = 0;  // byte range in the original text
  std::size_t end = 0;
};

/// Cuts `text` into tokens. Spaces and control characters separate tokens and
/// are dropped; bytes that are not valid UTF-8 are dropped. "@" reads as the
/// word "at", "&" and "+" as "and", "~" as "about", "w/" as "with". Letters
/// and digits written together are split ("3yds" → 3, yds; "2am" → 2, am),
/// except "cacl2", which stays one word.
std::vector<crew_token> tokenize_crew_text(std::string_view text);

/// The bytes of `text` from `begin` to `end` with control characters and runs
/// of white space turned into one space and invalid UTF-8 dropped.
std::string clean_span(std::string_view text, std::size_t begin, std::size_t end);

}  // namespace fl::domain
