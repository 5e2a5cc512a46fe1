#include "domain/property_match.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace fl::domain {

namespace {

// Lowercase ASCII words; everything else separates words.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      word += static_cast<char>(std::tolower(c));
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Levenshtein distance, stopping early above `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t best = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
  }
  return row[b.size()];
}

std::size_t typo_allowance(std::string_view word) {
  if (word.size() >= 7) return 2;
  if (word.size() >= 4) return 1;
  return 0;
}

bool word_matches(std::string_view answer_word, const std::vector<std::string>& name_words) {
  return std::any_of(name_words.begin(), name_words.end(), [&](const std::string& w) {
    if (w == answer_word) return true;
    if (answer_word.size() >= 3 && w.starts_with(answer_word)) return true;
    auto allowed = typo_allowance(answer_word);
    return allowed > 0 && edit_distance(answer_word, w, allowed) <= allowed;
  });
}

// The one index `matches` selects, or nullopt for none or several.
std::optional<std::size_t> the_one(const std::vector<bool>& matches) {
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < matches.size(); ++i)
    if (matches[i]) {
      if (found) return std::nullopt;
      found = i;
    }
  return found;
}

std::optional<std::size_t> by_number(const std::vector<std::string>& words, std::size_t count) {
  if (words.size() != 1) return std::nullopt;
  const auto& w = words.front();
  if (w.empty() || w.size() > 3 || !std::all_of(w.begin(), w.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      }))
    return std::nullopt;
  std::size_t n = std::stoul(w);
  if (n < 1 || n > count) return std::nullopt;
  return n - 1;
}

}  // namespace

std::optional<std::size_t> match_property(std::string_view answer,
                                          std::span<const property_ref> choices) {
  auto words = words_of(answer);
  if (words.empty() || choices.empty()) return std::nullopt;
  if (auto n = by_number(words, choices.size())) return n;
  std::vector<std::vector<std::string>> names;
  for (const auto& c : choices) names.push_back(words_of(c.name));
  auto text = joined(words);
  auto pick = [&](auto&& pred) {
    std::vector<bool> m(choices.size());
    for (std::size_t i = 0; i < choices.size(); ++i) m[i] = pred(i);
    return m;
  };
  // Whole name, then a name starting with the answer.
  if (auto one = the_one(pick([&](std::size_t i) { return joined(names[i]) == text; }))) return one;
  if (auto one = the_one(pick([&](std::size_t i) { return joined(names[i]).starts_with(text); })))
    return one;
  // Every answer word in the name (exactly, as a prefix or with a typo),
  // then as many answer words as possible, ignoring those naming nothing.
  auto matching_words = [&](std::size_t i) {
    return std::count_if(words.begin(), words.end(),
                         [&](const std::string& w) { return word_matches(w, names[i]); });
  };
  if (auto one = the_one(pick([&](std::size_t i) {
        return static_cast<std::size_t>(matching_words(i)) == words.size();
      })))
    return one;
  std::ptrdiff_t best = 0;
  for (std::size_t i = 0; i < choices.size(); ++i) best = std::max(best, matching_words(i));
  if (best == 0) return std::nullopt;
  return the_one(pick([&](std::size_t i) { return matching_words(i) == best; }));
}

}  // namespace fl::domain
