#pragma once

#include <optional>
#include <string>

#include "app/config.hpp"

namespace fl::app {

/// Exit codes of the `fieldline` binary.
enum exit_code : int {
  exit_ok = 0,
  exit_check_failed = 1,  // verify found a problem
  exit_usage = 2,         // bad flags or configuration
  exit_unavailable = 3,   // the data dir cannot be opened (missing, locked, corrupt, newer)
};

/// `fieldline serve` / `fieldline demo`: runs until SIGINT or SIGTERM.
int run_serve(const config& cfg, bool demo);

/// `fieldline replay`: prints the log as NDJSON.
int run_replay(const std::string& data_dir, const std::optional<std::string>& stream,
               const std::optional<std::string>& as_of);

/// `fieldline verify`: checks the hash chain (and, once they exist, projections).
int run_verify(const std::string& data_dir);

/// `fieldline rebuild`: rebuilds the projections from the log.
int run_rebuild(const std::string& data_dir);

}  // namespace fl::app
