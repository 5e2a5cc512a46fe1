// The child of the projection crash test: opens the log and the projections
// in DIR, follows the log live with the projector and appends random traffic
// as fast as it can until it is killed. Prints "ready" once open and
// "applied N" now and then.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "projections/projector.hpp"
#include "projections/rebuild.hpp"
#include "tests/projections/workload.hpp"

using namespace fl;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DATA_DIR SEED\n", argv[0]);
    return 2;
  }
  std::filesystem::path dir = argv[1];
  auto store = storage::event_store::open(dir);
  if (!store) {
    std::fprintf(stderr, "cannot open the log: %s\n", store.error().message.c_str());
    return 1;
  }
  auto db = projections::projection_db::open(projections::projections_dir(dir),
                                             projections::projection_set::names());
  if (!db) {
    std::fprintf(stderr, "cannot open the projections: %s\n", db.error().c_str());
    return 1;
  }
  projections::projection_set set;
  projections::projector projector(**db, set.all());
  if (auto started = projector.start(**store); !started) {
    std::fprintf(stderr, "cannot start: %s\n", started.error().c_str());
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  testing::sms_workload w(std::strtoull(argv[2], nullptr, 10));
  testing::append_all(**store, w.tenant_appends());
  for (;;) {
    std::vector<storage::append_request> chunk;
    for (int i = 0; i < 64; ++i) chunk.push_back(w.next());
    testing::append_all(**store, std::move(chunk));
    std::printf("applied %llu\n", static_cast<unsigned long long>(projector.position()));
    std::fflush(stdout);
  }
}
