#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>

#include "app/commands.hpp"
#include "http/server.hpp"
#include "storage/event_store.hpp"

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

  auto store = storage::event_store::open(cfg.data_dir);
  if (!store) {
    spdlog::error("cannot open the event log in {}: {} ({})", cfg.data_dir, store.error().message,
                  to_string(store.error().code));
    return exit_unavailable;
  }
  spdlog::info("event log open in {} at position {}", cfg.data_dir, (*store)->last_position());

  http::server_deps deps;
  deps.ready = [] { return true; };
  auto server = http::server::start({cfg.listen_host, cfg.listen_port, 2}, deps);
  if (!server) {
    spdlog::error("{}", server.error());
    return exit_unavailable;
  }
  std::string url = "http://" + cfg.listen_host + ":" + std::to_string((*server)->port());
  spdlog::info("fieldline listening on {} (public URL {}, SMS transport {})", url, cfg.public_url,
               cfg.sms_transport);
  if (demo) {
    spdlog::info("admin: {}/admin", url);
    spdlog::info("the demo tenant and its data are seeded once the SMS features land");
  }

  int signal = wait_for_stop_signal(stop_signals);
  spdlog::info("{} received: finishing requests in flight and closing the log",
               signal == SIGTERM ? "SIGTERM" : "SIGINT");
  (*server)->stop();
  server->reset();
  store->reset();
  spdlog::info("stopped cleanly");
  return exit_ok;
}

}  // namespace fl::app
