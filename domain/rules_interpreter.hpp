#pragma once

// The built-in interpreter of crews' texts: hand-written rules over a
// tokenizer and a lexicon of the trade, no network, no regex. The same text
// always reads the same way. docs/interpretation.md describes the rules,
// the lexicon and how confidence is decided.

#include <string_view>

#include "domain/interpretation.hpp"

namespace fl::domain {

/// Reads one text. Never throws on any input (empty, very long, emoji,
/// control characters, invalid UTF-8); notes and property_hint are always
/// valid UTF-8.
interpretation interpret_with_rules(std::string_view text);

}  // namespace fl::domain
