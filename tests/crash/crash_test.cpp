// The event log keeps every acknowledged append through a SIGKILL: a child
// process (fl_crash_appender) appends from several threads and reports each
// acknowledgment on a pipe; the test kills it at a random moment, reopens the
// store and checks what was reported against what is stored. The data
// directory is kept across rounds, so later rounds start from a log that
// survived earlier kills (some of them during open and recovery).
//
// FL_CRASH_ROUNDS sets the number of rounds (default 20); FL_CRASH_SEED
// replays a run (the seed is printed, and named in every failure).

#include <catch2/catch.hpp>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "storage/event_store.hpp"
#include "tests/crash/appender_run.hpp"
#include "tests/crash/crash_protocol.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using namespace fl::crash_test;

namespace {

// Events acknowledged over all rounds, at least, per round on average: far
// below what even a sanitized build on a slow disk does (some hundreds), far
// above zero.
constexpr std::uint64_t kMinEventsPerRound = 10;

// Kills spread over the creation of a fresh store.
constexpr int kCreationKills = 8;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  return std::strtoull(text, nullptr, 10);
}

// Problems found in a round, reported together: a broken round can have
// thousands, and the first few tell the story.
class findings {
 public:
  void add(std::string problem) {
    if (items_.size() < 10) items_.push_back(std::move(problem));
    ++count_;
  }
  bool empty() const { return count_ == 0; }
  std::string summary() const {
    std::string out = std::to_string(count_) + " problem(s):";
    for (const auto& item : items_) out += "\n  " + item;
    return out;
  }

 private:
  std::vector<std::string> items_;
  std::size_t count_ = 0;
};

struct expected_event {
  std::string tenant;
  std::string stream;
  std::uint64_t version = 0;
  crash::fingerprint print;
};

// Everything acknowledged so far, over all rounds.
struct ledger {
  std::map<std::uint64_t, expected_event> events;                             // by position
  std::map<std::pair<std::string, std::string>, std::uint64_t> external_ids;  // -> first position
  std::map<std::string, std::uint64_t> stream_versions;  // the highest acknowledged
  std::uint64_t verified = 0;  // the log's last position when the test last checked it

  std::uint64_t last_acknowledged() const { return events.empty() ? 0 : events.rbegin()->first; }

  void record(const crash::ack_line& a, findings& bad) {
    const std::uint64_t n = a.events.size();
    if (a.first == 0 || a.last + 1 != a.first + n || a.stream_version < n) {
      std::string line = crash::format_line(a);
      line.pop_back();
      bad.add("inconsistent acknowledgment: " + line);
      return;
    }
    for (std::uint64_t i = 0; i < n; ++i) {
      expected_event e{a.tenant, a.stream, a.stream_version - (n - 1 - i), a.events[i]};
      if (!events.emplace(a.first + i, std::move(e)).second)
        bad.add("position " + std::to_string(a.first + i) + " acknowledged twice");
    }
    if (a.external_id) record_external_id(a.tenant, *a.external_id, a.first, bad);
    auto& v = stream_versions[a.stream];
    v = std::max(v, a.stream_version);
  }

  void record_external_id(const std::string& tenant, const std::string& id, std::uint64_t first,
                          findings& bad) {
    auto [it, fresh] = external_ids.emplace(std::pair{tenant, id}, first);
    if (!fresh && it->second != first)
      bad.add("external id " + id + " acknowledged at " + std::to_string(first) + " and at " +
              std::to_string(it->second));
  }
};

// Compares the acknowledged events at positions >= `from` with `stored`, the
// log read from `from` on.
void compare_events(const ledger& book, std::uint64_t from,
                    const std::vector<events::recorded_event>& stored, findings& bad) {
  for (auto it = book.events.lower_bound(from); it != book.events.end(); ++it) {
    const auto& [position, want] = *it;
    const std::string at = "position " + std::to_string(position) + ": ";
    if (position - from >= stored.size()) {
      bad.add(at + "acknowledged but missing (the log ends at " +
              std::to_string(from + stored.size() - 1) + ")");
      continue;
    }
    const auto& got = stored[position - from];
    if (got.position != position)
      bad.add(at + "the log has position " + std::to_string(got.position) + " there");
    else if (got.tenant != want.tenant || got.stream != want.stream || got.version != want.version)
      bad.add(at + "acknowledged as " + want.tenant + " " + want.stream + " v" +
              std::to_string(want.version) + ", stored as " + got.tenant + " " + got.stream + " v" +
              std::to_string(got.version));
    else if (!(got.data == crash::make_event(want.print)) ||
             got.type != events::type_name_of(got.data))
      bad.add(at + "content differs from the acknowledged " + want.print.kind + ":" +
              want.print.token);
  }
}

struct id_ack {
  std::string tenant;
  std::string id;
  std::uint64_t first = 0;
};

void check_external_ids(const storage::event_store& store, const std::vector<id_ack>& ids,
                        findings& bad) {
  for (const auto& [tenant, id, first] : ids) {
    auto found = store.find_external_id(tenant, id);
    if (!found)
      bad.add("find_external_id(" + tenant + ", " + id + "): " + found.error().message);
    else if (*found != first)
      bad.add("external id " + id + " acknowledged at " + std::to_string(first) + ", found at " +
              (*found ? std::to_string(**found) : "nothing"));
  }
}

void check_stream_versions(const storage::event_store& store, const ledger& book, findings& bad) {
  for (const auto& [stream, acknowledged] : book.stream_versions) {
    auto v = store.stream_version(stream);
    if (!v)
      bad.add("stream_version(" + stream + "): " + v.error().message);
    else if (*v < acknowledged)
      bad.add(stream + " is at version " + std::to_string(*v) + ", version " +
              std::to_string(acknowledged) + " was acknowledged");
  }
}

struct totals {
  std::uint64_t appends = 0;
  std::uint64_t events = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t beyond = 0;  // stored past the last acknowledged position
  std::uint64_t killed_before_open = 0;
  std::uint64_t torn_lines = 0;
};

// Records what a round reported; returns the external ids to look up.
std::vector<id_ack> record_round(const round_report& report, ledger& book, totals& sum,
                                 findings& bad) {
  std::vector<id_ack> ids;
  bool opened = false;
  for (const auto& a : report.lines) {
    switch (a.kind) {
      case crash::ack_line::kind_t::ready:
        opened = true;
        if (a.first < book.verified)
          bad.add("the appender opened a log ending at " + std::to_string(a.first) +
                  ", the test had found it ending at " + std::to_string(book.verified));
        break;
      case crash::ack_line::kind_t::appended:
        book.record(a, bad);
        ++sum.appends;
        sum.events += a.events.size();
        if (a.external_id) ids.push_back({a.tenant, *a.external_id, a.first});
        break;
      case crash::ack_line::kind_t::duplicate:
        book.record_external_id(a.tenant, *a.external_id, a.first, bad);
        ++sum.duplicates;
        ids.push_back({a.tenant, *a.external_id, a.first});
        break;
    }
  }
  if (!opened) ++sum.killed_before_open;
  if (report.torn_bytes > 0) ++sum.torn_lines;
  return ids;
}

// Appends one event to the reopened store and checks that it extends the
// chain; records it like an acknowledged append, for later rounds to check.
void append_after_crash(storage::event_store& store, ledger& book, const std::string& token,
                        findings& bad) {
  const std::string stream = "crash:after";
  const crash::fingerprint print{'c', token};
  auto version = store.stream_version(stream);
  REQUIRE(version);
  const std::uint64_t last = store.last_position();
  auto r = store.append({"acme",
                         stream,
                         storage::expected_version::exactly(*version),
                         {crash::make_event(print)},
                         "after-" + token});
  INFO((r ? "" : r.error().message));
  REQUIRE(r);
  CHECK_FALSE(r->duplicate);
  CHECK(r->first_position == last + 1);
  CHECK(r->stream_version == *version + 1);
  auto tail = store.read_all(last == 0 ? 1 : last, 2);
  REQUIRE(tail);
  REQUIRE(tail->size() == (last == 0 ? 1u : 2u));
  CHECK(tail->back().position == last + 1);
  CHECK(tail->back().prev_hash == (last == 0 ? sha256_digest{} : tail->front().hash));
  CHECK(store.last_position() == last + 1);
  crash::ack_line a;
  a.first = a.last = r->first_position;
  a.stream_version = r->stream_version;
  a.tenant = "acme";
  a.stream = stream;
  a.external_id = "after-" + token;
  a.events = {print};
  book.record(a, bad);
}

void require_chain_intact(const storage::event_store& store) {
  const auto report = store.verify();
  INFO("verify: " << report.problem << " (first bad position "
                  << report.first_bad_position.value_or(0) << ", " << report.events_checked
                  << " events checked)");
  REQUIRE(report.ok);
}

// The appender's seeds and kill times come from this seed.
std::uint64_t test_seed() {
  const std::uint64_t seed = env_number(
      "FL_CRASH_SEED", std::uint64_t{std::random_device{}()} << 32 | std::random_device{}());
  std::cout << "crash test: seed " << seed << " (replay with FL_CRASH_SEED=" << seed << ")"
            << std::endl;
  return seed;
}

// Reopens the store the appender was killed on, checks it against everything
// acknowledged so far, appends once more (`token` makes that append unique)
// and closes it again.
void check_after_kill(const fs::path& data, const round_report& report, ledger& book, totals& sum,
                      const std::string& token) {
  INFO("the appender " << describe_status(report.wait_status));
  REQUIRE(WIFSIGNALED(report.wait_status));
  REQUIRE(WTERMSIG(report.wait_status) == SIGKILL);
  INFO("first unparsable line: " << (report.unparsable.empty() ? "" : report.unparsable[0]));
  CHECK(report.unparsable.empty());

  findings bad;
  const std::uint64_t round_start = book.verified;
  const std::vector<id_ack> ids = record_round(report, book, sum, bad);

  auto store = storage::event_store::open(data);
  INFO("reopening: " << (store ? "" : store.error().message));
  REQUIRE(store);
  require_chain_intact(**store);
  const std::uint64_t last = (*store)->last_position();
  if (last < round_start)
    bad.add("the log ends at " + std::to_string(last) + ", before this round it ended at " +
            std::to_string(round_start));
  if (last < book.last_acknowledged())
    bad.add("the log ends at " + std::to_string(last) + ", position " +
            std::to_string(book.last_acknowledged()) + " was acknowledged");
  sum.beyond += last - std::min(last, std::max(round_start, book.last_acknowledged()));
  auto stored = (*store)->read_all(round_start + 1, SIZE_MAX);
  INFO("reading the log: " << (stored ? "" : stored.error().message));
  REQUIRE(stored);
  compare_events(book, round_start + 1, *stored, bad);
  check_external_ids(**store, ids, bad);
  check_stream_versions(**store, book, bad);
  append_after_crash(**store, book, token, bad);
  INFO(bad.summary());
  REQUIRE(bad.empty());
  book.verified = (*store)->last_position();
}

}  // namespace

TEST_CASE("every append acknowledged before a SIGKILL is stored intact and chained after reopening",
          "[storage][crash]") {
  const std::uint64_t rounds = env_number("FL_CRASH_ROUNDS", 20);
  const std::uint64_t seed = test_seed();
  INFO("seed " << seed << " (replay with FL_CRASH_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);
  testing::temp_dir dir;
  const fs::path data = dir / "data";
  ledger book;
  totals sum;
  const auto started = steady_clock::now();

  // Most runs are timed from the moment the store is open, so that however
  // slow the build they append; one in four from the start of the process,
  // so that some kills land while the store recovers from the previous one.
  for (std::uint64_t round = 1; round <= rounds; ++round) {
    const std::uint64_t child_seed = rng();
    const milliseconds run_for{20 + rng() % 281};
    const bool from_open = rng() % 4 != 0;
    INFO("round " << round << " of " << rounds << ": appender seed " << child_seed << ", killed "
                  << run_for.count() << " ms after "
                  << (from_open ? "the store was open" : "it started"));
    const round_report report = run_and_kill(data, child_seed, {run_for, from_open});
    if (from_open) {
      INFO("the appender " << describe_status(report.wait_status)
                           << " without reporting the store open");
      REQUIRE((!report.lines.empty() && report.lines[0].kind == crash::ack_line::kind_t::ready));
    }
    check_after_kill(data, report, book, sum, std::to_string(seed) + "-" + std::to_string(round));
  }

  {
    // And all of it is still there after the last round.
    auto store = storage::event_store::open(data);
    INFO("reopening: " << (store ? "" : store.error().message));
    REQUIRE(store);
    require_chain_intact(**store);
    CHECK((*store)->last_position() == book.verified);
    findings bad;
    auto stored = (*store)->read_all(1, SIZE_MAX);
    REQUIRE(stored);
    compare_events(book, 1, *stored, bad);
    std::vector<id_ack> ids;
    for (const auto& [key, first] : book.external_ids)
      ids.push_back({key.first, key.second, first});
    check_external_ids(**store, ids, bad);
    INFO(bad.summary());
    CHECK(bad.empty());
  }

  const double seconds = std::chrono::duration<double>(steady_clock::now() - started).count();
  std::cout << "crash test: " << rounds << " rounds in " << seconds << " s; " << sum.events
            << " events acknowledged in " << sum.appends << " appends, " << sum.duplicates
            << " duplicates acknowledged, " << sum.beyond
            << " events found beyond the last acknowledged, " << sum.killed_before_open
            << " rounds killed before the store was open, " << sum.torn_lines
            << " torn last lines; the log holds " << book.verified << " events" << std::endl;
  CHECK(sum.events >= kMinEventsPerRound * rounds);
}

TEST_CASE("a store killed while it was being created opens afterwards", "[storage][crash]") {
  const std::uint64_t seed = test_seed();
  INFO("seed " << seed << " (replay with FL_CRASH_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);
  testing::temp_dir dir;

  // How long creating a store takes here, from the start of the process.
  const auto started = steady_clock::now();
  const round_report probe = run_and_kill(dir / "probe", rng(), {milliseconds{0}, true});
  const auto to_open = std::chrono::duration_cast<milliseconds>(steady_clock::now() - started);
  REQUIRE(!probe.lines.empty());
  std::cout << "crash test: creating a store takes " << to_open.count() << " ms" << std::endl;

  // Kills spread over that time, each on a fresh directory.
  for (int k = 0; k < kCreationKills; ++k) {
    const milliseconds at = to_open * k / kCreationKills;
    INFO("killed " << at.count() << " ms after start, creating takes " << to_open.count() << " ms");
    const fs::path data = dir / ("data-" + std::to_string(k));
    ledger book;
    totals sum;
    const round_report report = run_and_kill(data, rng(), {at});
    check_after_kill(data, report, book, sum, std::to_string(seed) + "-" + std::to_string(k));
  }
}

TEST_CASE("a crash appender line parses back to what it reported", "[crash]") {
  crash::ack_line a;
  a.first = 41;
  a.last = 43;
  a.stream_version = 7;
  a.tenant = "acme";
  a.stream = "conversation:acme:+15550000001";
  a.external_id = "SM12-0-3";
  a.events = {{'r', "12-0-3"}, {'q', "12-0-4"}, {'c', "12-0-5"}};
  std::string line = crash::format_line(a);
  REQUIRE(line.back() == '\n');
  line.pop_back();
  CHECK(crash::parse_line(line) == a);

  crash::ack_line dup;
  dup.kind = crash::ack_line::kind_t::duplicate;
  dup.first = 41;
  dup.tenant = "acme";
  dup.external_id = "SM12-0-3";
  line = crash::format_line(dup);
  line.pop_back();
  CHECK(crash::parse_line(line) == dup);
}

TEST_CASE("a crash appender line cut short by the kill is not taken as acknowledged", "[crash]") {
  crash::line_buffer buffer;
  buffer.append("ready 0\nack 1 1 1 acme s - r:1-0-0\nack 2 2 2 ac");
  auto lines = buffer.take_lines();
  REQUIRE(lines.size() == 2);
  CHECK(crash::parse_line(lines[1]).has_value());
  CHECK_FALSE(buffer.has_line());
  CHECK(buffer.rest() == "ack 2 2 2 ac");
  // A truncated line does not parse either, should it ever arrive as one.
  CHECK_FALSE(crash::parse_line("ack 2 2 2 ac").has_value());
  CHECK_FALSE(crash::parse_line("ack 2 2 2 acme s - r").has_value());
}
