#include "domain/crew_lexicon.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_set>

namespace fl::domain {

namespace {

// Words of the snow-work trade: a text with one of them is a work report.
constexpr std::string_view snow_work_words =
    "salt salted salting salty resalt resalted plow plowed plowing plows plowd shovel shoveled "
    "shoveling shovelled shoveld snow snowed snowing snowfall ice iced icy icing slippery slick "
    "slushy slush lot lots parking walk walks walkway walkways sidewalk sidewalks drive drives "
    "driveway driveways entrance entrances entry exits exit lane lanes aisle aisles drift drifts "
    "drifted drifting inch inches pushed pushback piled pile piles stacked banks bank windrow "
    "treated treat pretreat pretreated brine brined sanded sand melt melted melting frozen "
    "freezing "
    "refreeze refrozen froze hardpack packed blacktop pavement dusting accumulation cleared clear "
    "clean cleaned scraped scrape plowable blowing blown snowbank storm sleet freezing glaze "
    "glazed spots ramps ramp stairs steps curb curbs dock docks loading handicap spreading spread "
    "applied spot spotted crosswalk crosswalks hydrant hydrants mailbox mailboxes pass passes "
    "cleanup touchup touch broomed swept sweep shoveling deiced deice deicing calcium chloride "
    "bags yards tons ticket tickets job site property crew sub truck route temps temp degrees "
    "wind windy visibility conditions condition glare wet heavy light cars parked blocked gate "
    "locked manager customer store building roof stalls stall fire lane lanes berm berms edges "
    "edge corner corners rain raining ice rink";

// Everyday words that show up in crews' notes.
constexpr std::string_view common_words =
    "a an the and or but so if then than very really super pretty bit little lot lots still all "
    "some more most less no not nothing none on in at of to for with by from up down out over "
    "under into onto off again twice once thrice times time first second third last next before "
    "after during while until till til now already yet just only also too much many few every "
    "each other another new old good bad ok okay fine great bad around about approx front back "
    "side north south east west main behind near by corner door doors it its they them there "
    "their theyre we i me my our us he she him her you your this that these those here where "
    "when what which who how why as is are was were be been being am do does did done doing "
    "have has had having get got getting go going went gone come came coming can cant could "
    "couldnt will wont would wouldnt should shouldnt need needs needed want wanted said say told "
    "tell asked ask call called calling text texted left right today tonight tomorrow yesterday "
    "morning night evening afternoon early late later soon hour hours hr hrs min mins minute "
    "minutes half whole entire full area areas road roads street streets way path paths trip "
    "trips load loads one two three four five six seven eight nine ten eleven twelve dont didnt "
    "isnt wasnt arent werent im ive ill id youre thats whats wheres theres lets please pls plz "
    "thanks thank thx ty yes yeah yep no nope sure everything something anything nothing "
    "everywhere somewhere cars car people person guy guys owner office staff employees tenant "
    "tenants work worked working finish finished start started begin began end ended wrap "
    "wrapped arrived leaving left got make made keep kept put threw dropped laid used using use "
    "extra more less enough plenty light heavy deep thick thin hard soft big small large lower "
    "upper slower louder loaded leader reader header struck stuck track trick steep steel sheer "
    "cards wards shoved blowing flower plot slow flow glow allow below show shows showed "
    "showing snowy cold colder warm warmer below above zero inside outside along across "
    "through throughout between against toward towards per via plus total approx roughly "
    "maybe probably again also both either neither same different broken broke fix fixed "
    "flat tire tires gas fuel stopped stop waiting wait waited hit damage damaged scratch "
    "sign signs pole poles fence curb light lights noticed notice checked check checking looks "
    "look looked needs fresh new another complete completed remaining rest part parts section "
    "sections row rows level levels deck garage top bottom middle center pm am night nights day"
    " tow towed blocking blocked skipped skip forgot sorry earlier crew delivered delivery code "
    "codes key keys called note notes plowing shoveled shoveling ran run running pushed pushing "
    "missed miss hours trucks machine machines broke down stuck stuck help row";

struct word_sets {
  std::unordered_set<std::string_view> snow;
  std::unordered_set<std::string_view> known;
};

void add_words(std::unordered_set<std::string_view>& set, std::string_view list) {
  std::size_t i = 0;
  while (i < list.size()) {
    std::size_t j = list.find(' ', i);
    if (j == std::string_view::npos) j = list.size();
    if (j > i) set.insert(list.substr(i, j - i));
    i = j + 1;
  }
}

const word_sets& sets() {
  static const word_sets s = [] {
    word_sets w;
    add_words(w.snow, snow_work_words);
    add_words(w.known, snow_work_words);
    add_words(w.known, common_words);
    return w;
  }();
  return s;
}

bool is_word_token(const std::vector<crew_token>& t, std::size_t i) {
  return i < t.size() && t[i].kind == token_kind::word;
}

// "4 wheeler": a digit written as a word of a name.
bool first_word_number(const std::vector<crew_token>& t, std::size_t k, std::string_view w) {
  return k < t.size() && t[k].kind == token_kind::number && t[k].text == w;
}

// Matches the words of `phrase` (space-separated) from tokens[i]; a hyphen
// or slash may stand between them ("skid-steer").
std::optional<lexicon_match> match_phrase(const std::vector<crew_token>& t, std::size_t i,
                                          std::string_view phrase) {
  lexicon_match m;
  std::size_t k = i;
  std::size_t p = 0;
  bool first = true;
  while (p < phrase.size()) {
    std::size_t q = phrase.find(' ', p);
    if (q == std::string_view::npos) q = phrase.size();
    std::string_view w = phrase.substr(p, q - p);
    p = q + 1;
    if (!first && k < t.size() && t[k].kind == token_kind::punct &&
        (t[k].text == "-" || t[k].text == "/") && is_word_token(t, k + 1))
      ++k;
    first = false;
    if (first_word_number(t, k, w)) {
      first = false;
      ++k;
      continue;
    }
    if (!is_word_token(t, k)) return std::nullopt;
    auto wm = match_word(t[k].text, w);
    if (!wm.matched) return std::nullopt;
    m.typo = m.typo || wm.typo;
    m.distance += wm.distance;
    ++k;
  }
  m.next = k;
  return m;
}

struct equipment_entry {
  std::string_view canonical;
  std::string_view phrase;
  bool assumed = false;
};

// Longest phrases first, so "salt truck" wins over "salt" and "skid steer"
// over "skid".
constexpr std::array<equipment_entry, 52> equipment_lexicon{{
    {"atv", "4 wheeler"},
    {"spreader", "walk behind spreader"},
    {"loader", "front end loader"},
    {"utv", "side by side"},
    {"plow truck", "plow truck"},
    {"plow truck", "plow trk"},
    {"plow truck", "plow truk"},
    {"plow truck", "snow plow"},
    {"plow truck", "truck plow"},
    {"salt truck", "salt truck"},
    {"salt truck", "salt trk"},
    {"salt truck", "spreader truck"},
    {"salt truck", "v box"},
    {"skid steer", "skid steer"},
    {"skid steer", "skid loader"},
    {"skid steer", "bob cat"},
    {"loader", "frontend loader"},
    {"loader", "wheel loader"},
    {"loader", "pay loader"},
    {"backhoe", "back hoe"},
    {"spreader", "push spreader"},
    {"spreader", "hand spreader"},
    {"spreader", "tailgate spreader"},
    {"spreader", "walkbehind spreader"},
    {"snow blower", "snow blower"},
    {"snow blower", "snow thrower"},
    {"broom", "power broom"},
    {"atv", "four wheeler"},
    {"plow truck", "plowtruck"},
    {"plow truck", "snowplow"},
    {"plow truck", "plow"},
    {"plow truck", "plough"},
    {"plow truck", "truck", true},
    {"salt truck", "salter"},
    {"salt truck", "sander"},
    {"salt truck", "vbox"},
    {"skid steer", "skidsteer"},
    {"skid steer", "skidster"},
    {"skid steer", "skid"},
    {"skid steer", "bobcat"},
    {"loader", "loader"},
    {"loader", "payloader"},
    {"backhoe", "backhoe"},
    {"tractor", "tractor"},
    {"spreader", "spreader"},
    {"shovel", "shovel"},
    {"snow blower", "snowblower"},
    {"snow blower", "blower"},
    {"broom", "broom"},
    {"atv", "atv"},
    {"atv", "quad"},
    {"utv", "utv"},
}};

}  // namespace

int edit_distance(std::string_view a, std::string_view b, int cap) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > cap) return cap + 1;
  if (n > 32 || m > 32) return cap + 1;
  std::array<std::array<int, 33>, 33> d{};
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_min = cap + 1;
    for (int j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = std::min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > cap) return cap + 1;
  }
  return std::min(d[n][m], cap + 1);
}

word_match match_word(std::string_view token, std::string_view w) {
  if (token == w) return {true, false, 0};
  if (token.size() == w.size() + 1 && token.back() == 's' && token.substr(0, w.size()) == w)
    return {true, false, 0};
  if (token.size() == w.size() + 2 && token.substr(w.size()) == "es" &&
      token.substr(0, w.size()) == w)
    return {true, false, 0};
  if (token.size() < 5 || w.size() < 4 || is_known_word(token)) return {};
  int cap = token.size() >= 9 ? 2 : 1;
  if (int d = edit_distance(token, w, cap); d <= cap) return {true, true, d};
  // A misspelled plural ("lodaers").
  if (token.back() == 's' && token.size() >= 6) {
    if (int d = edit_distance(token.substr(0, token.size() - 1), w, cap); d <= cap)
      return {true, true, d};
  }
  return {};
}

std::optional<equipment_match> match_equipment(const std::vector<crew_token>& t, std::size_t i) {
  if (i >= t.size() || (t[i].kind != token_kind::word && t[i].kind != token_kind::number))
    return std::nullopt;
  std::optional<equipment_match> best;
  // Without a possible misspelling of the first word, a name can only start
  // with the same letter: skip the rest cheaply.
  const std::string& first = t[i].text;
  bool misspelling_possible = first.size() >= 5 && !is_known_word(first);
  for (const auto& e : equipment_lexicon) {
    if (!misspelling_possible && e.phrase.front() != first.front()) continue;
    auto m = match_phrase(t, i, e.phrase);
    if (!m) continue;
    // The longest name wins ("skid stear" over "skid"), then the closest spelling.
    if (best && (m->next < best->next || (m->next == best->next && m->distance >= best->distance)))
      continue;
    equipment_match em;
    static_cast<lexicon_match&>(em) = *m;
    em.assumed = e.assumed;
    em.canonical = e.canonical;
    best = em;
  }
  return best;
}

std::optional<unit_match> match_unit(const std::vector<crew_token>& t, std::size_t i) {
  if (!is_word_token(t, i)) return std::nullopt;
  const std::string& w = t[i].text;
  bool after_number = t[i].attached && i > 0 && t[i - 1].kind == token_kind::number;
  unit_match u;
  u.next = i + 1;
  auto is_any = [&](std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), w) != words.end();
  };
  if (is_any({"cubic", "cu"})) {
    if (auto inner = match_unit(t, i + 1); inner && inner->unit == crew_unit::yards) return inner;
    return std::nullopt;
  }
  if (is_any({"yards", "yard", "yds", "yd", "yrds", "yrd", "yard's", "cy", "yardz", "yars"}) ||
      (w == "y" && after_number)) {
    u.unit = crew_unit::yards;
    return u;
  }
  if (is_any({"tons", "ton", "tn", "tns", "tonnes", "tonne"}) || (w == "t" && after_number)) {
    u.unit = crew_unit::tons;
    return u;
  }
  if (is_any({"bags", "bag", "bg", "bgs", "sacks", "sack", "bgas", "bagz"})) {
    u.unit = crew_unit::bags;
    return u;
  }
  if (match_word(w, "yards").typo) {
    u.typo = true;
    u.unit = crew_unit::yards;
    return u;
  }
  return std::nullopt;
}

std::optional<material_match> match_material(const std::vector<crew_token>& t, std::size_t i) {
  std::optional<material_match> out;
  std::size_t k = i;
  while (is_word_token(t, k)) {
    const std::string& w = t[k].text;
    material_match m;
    m.next = k + 1;
    if (w == "rock" && is_word_token(t, k + 1) && match_word(t[k + 1].text, "salt").matched) {
      m.material = crew_material::salt;
      m.next = k + 2;
    } else if (w == "road" && is_word_token(t, k + 1) && t[k + 1].text == "salt") {
      m.material = crew_material::salt;
      m.next = k + 2;
    } else if (w == "salt" || w == "slt" || (w.size() >= 5 && match_word(w, "salt").typo)) {
      m.material = crew_material::salt;
      m.typo = w.size() >= 5;
    } else if (w == "bulk") {
      m.material = crew_material::bulk;
    } else if (w == "calcium" || w == "cal" || w == "calc" || w == "cacl" || w == "chloride" ||
               w == "cacl2") {
      m.material = crew_material::calcium;
      if (w == "calcium" && is_word_token(t, k + 1) &&
          match_word(t[k + 1].text, "chloride").matched)
        m.next = k + 2;
    } else if (auto c = match_word(w, "calcium"); c.matched) {
      m.material = crew_material::calcium;
      m.typo = c.typo;
      if (is_word_token(t, k + 1) && match_word(t[k + 1].text, "chloride").matched) m.next = k + 2;
    } else if (w == "icemelt" || w == "meltdown" || w == "melt" || w == "melter") {
      m.material = crew_material::ice_melt;
    } else if (w == "ice" && is_word_token(t, k + 1) &&
               (t[k + 1].text == "melt" || t[k + 1].text == "melter")) {
      m.material = crew_material::ice_melt;
      m.next = k + 2;
    } else if (w == "ice" && k + 2 < t.size() && t[k + 1].text == "-" && is_word_token(t, k + 2) &&
               t[k + 2].text == "melt") {
      m.material = crew_material::ice_melt;
      m.next = k + 3;
    } else {
      break;
    }
    if (!out) {
      out = m;
    } else {
      // "bulk salt" is bulk; "salt calcium" keeps the stronger (calcium).
      if (m.material == crew_material::calcium || m.material == crew_material::ice_melt ||
          out->material == crew_material::salt)
        out->material = m.material == crew_material::salt ? out->material : m.material;
      out->typo = out->typo || m.typo;
      out->next = m.next;
    }
    k = m.next;
  }
  return out;
}

std::optional<double> number_word_value(std::string_view word) {
  static constexpr std::array<std::string_view, 21> small{
      "zero",     "one",     "two",     "three",     "four",     "five",     "six",
      "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
  for (std::size_t i = 0; i < small.size(); ++i)
    if (small[i] == word) return static_cast<double>(i);
  if (word == "thirty") return 30;
  if (word == "forty") return 40;
  if (word == "fifty") return 50;
  if (word == "dozen") return 12;
  return std::nullopt;
}

bool is_known_word(std::string_view word) {
  return sets().known.contains(word);
}
bool is_snow_work_word(std::string_view word) {
  return sets().snow.contains(word);
}

}  // namespace fl::domain
