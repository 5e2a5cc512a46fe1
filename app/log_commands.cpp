// The commands that work on the event log directly: replay, verify, rebuild.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/commands.hpp"
#include "base/timestamp.hpp"
#include "projections/projection_db.hpp"
#include "projections/rebuild.hpp"
#include "storage/event_store.hpp"

namespace fl::app {

namespace {

expected<std::unique_ptr<storage::event_store>, storage::store_error> open_read_only(
    const std::string& data_dir) {
  storage::store_options options;
  options.read_only = true;
  options.create_if_missing = false;
  return storage::event_store::open(data_dir, options);
}

int cannot_open(const std::string& data_dir, const storage::store_error& e) {
  std::cerr << "fieldline: cannot open the event log in " << data_dir << ": " << e.message << " ("
            << to_string(e.code) << ")\n";
  return exit_unavailable;
}

}  // namespace

int run_replay(const std::string& data_dir, const std::optional<std::string>& stream,
               const std::optional<std::string>& as_of) {
  std::optional<timestamp> until;
  if (as_of) {
    until = parse_rfc3339(*as_of);
    if (!until) {
      std::cerr << "fieldline: --as-of \"" << *as_of
                << "\" is not an RFC 3339 time (e.g. 2026-11-23T18:00:00-05:00)\n";
      return exit_usage;
    }
  }
  auto store = open_read_only(data_dir);
  if (!store) return cannot_open(data_dir, store.error());

  std::string problem;
  auto walked = (*store)->for_each_stored(1, [&](std::uint64_t position, std::string_view stored) {
    auto rec = events::decode_record(stored);
    if (!rec) {
      problem = "event at position " + std::to_string(position) + ": " + rec.error().message;
      return false;
    }
    if (until && rec->recorded_at > *until) return false;  // the log is in time order
    if (stream && rec->stream != *stream) return true;
    auto line = events::export_json(stored);
    if (!line) {
      problem = line.error().message;
      return false;
    }
    std::fwrite(line->data(), 1, line->size(), stdout);
    std::fputc('\n', stdout);
    return true;
  });
  std::fflush(stdout);
  if (!walked) return cannot_open(data_dir, walked.error());
  if (!problem.empty()) {
    std::cerr << "fieldline: " << problem << "\n";
    return exit_check_failed;
  }
  return exit_ok;
}

int run_verify(const std::string& data_dir) {
  auto store = open_read_only(data_dir);
  if (!store) return cannot_open(data_dir, store.error());
  auto report = (*store)->verify();
  bool ok = report.ok;
  if (report.ok)
    std::cout << "chain ok: " << report.events_checked << " events, hashes and links intact\n";
  else
    std::cout << "chain BROKEN at position " << report.first_bad_position.value_or(0) << ": "
              << report.problem << " (" << report.events_checked << " events checked before it)\n";

  auto live =
      projections::projection_db::open(projections::projections_dir(data_dir),
                                       projections::projection_set::names(), {.read_only = true});
  if (!live) {
    std::cout << "projections NOT CHECKED: " << live.error() << "\n";
    return exit_check_failed;
  }
  auto scratch =
      std::filesystem::temp_directory_path() / ("fieldline-verify-" + std::to_string(::getpid()));
  auto check = projections::check_against_rebuild(**store, **live, std::nullopt, scratch);
  if (!check) {
    std::cout << "projections NOT CHECKED: " << check.error() << "\n";
    return exit_check_failed;
  }
  if (check->ok) {
    std::cout << "projections ok: equal to a fresh rebuild at position " << check->position << "\n";
  } else {
    ok = false;
    std::cout << "projections DIFFER from a fresh rebuild at position " << check->position << ":\n";
    for (const auto& m : check->mismatches) std::cout << "  " << m << "\n";
  }
  return ok ? exit_ok : exit_check_failed;
}

int run_rebuild(const std::string& data_dir) {
  auto store = open_read_only(data_dir);
  if (!store) return cannot_open(data_dir, store.error());
  auto started = std::chrono::steady_clock::now();
  auto applied = projections::rebuild_all(**store, projections::projections_dir(data_dir));
  if (!applied) {
    std::cerr << "fieldline rebuild: " << applied.error() << "\n";
    return exit_unavailable;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "rebuilt every projection from " << *applied << " events in " << seconds << " s\n";
  return exit_ok;
}

}  // namespace fl::app
