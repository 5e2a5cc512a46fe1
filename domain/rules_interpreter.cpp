#include "domain/rules_interpreter.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

#include "domain/crew_lexicon.hpp"
#include "domain/crew_text_tokens.hpp"
#include "domain/crew_times.hpp"

namespace fl::domain {

namespace {

using words = std::initializer_list<std::string_view>;

bool one_of(std::string_view w, words list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// Whether `w` is one of the words of `list`, written " a b c ".
bool in_list(std::string_view list, std::string_view w) {
  if (w.empty() || w.size() > 16) return false;
  char buf[20];
  buf[0] = ' ';
  w.copy(buf + 1, w.size());
  buf[w.size() + 1] = ' ';
  return list.find(std::string_view(buf, w.size() + 2)) != std::string_view::npos;
}

// Words that only join the items of a report ("used", "and", "with"): dropped
// where a note meets an item, and never a sign of gibberish.
bool is_glue(std::string_view w) {
  static constexpr std::string_view glue =
      " and with w plus also used using use of the a an about approx around total then put spread"
      " applied dropped laid threw some more extra thanks thank you thx ty pls please ok okay at"
      " on in for to by from so just ticket job is was were are we i it got had have did went"
      " through thru now all worked ran run running bout like ";
  return in_list(glue, w);
}

bool is_ack(std::string_view w) {
  static constexpr std::string_view acks =
      " ok okay k kk thanks thank you thx ty yes yep yeah no nope hi hello hey lol sure cool got"
      " it roger will do sounds good ";
  return in_list(acks, w);
}

enum class time_role : unsigned char { started, finished };

struct time_verb {
  time_role role = time_role::started;
  std::size_t next = 0;
  bool needs_anchor = false;  // "in", "out": only "in at 2", never "in 2"
};

bool ambiguous(const clock_reading& c) {
  return c.half == meridiem::none && c.hour >= 1 && c.hour <= 12 && !c.twenty_four_hour;
}

meridiem flip(meridiem h) {
  return h == meridiem::am ? meridiem::pm : meridiem::am;
}

class reader {
 public:
  explicit reader(std::string_view text)
      : text_(text), t_(tokenize_crew_text(text)), used_(t_.size(), false) {
    for (std::size_t i = 0; i < t_.size(); ++i)
      if (t_[i].kind == token_kind::word || t_[i].kind == token_kind::number ||
          t_[i].kind == token_kind::clock)
        words_.push_back(i);
  }

  interpretation read() {
    out_.interpreter = interpreter_kind::rules;
    if (words_.empty()) return finish_unknown();
    if (read_help() || read_status() || read_address()) {
      out_.confidence = interpretation_confidence::high;
      return out_;
    }
    read_start();
    if (!intent_) read_complete();
    read_times();
    read_equipment();
    read_quantities();
    read_bare_numbers();
    read_trailing_done();
    place_loose_clocks();
    read_property_hint();
    read_notes();
    decide();
    return out_;
  }

 private:
  std::string_view text_;
  std::vector<crew_token> t_;
  std::vector<bool> used_;
  std::vector<std::size_t> words_;
  interpretation out_;
  std::optional<ticket_intent> intent_;
  bool assumed_ = false;
  bool items_ = false;  // read equipment, a quantity or a time
  struct loose_clock {
    clock_reading clock;
    std::size_t first = 0;
  };
  // Times written without a verb ("plow truck 3:30"): placed only by DONE.
  std::vector<loose_clock> loose_clocks_;
  bool said_done_at_ = false;  // "done at 5", anywhere in the text

  // ---- token helpers -------------------------------------------------------

  std::size_t size() const { return t_.size(); }
  bool is_word(std::size_t i) const { return i < size() && t_[i].kind == token_kind::word; }
  bool word_is(std::size_t i, std::string_view w) const { return is_word(i) && t_[i].text == w; }
  bool word_in(std::size_t i, words list) const { return is_word(i) && one_of(t_[i].text, list); }
  bool punct_is(std::size_t i, std::string_view p) const {
    return i < size() && t_[i].kind == token_kind::punct && t_[i].text == p;
  }
  bool is_number(std::size_t i) const { return i < size() && t_[i].kind == token_kind::number; }
  // Punctuation that ends a clause or an item.
  bool is_separator(std::size_t i) const {
    if (i >= size()) return false;
    if (t_[i].kind == token_kind::symbol) return true;
    return t_[i].kind == token_kind::punct && !one_of(t_[i].text, {"#", "/", "%", "$", "'"});
  }
  void use(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to && i < size(); ++i) used_[i] = true;
  }
  bool any_used(std::size_t from, std::size_t to) const {
    for (std::size_t i = from; i < to && i < size(); ++i)
      if (used_[i]) return true;
    return false;
  }
  void use_all() { use(0, size()); }
  std::string joined() const {
    std::string s;
    for (auto i : words_) {
      if (!s.empty()) s.push_back(' ');
      s += t_[i].text;
    }
    return s;
  }
  std::string lower_span(std::size_t first, std::size_t last) const {
    std::string s = clean_span(text_, t_[first].begin, t_[last].end);
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
  }
  std::size_t skip_words(std::size_t i, words list) const {
    while (word_in(i, list)) ++i;
    return i;
  }

  interpretation finish_unknown() {
    out_.intent = ticket_intent::unknown;
    out_.confidence = interpretation_confidence::low;
    return out_;
  }

  // ---- commands ------------------------------------------------------------

  bool read_help() {
    static constexpr std::string_view phrases[] = {"help",
                                                   "help me",
                                                   "help please",
                                                   "help pls",
                                                   "info",
                                                   "commands",
                                                   "menu",
                                                   "helpme",
                                                   "how does this work",
                                                   "what do i text",
                                                   "what do i do",
                                                   "how do i use this",
                                                   "what are the commands",
                                                   "what can i text",
                                                   "what do i send",
                                                   "i need help",
                                                   "need help",
                                                   "hlep",
                                                   "halp",
                                                   "helo",
                                                   "help i need help",
                                                   "how do i do this",
                                                   "how does this work again"};
    std::string j = joined();
    if (std::find(std::begin(phrases), std::end(phrases), j) == std::end(phrases)) return false;
    out_.intent = ticket_intent::help;
    use_all();
    return true;
  }

  bool read_status() {
    bool key = false;
    for (auto i : words_) {
      if (!word_in(i, {"status",   "stat",   "statis", "staus",     "of",      "my",     "tickets",
                       "ticket",   "jobs",   "job",    "open",      "check",   "whats",  "what",
                       "is",       "are",    "the",    "list",      "today",   "todays", "show",
                       "me",       "please", "pls",    "any",       "do",      "i",      "have",
                       "assigned", "for",    "on",     "all",       "current", "active", "s",
                       "how",      "many",   "left",   "remaining", "tix"}))
        return false;
      key = key || word_in(i, {"status", "stat", "statis", "staus", "tickets", "jobs", "tix"});
    }
    if (!key || words_.size() > 7) return false;
    out_.intent = ticket_intent::status;
    use_all();
    return true;
  }

  bool read_address() {
    auto address_word = [&](std::size_t i) {
      return word_in(i, {"address", "addr", "addy", "adress", "adres", "addres", "adddress",
                         "location", "directions"});
    };
    bool asks = false;
    for (auto i : words_) asks = asks || address_word(i);
    std::size_t w0 = words_[0];
    if (!asks && words_.size() >= 2 &&
        ((word_is(w0, "where") && word_in(words_[1], {"is", "s", "am", "are", "to"})) ||
         word_is(w0, "wheres")))
      asks = true;
    if (!asks || words_.size() > 9) return false;
    std::optional<std::size_t> first;
    std::size_t last = 0;
    for (auto i : words_) {
      if (address_word(i)) continue;
      if (is_word(i) &&
          (is_snow_work_word(t_[i].text) && t_[i].text != "lot" && t_[i].text != "site" &&
           t_[i].text != "property" && t_[i].text != "job" && t_[i].text != "store"))
        return false;
      if (word_in(i,
                  {"where", "wheres", "is",      "the",     "s",      "what",     "whats", "for",
                   "of",    "to",     "at",      "please",  "pls",    "plz",      "again", "send",
                   "me",    "text",   "can",     "you",     "i",      "get",      "go",    "going",
                   "am",    "im",     "heading", "located", "it",     "property", "site",  "this",
                   "that",  "next",   "job",     "one",     "gimme",  "give",     "need",  "a",
                   "an",    "do",     "have",    "exact",   "street", "current",  "my",    "lot",
                   "store", "u",      "ur",      "r",       "our",    "new"}))
        continue;
      if (!first) first = i;
      last = i;
    }
    out_.intent = ticket_intent::query_address;
    if (first) out_.property_hint = lower_span(*first, last);
    use_all();
    return true;
  }

  // Fillers after START or DONE ("start ticket at", "done with the").
  std::size_t skip_command_fillers(std::size_t i) const {
    return skip_words(
        i, {"ticket", "job",   "work",    "working", "now",   "on",  "the",     "a",     "new",
            "please", "pls",   "at",      "for",     "my",    "up",  "shift",   "tix",   "with",
            "here",   "today", "tonight", "all",     "night", "day", "morning", "tonite"});
  }

  void read_start() {
    std::size_t i = words_[0];
    std::size_t next = 0;
    bool has_number =
        std::any_of(words_.begin(), words_.end(), [&](std::size_t k) { return !is_word(k); });
    if (word_in(i, {"start", "starting", "startin", "strat", "strating", "begin", "beginning",
                    "begining", "beginnig", "starts"}) &&
        !word_is(i + 1, "time")) {
      next = i + 1;
    } else if (word_in(i, {"new", "open"}) && words_.size() >= 2 &&
               word_in(words_[1], {"ticket", "job", "tix"})) {
      next = words_[1] + 1;
    } else if (word_in(i, {"started", "began"}) && words_.size() <= 4 && !has_number &&
               !word_in(words_.size() > 1 ? words_[1] : size(), {"at", "around", "about"})) {
      next = i + 1;
    } else if (word_in(i, {"onsite", "arrived"}) && words_.size() == 1) {
      next = i + 1;
    } else if (joined() == "on site") {
      next = words_[1] + 1;
    } else {
      return;
    }
    intent_ = ticket_intent::start_ticket;
    use(i, skip_command_fillers(next));
  }

  void read_complete() {
    std::size_t i = words_[0];
    std::size_t next = 0;
    auto second = [&](words list) { return words_.size() >= 2 && word_in(words_[1], list); };
    if (word_in(i, {"done", "finished", "finish", "complete", "completed", "finised", "finshed",
                    "finnished", "compete", "completd", "dun", "finito", "donee", "fin"})) {
      next = i + 1;
    } else if ((word_in(i, {"all", "job", "ticket", "im", "were"}) &&
                second({"done", "finished", "complete", "completed", "set"})) ||
               (word_in(i, {"wrapped"}) && second({"up"})) ||
               (word_in(i, {"close", "end", "finish", "complete"}) && second({"ticket", "job"}))) {
      next = words_[1] + 1;
    } else if (words_.size() >= 3 && word_in(i, {"i", "we"}) && word_in(words_[1], {"am", "are"}) &&
               word_in(words_[2], {"done", "finished"})) {
      next = words_[2] + 1;
    } else {
      return;
    }
    intent_ = ticket_intent::complete_ticket;
    use(i, skip_command_fillers(next));
  }

  // ---- times ---------------------------------------------------------------

  std::optional<time_verb> time_verb_at(std::size_t i) const {
    if (!is_word(i)) return std::nullopt;
    const std::string& w = t_[i].text;
    time_verb v;
    v.next = i + 1;
    if (one_of(w, {"started", "start", "starting", "began", "begin", "arrived", "arrive",
                   "arriving", "onsite"})) {
      v.role = time_role::started;
    } else if (one_of(w, {"finished", "finish", "finishing", "done", "completed", "complete",
                          "ended", "end", "left", "leaving", "offsite"})) {
      v.role = time_role::finished;
    } else if ((w == "on" || w == "off") && word_is(i + 1, "site")) {
      v.role = w == "on" ? time_role::started : time_role::finished;
      v.next = i + 2;
    } else if (w == "got" && word_in(i + 1, {"there", "here"})) {
      v.next = i + 2;
    } else if (w == "wrapped" && word_is(i + 1, "up")) {
      v.role = time_role::finished;
      v.next = i + 2;
    } else if (one_of(w, {"in", "out"}) || (w == "clocked" && word_in(i + 1, {"in", "out"}))) {
      bool out = w == "out" || word_is(i + 1, "out");
      v.role = out ? time_role::finished : time_role::started;
      v.next = w == "clocked" ? i + 2 : i + 1;
      v.needs_anchor = w != "clocked";
    } else {
      return std::nullopt;
    }
    if (word_is(v.next, "time")) ++v.next;  // "start time 2am"
    return v;
  }

  bool is_anchor(std::size_t i) const {
    return word_in(i, {"at", "around", "about", "approx", "approximately", "by", "like", "time"}) ||
           punct_is(i, ":") || punct_is(i, "-") || punct_is(i, "=");
  }

  bool is_range_word(std::size_t i) const {
    return word_in(i, {"to", "till", "til", "until", "thru", "through", "and"}) || punct_is(i, "-");
  }

  void set_time(time_role role, clock_reading c) {
    auto tod = local_time_of_day{c.minutes()};
    auto& slot = role == time_role::started ? out_.work_started_at : out_.work_finished_at;
    if (slot) return;
    slot = tod;
    if (ambiguous(c)) assumed_ = true;
    items_ = true;
  }

  static void infer_halves(clock_reading& a, clock_reading& b) {
    if (a.half == meridiem::none && b.half != meridiem::none && a.hour >= 1 && a.hour <= 12) {
      clock_reading x = a.with_half(b.half);
      if (x.minutes() > b.minutes()) x = a.with_half(flip(b.half));
      a = x;
    } else if (b.half == meridiem::none && a.half != meridiem::none && b.hour >= 1 &&
               b.hour <= 12) {
      clock_reading x = b.with_half(a.half);
      if (x.minutes() <= a.minutes()) x = b.with_half(flip(a.half));
      b = x;
    }
  }

  // A range after a first time: "1am to 4", "1-4am".
  bool read_range(std::size_t start_token, clock_reading first, bool need_unmistakable) {
    std::size_t k = first.next;
    if (!is_range_word(k)) return false;
    if (word_is(k, "and") && !word_is(start_token, "between")) return false;
    auto second = read_clock(t_, k + 1);
    if (!second) return false;
    if (need_unmistakable && !first.unmistakable && !second->unmistakable) return false;
    if (any_used(first.next, second->next) && !word_is(start_token, "from")) return false;
    clock_reading a = first;
    clock_reading b = *second;
    infer_halves(a, b);
    set_time(time_role::started, a);
    set_time(time_role::finished, b);
    use(start_token, second->next);
    return true;
  }

  void read_times() {
    for (std::size_t i = 0; i < size(); ++i) {
      if (word_in(i, {"from", "between"})) {
        if (auto c = read_clock(t_, i + 1); c && !any_used(i + 1, c->next))
          if (read_range(i, *c, false)) continue;
      }
      if (auto v = time_verb_at(i)) {
        std::size_t k = v->next;
        std::size_t between = 0;
        while (between < 2 && is_word(k) && !used_[k] && !is_anchor(k) && !match_equipment(t_, k) &&
               !match_material(t_, k) && !time_verb_at(k)) {
          ++k;
          ++between;
        }
        bool anchored = false;
        while (is_anchor(k)) {
          anchored = true;
          ++k;
        }
        if (word_is(k, "from")) ++k;
        if ((between == 0 || anchored) && (anchored || !v->needs_anchor)) {
          if (auto c = read_clock(t_, k);
              c && !any_used(k, c->next) && (c->unmistakable || anchored)) {
            std::size_t from = between == 0 ? i : k;
            if (read_range(from, *c, false)) {
              if (between == 0) use(i, k);
              continue;
            }
            set_time(v->role, *c);
            use(from, c->next);
            if (word_in(i, {"done", "finished", "completed", "complete"})) said_done_at_ = true;
            continue;
          }
        }
      }
      if (!used_[i]) {
        if (auto c = read_clock(t_, i)) {
          if (read_range(i, *c, true)) continue;
          if (c->unmistakable) {
            if (auto v = time_verb_at(c->next);
                v && word_in(c->next,
                             {"start", "started", "finish", "finished", "done", "end", "ended"})) {
              set_time(v->role, *c);
              use(i, v->next);
            } else {
              std::size_t first = i;
              while (first > 0 && !used_[first - 1] &&
                     word_in(first - 1, {"at", "around", "about", "by"}))
                --first;
              loose_clocks_.push_back({*c, first});
            }
          }
        }
      }
    }
  }

  // ---- equipment -------------------------------------------------------------

  void read_equipment() {
    for (std::size_t i = 0; i < size(); ++i) {
      if (used_[i]) continue;
      auto m = match_equipment(t_, i);
      if (!m || any_used(i, m->next)) continue;
      // "no plow truck today": named, not used; it stays in the notes.
      // "couldnt plow the back row", "tow truck": not a machine of ours at work.
      bool plain_plow = m->next == i + 1 && t_[i].text == "plow";
      bool plain_truck = m->next == i + 1 && t_[i].text == "truck";
      if (i > 0 && (word_in(i - 1, {"no", "without", "didnt", "not", "wo", "couldnt", "cant",
                                    "dont", "wont", "cannot"}) ||
                    (plain_plow && word_in(i - 1, {"to"})) ||
                    (plain_truck && word_in(i - 1, {"tow", "pickup", "dump", "delivery"})))) {
        i = m->next - 1;
        continue;
      }
      // "atv with plow": the plow is the attachment of the machine just named.
      if (m->canonical == "plow truck" && m->next == i + 1 && i >= 2 &&
          word_in(i - 1, {"with", "w"}) && used_[i - 2] && !out_.equipment.empty()) {
        use(i - 1, m->next);
        i = m->next - 1;
        continue;
      }
      // "2 loaders": a count of machines, not of bags.
      if (i > 0 && is_number(i - 1) && !used_[i - 1] && t_[i].kind == token_kind::word) {
        used_[i - 1] = true;
      }
      std::string name(m->canonical);
      if (std::find(out_.equipment.begin(), out_.equipment.end(), name) == out_.equipment.end())
        out_.equipment.push_back(std::move(name));
      assumed_ = assumed_ || m->typo || m->assumed;
      items_ = true;
      use(i, m->next);
      i = m->next - 1;
    }
  }

  // ---- quantities ------------------------------------------------------------

  struct amount {
    double value = 0;
    std::size_t next = 0;
    bool from_words = false;  // "a", "two": only with a unit or material after
    bool assumed = false;     // "couple"
  };

  std::size_t skip_half_of(std::size_t k) const {
    // "half a ton", "half of a yard", "a half yard"
    if (word_is(k, "of")) ++k;
    if (word_in(k, {"a", "an"})) ++k;
    return k;
  }

  std::optional<amount> read_amount(std::size_t i) const {
    if (i >= size() || used_[i]) return std::nullopt;
    amount a;
    const crew_token& tok = t_[i];
    std::size_t k = i + 1;
    if (tok.kind == token_kind::number) {
      a.value = tok.value;
      if (!tok.fraction && is_number(k) && t_[k].fraction && std::floor(a.value) == a.value) {
        a.value += t_[k].value;  // "1 1/2"
        ++k;
      }
    } else if (tok.kind == token_kind::word) {
      a.from_words = true;
      const std::string& w = tok.text;
      if (w == "a" || w == "an") {
        if (word_is(k, "half")) {
          a.value = 0.5;
          k = skip_half_of(k + 1);
        } else if (word_is(k, "quarter")) {
          a.value = 0.25;
          k = skip_half_of(k + 1);
        } else if (word_is(k, "couple")) {
          a.value = 2;
          a.assumed = true;
          k = word_is(k + 1, "of") ? k + 2 : k + 1;
        } else {
          a.value = 1;
        }
      } else if (w == "half") {
        a.value = 0.5;
        k = skip_half_of(k);
      } else if (w == "quarter") {
        a.value = 0.25;
        k = skip_half_of(k);
      } else if (w == "couple") {
        a.value = 2;
        a.assumed = true;
        if (word_is(k, "of")) ++k;
      } else if (auto v = number_word_value(w)) {
        a.value = *v;
        if (*v >= 20 && is_word(k)) {
          if (auto u = number_word_value(t_[k].text); u && *u < 10) {
            a.value += *u;
            ++k;
          }
        }
      } else {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
    // "3 or 4 bags", "2-3 yds": the larger, as an assumption.
    if (tok.kind == token_kind::number && (word_in(k, {"or", "to"}) || punct_is(k, "-")) &&
        is_number(k + 1) && t_[k + 1].value > a.value && !used_[k + 1] &&
        !word_in(k + 2, {"lb", "lbs", "pound", "pounds", "kg"}) && !punct_is(k + 2, "#")) {
      a.value = t_[k + 1].value;
      a.assumed = true;
      k += 2;
    }
    // "two and a half", "1 and 1/2"
    if (word_is(k, "and")) {
      if (word_is(k + 1, "a") && word_is(k + 2, "half")) {
        a.value += 0.5;
        k += 3;
      } else if (word_is(k + 1, "half")) {
        a.value += 0.5;
        k += 2;
      } else if (is_number(k + 1) && t_[k + 1].fraction) {
        a.value += t_[k + 1].value;
        k += 2;
      }
    }
    a.next = k;
    return a;
  }

  static bool fits(std::optional<crew_unit> unit, crew_material m) {
    if (!unit) return true;
    if (*unit == crew_unit::bags) return m != crew_material::bulk;
    return m == crew_material::salt || m == crew_material::bulk;
  }

  // A material after the unit ("yards of salt", "bags calcium"), if it fits.
  std::optional<material_match> material_after(std::size_t& k, std::optional<crew_unit> unit) {
    std::size_t j = k;
    if (word_is(j, "of")) ++j;
    auto m = match_material(t_, j);
    if (!m || any_used(j, m->next) || !fits(unit, m->material)) return std::nullopt;
    k = m->next;
    return m;
  }

  // "Calcium on steps 1 bag": a material named earlier in the same clause,
  // not yet given a quantity.
  std::optional<crew_material> material_earlier(std::size_t from, crew_unit unit) {
    std::size_t seen = 0;
    for (std::size_t k = from; k > 0 && seen < 5; ++seen) {
      --k;
      if (used_[k] || is_separator(k)) return std::nullopt;
      if (auto m = match_material(t_, k); m && m->next <= from && !any_used(k, m->next) &&
                                          m->material != crew_material::salt &&
                                          fits(unit, m->material)) {
        use(k, m->next);
        return m->material;
      }
    }
    return std::nullopt;
  }

  // Bag sizes are not counts: "10 50lb bags", "5 - 50# bags".
  std::size_t skip_bag_size(std::size_t k) const {
    if (punct_is(k, "-")) ++k;
    if (is_number(k) &&
        (word_in(k + 1, {"lb", "lbs", "pound", "pounds", "kg", "lbr"}) || punct_is(k + 1, "#"))) {
      k += 2;
      if (punct_is(k, "-")) ++k;
    }
    return k;
  }

  void record(double value, std::optional<crew_unit> unit, std::optional<crew_material> material,
              bool assumed) {
    if (value <= 0 || value > 100000 || !std::isfinite(value)) return;
    items_ = true;
    assumed_ = assumed_ || assumed;
    auto add = [](std::optional<double>& slot, double v) { slot = slot.value_or(0) + v; };
    auto add_bulk = [&](double v, salt_unit u) {
      if (!out_.bulk_salt) {
        out_.bulk_salt = bulk_salt{v, u};
      } else if (out_.bulk_salt->unit == u) {
        out_.bulk_salt->quantity += v;
      } else {
        assumed_ = true;  // yards and tons in one text: the first one stands
      }
    };
    if (unit == crew_unit::yards || unit == crew_unit::tons) {
      add_bulk(value, unit == crew_unit::tons ? salt_unit::tons : salt_unit::yards);
    } else if (unit == crew_unit::bags) {
      if (material == crew_material::calcium)
        add(out_.calcium_chloride, value);
      else
        add(out_.bag_salt, value);
    } else if (material == crew_material::calcium) {
      add(out_.calcium_chloride, value);
    } else if (material == crew_material::ice_melt) {
      add(out_.bag_salt, value);
    } else if (material == crew_material::bulk ||
               (material == crew_material::salt && std::floor(value) != value)) {
      assumed_ = true;  // bulk without a unit: yards
      add_bulk(value, salt_unit::yards);
    } else {
      assumed_ = true;  // salt without a unit: bags
      add(out_.bag_salt, value);
    }
  }

  // "3 yards salt", "5x 50lb bags", "2 calcium".
  bool read_number_led(std::size_t i, std::optional<material_match> before, std::size_t from) {
    auto a = read_amount(i);
    if (!a) return false;
    std::size_t k = skip_words(a->next, {"more", "extra", "total", "x"});
    k = skip_bag_size(k);
    bool typo = before && before->typo;
    if (auto u = match_unit(t_, k); u && !any_used(k, u->next)) {
      k = u->next;
      // "a yard and a half"
      if (word_is(k, "and") && word_is(k + 1, "a") && word_is(k + 2, "half")) {
        a->value += 0.5;
        k += 3;
      } else if (word_is(k, "and") && word_is(k + 1, "half")) {
        a->value += 0.5;
        k += 2;
      }
      // "1 yard of sand": not a salt quantity; it stays in the notes.
      if (word_in(word_is(k, "of") ? k + 1 : k, {"sand", "gravel", "grit", "dirt", "snow"}))
        return false;
      auto after = material_after(k, u->unit);
      std::optional<crew_material> m;
      if (after)
        m = after->material;
      else if (before && fits(u->unit, before->material))
        m = before->material;
      else if (auto earlier = material_earlier(from, u->unit))
        m = earlier;
      typo = typo || u->typo || (after && after->typo);
      record(a->value, u->unit, m, a->assumed || typo);
      use(from, k);
      return true;
    }
    if (auto m = material_after(k, std::nullopt)) {
      record(a->value, std::nullopt, m->material, a->assumed || typo || m->typo);
      use(from, k);
      return true;
    }
    if (before && !a->from_words && !before->typo) {
      record(a->value, std::nullopt, before->material, a->assumed);
      use(from, a->next);
      return true;
    }
    return false;
  }

  void read_quantities() {
    for (std::size_t i = 0; i < size(); ++i) {
      if (used_[i]) continue;
      if (read_number_led(i, std::nullopt, i)) continue;
      // "salt 3 yards", "calcium: 2", "bulk - 2 yds"
      if (auto m = match_material(t_, i); m && !any_used(i, m->next)) {
        std::size_t k = m->next;
        while (punct_is(k, ":") || punct_is(k, "-") || punct_is(k, "=") ||
               word_in(k, {"x", "about", "approx", "around"}))
          ++k;
        if (read_number_led(k, m, i)) continue;
      }
      // "bags 5", "yds: 3", "bags x 10"
      if (auto u = match_unit(t_, i); u && (i == 0 || !is_number(i - 1))) {
        std::size_t k = u->next;
        while (punct_is(k, ":") || punct_is(k, "-") || punct_is(k, "=") || word_is(k, "x")) ++k;
        if (is_number(k) && !used_[k] && !match_unit(t_, k + 1)) {
          std::size_t end = k + 1;
          auto after = material_after(end, u->unit);
          record(t_[k].value, u->unit, after ? std::optional(after->material) : std::nullopt,
                 u->typo);
          use(i, end);
        }
      }
    }
    // A material named without a quantity, in a text that gives none: the
    // amount is missing ("Loader, salt").
    if (out_.has_quantities()) return;
    for (std::size_t i = 0; i < size(); ++i)
      if (!used_[i] && match_material(t_, i) && !word_in(i - 1, {"no", "not", "without"}))
        assumed_ = true;
  }

  // "Skid steer 5", "DONE 10": a number on its own is bags of salt.
  void read_bare_numbers() {
    if (intent_ == ticket_intent::start_ticket) return;  // "start 2" picks a property
    for (std::size_t i = 0; i < size(); ++i) {
      if (used_[i] || !is_number(i) || t_[i].fraction) continue;
      double v = t_[i].value;
      if (std::floor(v) != v || v < 1 || v > 200) continue;
      bool before_ok = i == 0 || used_[i - 1] || is_separator(i - 1) ||
                       word_in(i - 1, {"and", "used", "plus", "with", "put", "about", "approx"});
      bool after_ok =
          i + 1 == size() || used_[i + 1] || is_separator(i + 1) || word_is(i + 1, "and");
      if (!before_ok || !after_ok) continue;
      if (out_.bag_salt) continue;
      out_.bag_salt = v;
      assumed_ = true;
      items_ = true;
      used_[i] = true;
      if (words_.size() == 1) out_.property_hint = t_[i].text;
    }
  }

  // "3 yards salt, done", "plowed and salted all done".
  void read_trailing_done() {
    if (intent_ || words_.size() < 2) return;
    std::size_t last = words_.back();
    std::size_t prev = words_[words_.size() - 2];
    if (used_[last] || !word_in(last, {"done", "finished", "complete", "completed"})) return;
    bool joined_to_item = used_[prev] || is_separator(last - 1);
    bool phrase = word_in(prev, {"all", "job", "ticket", "im", "now", "were"}) && !used_[prev];
    // "Target done": a short text naming something that is not part of the work.
    bool short_named =
        words_.size() <= 3 && std::none_of(words_.begin(), words_.end() - 1, [&](std::size_t k) {
          return !is_word(k) || is_snow_work_word(t_[k].text);
        });
    if (!joined_to_item && !phrase && !short_named) return;
    intent_ = ticket_intent::complete_ticket;
    use(phrase ? prev : last, last + 1);
  }

  // "DONE 4 bags at 6am": on a completion, a time on its own is when it ended.
  void place_loose_clocks() {
    if (!intent_ && said_done_at_) intent_ = ticket_intent::complete_ticket;
    if (intent_ != ticket_intent::complete_ticket || out_.work_finished_at) return;
    for (const auto& lc : loose_clocks_) {
      if (any_used(lc.first, lc.clock.next)) continue;
      set_time(time_role::finished, lc.clock);
      use(lc.first, lc.clock.next);
      loose_clocks_.clear();
      return;
    }
  }

  // ---- property hints --------------------------------------------------------

  static std::optional<std::string> ordinal_digit(std::string_view w) {
    static constexpr std::string_view ordinals[] = {"first", "second",  "third",  "fourth", "fifth",
                                                    "sixth", "seventh", "eighth", "ninth"};
    for (std::size_t k = 0; k < std::size(ordinals); ++k)
      if (ordinals[k] == w) return std::to_string(k + 1);
    return std::nullopt;
  }

  // The unused words, trimmed of "the", "number", "please"…, as a hint.
  bool hint_from_leftover(bool allow_snow_words) {
    std::vector<std::size_t> left;
    for (auto i : words_)
      if (!used_[i]) left.push_back(i);
    if (left.empty() || left.size() > 4) return false;
    for (auto i : left)
      if (is_word(i) && is_snow_work_word(t_[i].text) && !allow_snow_words &&
          !word_in(i, {"lot", "site", "property", "store", "job"}))
        return false;
    std::size_t a = 0;
    std::size_t b = left.size();
    while (a < b && word_in(left[a], {"the",      "number", "no",  "num",  "nbr",     "option",
                                      "property", "site",   "go",  "with", "at",      "for",
                                      "to",       "is",     "its", "it",   "choice",  "pick",
                                      "im",       "doing",  "ill", "take", "heading", "headed",
                                      "going",    "omw",    "my",  "way",  "next"}))
      ++a;
    while (b > a && word_in(left[b - 1], {"please", "pls", "plz", "one", "thanks", "thx", "ty",
                                          "lot", "property", "site", "store", "now"}))
      --b;
    if (a == b) return false;
    if (b - a == 1 && is_word(left[a])) {
      if (auto d = ordinal_digit(t_[left[a]].text)) {
        out_.property_hint = *d;
        use(0, size());
        return true;
      }
    }
    // "2nd" is the number 2 with "nd" written against it.
    bool ordinal_suffix = b - a == 2 && is_number(left[a]) && t_[left[a + 1]].attached &&
                          word_in(left[a + 1], {"st", "nd", "rd", "th"});
    if ((b - a == 1 || ordinal_suffix) && is_number(left[a]) && !t_[left[a]].fraction) {
      out_.property_hint = t_[left[a]].text;
    } else {
      out_.property_hint = lower_span(left[a], left[b - 1]);
    }
    for (auto i : left) used_[i] = true;
    return true;
  }

  void read_property_hint() {
    bool nothing_else = !items_;
    if ((intent_ == ticket_intent::start_ticket || intent_ == ticket_intent::complete_ticket) &&
        nothing_else) {
      hint_from_leftover(false);
      return;
    }
    if (intent_ || items_ || out_.property_hint || !loose_clocks_.empty()) return;
    if (words_.size() > 4) return;
    bool all_ack = std::all_of(words_.begin(), words_.end(),
                               [&](std::size_t i) { return is_word(i) && is_ack(t_[i].text); });
    if (all_ack) return;
    // A name has a word of its own ("target", "kroger") or is a number;
    // "call me" is not a property.
    bool own_word = std::any_of(words_.begin(), words_.end(), [&](std::size_t i) {
      return !is_word(i) || !is_known_word(t_[i].text) || ordinal_digit(t_[i].text);
    });
    bool question = std::any_of(words_.begin(), words_.end(), [&](std::size_t i) {
      return word_in(i, {"where", "what", "who", "how", "why", "when", "whats"});
    });
    bool long_enough = std::any_of(words_.begin(), words_.end(), [&](std::size_t i) {
      return !is_word(i) || t_[i].text.size() >= 2;
    });
    if (own_word && !question && long_enough) hint_from_leftover(false);
  }

  // ---- notes -----------------------------------------------------------------

  bool glue_at(std::size_t i) const {
    if (!is_word(i)) return false;
    if (t_[i].text == "down") return word_in(i - 1, {"put", "laid", "threw"});  // "put down"
    return is_glue(t_[i].text);
  }

  bool edge_droppable(std::size_t i) const {
    if (punct_is(i, "#") && is_number(i + 1)) return false;  // "truck #4"
    return t_[i].kind == token_kind::punct || t_[i].kind == token_kind::symbol;
  }

  void read_notes() {
    std::vector<std::string> runs;
    std::size_t i = 0;
    while (i < size()) {
      if (used_[i]) {
        ++i;
        continue;
      }
      std::size_t a = i;
      while (i < size() && !used_[i]) ++i;
      std::size_t b = i;  // [a, b)
      bool item_before = a > 0;
      bool item_after = b < size();
      // Trim punctuation everywhere, glue words only where the run meets an item.
      while (a < b && (edge_droppable(a) || (item_before && glue_at(a)))) ++a;
      while (b > a && (edge_droppable(b - 1) || (item_after && glue_at(b - 1)))) --b;
      if (a < b) runs.push_back(clean_span(text_, t_[a].begin, t_[b - 1].end));
    }
    std::string notes;
    for (const auto& r : runs) {
      if (r.empty()) continue;
      if (!notes.empty()) notes += ", ";
      notes += r;
    }
    if (!notes.empty()) out_.notes = std::move(notes);
  }

  // ---- intent and confidence ---------------------------------------------------

  void decide() {
    int total = 0;
    int unknown = 0;
    bool snow_word = false;
    std::vector<bool> in_clock(size(), false);
    for (const auto& lc : loose_clocks_)
      for (std::size_t k = lc.first; k < lc.clock.next; ++k) in_clock[k] = true;
    for (auto i : words_) {
      if (is_word(i) && is_snow_work_word(t_[i].text)) snow_word = true;
      ++total;
      if (used_[i] || in_clock[i]) continue;
      if (is_word(i)) {
        const std::string& w = t_[i].text;
        if (w.size() <= 1 || is_known_word(w) || is_glue(w) || number_word_value(w)) continue;
        ++unknown;
      } else if (!(is_word(i + 1) && is_known_word(t_[i + 1].text))) {
        ++unknown;  // a number we could not place ("4 inches" is fine)
      }
    }
    bool loose_clock = false;
    for (const auto& lc : loose_clocks_) loose_clock = loose_clock || !used_[lc.first];
    if (loose_clock) assumed_ = true;  // a time without saying what happened then

    if (intent_) {
      out_.intent = *intent_;
    } else if (items_ || (out_.notes && (snow_word || loose_clock))) {
      out_.intent = ticket_intent::provide_details;
    } else {
      out_.intent = ticket_intent::unknown;
      out_.notes.reset();
      out_.confidence = interpretation_confidence::low;
      return;
    }
    if (unknown * 2 > total)
      out_.confidence = interpretation_confidence::low;
    else if (assumed_ || unknown * 3 > total)
      out_.confidence = interpretation_confidence::medium;
    else
      out_.confidence = interpretation_confidence::high;
  }
};

}  // namespace

interpretation interpret_with_rules(std::string_view text) {
  return reader(text).read();
}

}  // namespace fl::domain
