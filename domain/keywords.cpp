#include "domain/keywords.hpp"

#include <array>
#include <string>

namespace fl::domain {

std::string_view to_string(compliance_keyword k) {
  switch (k) {
    case compliance_keyword::none:
      return "none";
    case compliance_keyword::opt_out:
      return "opt_out";
    case compliance_keyword::opt_in:
      return "opt_in";
    case compliance_keyword::help:
      return "help";
  }
  return "none";
}

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

compliance_keyword classify_keyword(std::string_view body) {
  while (!body.empty() && is_space(body.front())) body.remove_prefix(1);
  while (!body.empty() && is_space(body.back())) body.remove_suffix(1);
  if (body.empty() || body.size() > 16) return compliance_keyword::none;
  std::string word;
  for (char c : body) word.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);

  struct entry {
    std::string_view word;
    compliance_keyword kind;
  };
  static constexpr std::array<entry, 13> table{{
      {"STOP", compliance_keyword::opt_out},
      {"STOPALL", compliance_keyword::opt_out},
      {"UNSUBSCRIBE", compliance_keyword::opt_out},
      {"CANCEL", compliance_keyword::opt_out},
      {"END", compliance_keyword::opt_out},
      {"QUIT", compliance_keyword::opt_out},
      {"REVOKE", compliance_keyword::opt_out},
      {"OPTOUT", compliance_keyword::opt_out},
      {"START", compliance_keyword::opt_in},
      {"YES", compliance_keyword::opt_in},
      {"UNSTOP", compliance_keyword::opt_in},
      {"HELP", compliance_keyword::help},
      {"INFO", compliance_keyword::help},
  }};
  for (const auto& e : table)
    if (word == e.word) return e.kind;
  return compliance_keyword::none;
}

}  // namespace fl::domain
