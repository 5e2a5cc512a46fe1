#pragma once

// An event log with the server's projections beside it, for the projection
// tests: events are appended to a real store and folded by a real projector.

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <memory>

#include "projections/projector.hpp"
#include "projections/read_model.hpp"
#include "projections/rebuild.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace fl::testing {

class read_side {
 public:
  explicit read_side(storage::store_options options = {}) {
    store_ = open_store(dir_ / "data", std::move(options));
    open_projections();
  }

  storage::event_store& store() { return *store_; }
  projections::projection_db& db() { return *db_; }
  projections::projector& projector() { return *projector_; }
  const projections::read_model& reads() const { return *reads_; }
  std::filesystem::path scratch() const { return dir_ / "scratch"; }
  std::filesystem::path projections_dir() const { return dir_ / "data" / "projections"; }

  /// Applies what the log holds now (no live following).
  void catch_up() { REQUIRE(projector_->catch_up(*store_)); }

  /// Follows the log live from now on.
  void follow() { REQUIRE(projector_->start(*store_)); }

  /// Waits until the live projector reached `position`.
  bool reached(std::uint64_t position,
               std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::promise<bool> p;
    projector_->await(position, timeout, [&p](bool ok) { p.set_value(ok); });
    return p.get_future().get();
  }

  /// Closes and reopens the projections (not the log), as a restart would.
  void reopen_projections() {
    close_projections();
    open_projections();
  }
  void close_projections() {
    reads_.reset();
    projector_.reset();
    db_.reset();
  }

  /// The projections compared with a fresh rebuild (all, or one tenant's part).
  projections::projection_check check(std::optional<std::string_view> tenant = std::nullopt) {
    auto c = projections::check_against_rebuild(*store_, *db_, tenant, scratch());
    REQUIRE(c);
    return *c;
  }

  void open_projections() {
    auto db =
        projections::projection_db::open(projections_dir(), projections::projection_set::names());
    REQUIRE(db);
    db_ = std::move(*db);
    set_ = std::make_unique<projections::projection_set>();
    projector_ = std::make_unique<projections::projector>(*db_, set_->all());
    reads_ = std::make_unique<projections::read_model>(*db_);
  }

 private:
  temp_dir dir_;
  std::unique_ptr<storage::event_store> store_;
  std::unique_ptr<projections::projection_db> db_;
  std::unique_ptr<projections::projection_set> set_;
  std::unique_ptr<projections::projector> projector_;
  std::unique_ptr<projections::read_model> reads_;
};

}  // namespace fl::testing
