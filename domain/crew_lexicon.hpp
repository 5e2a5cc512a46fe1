#pragma once

// The words winter-service crews use: equipment (with the spellings,
// abbreviations and brand names they text), units, materials, number words,
// and the everyday and snow-work vocabulary that tells a note from
// gibberish. Matching tolerates plurals and, for longer words, one typo
// (two for words of nine letters or more), but never "corrects" a word that
// is itself known ("lower" is not "blower").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/crew_text_tokens.hpp"

namespace fl::domain {

struct word_match {
  bool matched = false;
  bool typo = false;  // matched only as a misspelling
  int distance = 0;   // edits needed when it is a misspelling
};

/// Whether `token` (a lowercased word) is `lexicon_word`, its plural, or a
/// misspelling of it.
word_match match_word(std::string_view token, std::string_view lexicon_word);

/// Optimal-string-alignment distance (Damerau–Levenshtein with adjacent
/// transpositions), giving up above `cap` (returns cap + 1).
int edit_distance(std::string_view a, std::string_view b, int cap);

struct lexicon_match {
  std::size_t next = 0;  // index of the first token after the match
  bool typo = false;     // some word matched only as a misspelling
  bool assumed = false;  // the words are vaguer than the name ("truck")
  int distance = 0;      // edits needed, summed over the words
};

struct equipment_match : lexicon_match {
  std::string_view canonical;
};
/// Equipment named at tokens[i] ("plow truck", "skid-steer", "bobcat",
/// "4 wheeler"): an exact name before a misspelt one, the longest name
/// first, and among misspellings the closest.
std::optional<equipment_match> match_equipment(const std::vector<crew_token>& t, std::size_t i);

enum class crew_unit : std::uint8_t { yards, tons, bags };
struct unit_match : lexicon_match {
  crew_unit unit = crew_unit::yards;
};
/// A unit at tokens[i]: "yards", "yd", "cu yd", "tons", "tn", "bags", "sacks";
/// "y" and "t" only when written against the number ("3y", "2t").
std::optional<unit_match> match_unit(const std::vector<crew_token>& t, std::size_t i);

enum class crew_material : std::uint8_t { salt, bulk, calcium, ice_melt };
struct material_match : lexicon_match {
  crew_material material = crew_material::salt;
};
/// A material at tokens[i]: "salt", "rock salt", "bulk (salt)", "calcium
/// (chloride)", "cacl", "cal", "ice melt". Several in a row read as one
/// ("bulk rock salt").
std::optional<material_match> match_material(const std::vector<crew_token>& t, std::size_t i);

/// "one" … "twenty", "thirty", "forty", "fifty", "dozen".
std::optional<double> number_word_value(std::string_view word);

/// Everyday English and snow-work words: a text made of them is a note, not
/// gibberish.
bool is_known_word(std::string_view word);
/// Words only a winter-service report would use ("salted", "icy", "lot").
bool is_snow_work_word(std::string_view word);

}  // namespace fl::domain
