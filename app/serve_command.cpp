#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>

#include "app/assembly.hpp"
#include "app/commands.hpp"
#include "app/demo_seed.hpp"

namespace fl::app {

namespace {

// Blocks SIGINT/SIGTERM in this thread and, by inheritance, in every thread
// started after it, so that `wait_for_stop_signal` alone receives them.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int wait_for_stop_signal(const sigset_t& set) {
  int signal = 0;
  sigwait(&set, &signal);
  return signal;
}

}  // namespace

int run_serve(const config& cfg, bool demo) {
  sigset_t stop_signals = block_stop_signals();

  auto running = assembly::start(cfg);
  if (!running) {
    spdlog::error("{}", running.error());
    return exit_unavailable;
  }
  auto& a = **running;
  spdlog::info("event log open in {} at position {}; {} tenant(s)", cfg.data_dir,
               a.store().last_position(), a.tenants().size());
  std::string url = "http://" + cfg.listen_host + ":" + std::to_string(a.port());
  spdlog::info("fieldline listening on {} (public URL {}, SMS transport {})", url, cfg.public_url,
               cfg.sms_transport);
  if (demo) {
    auto seeded = seed_demo_tenant(a, cfg.data_dir);
    if (!seeded) {
      spdlog::error("{}", seeded.error());
      return exit_unavailable;
    }
    spdlog::info("admin: {}/admin", url);
    spdlog::info("demo tenant {} ({}), number {}", seeded->id, seeded->name, seeded->number);
    spdlog::info("tenant token: {}", seeded->api_token);
    spdlog::info(
        "try: curl -s -X POST {}/api/v1/sms/send -H 'Authorization: Bearer {}' "
        "-H 'Content-Type: application/json' -d '{{\"to\":\"+13125550100\",\"body\":\"Hello from "
        "fieldline\"}}'",
        url, seeded->api_token);
  }

  int signal = wait_for_stop_signal(stop_signals);
  spdlog::info("{} received: finishing requests in flight and closing the log",
               signal == SIGTERM ? "SIGTERM" : "SIGINT");
  a.stop();
  running->reset();
  spdlog::info("stopped cleanly");
  return exit_ok;
}

}  // namespace fl::app
