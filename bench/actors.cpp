// Idle conversation actors: what one costs in memory and how fast they come
// back. Writes the histories of N conversations to a fresh log, starts the
// messaging runtime, activates every conversation (each actor recovers by
// replaying its stream), and measures the resident memory per idle actor,
// the activation rate against a recovery without actors (the ceiling). Then
// it passivates every actor into hibernation (the runtime keeps each state
// as plain data, without an actor) by advancing the runtime's clock past
// `idle_after` and sweeping, measures the bytes per hibernated conversation
// and the rate at which a command brings one back, and drains. A second part
// spawns N trivial CAF actors, N CAF actors holding the runtime's state
// shape, the runtime's registry alone and a plain state cache, to show where
// the bytes go. Prints figures; asserts nothing.

#include <CLI/CLI.hpp>
#include <caf/all.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <list>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "actors/messaging_runtime.hpp"
#include "actors/outbox.hpp"
#include "bench/bench_util.hpp"
#include "bench/memory_usage.hpp"
#include "bench/realistic_events.hpp"
#include "domain/conversation.hpp"
#include "domain/tenant_directory.hpp"
#include "events/consent_events.hpp"
#include "events/sms_events.hpp"
#include "events/tenant_events.hpp"
#include "storage/event_store.hpp"

#ifndef FL_SOURCE_DIR
#define FL_SOURCE_DIR "."
#endif

namespace fl::bench {
namespace {

struct settings {
  std::uint64_t conversations = 1'000'000;
  std::uint64_t tenants = 1000;
  std::uint64_t opt_out_every = 20;  // every n-th conversation also opted out (0: none)
  std::uint64_t in_flight = 2000;    // append requests queued at once while populating
  std::size_t threads = 2;           // the runtime's CAF threads; the ceiling's readers
  unsigned activators = 1;           // threads calling activate() and submit()
  std::uint64_t caf_actors = 0;      // actors per comparison section (0: --conversations)
  bool comparison = true;
  std::string dir = "/work/benchdata/actors";
  bool keep = false;
  bool reuse = false;
};

constexpr double mib = 1024.0 * 1024.0;

// ---------------------------------------------------------------------------
// The log: each conversation's history.

bool opts_out(const settings& s, std::uint64_t id) {
  return s.opt_out_every != 0 && id % s.opt_out_every == s.opt_out_every - 1;
}

std::string tenant_display_name(std::uint64_t tenant) {
  return "Acme HVAC " + std::to_string(tenant);
}

// One exchange as bench/realistic_events.hpp writes it, less the intermediate
// "sent" status callback: the customer's text, the reply queued, sent and
// delivered. Nothing is left pending, so no actor resumes a send. A
// conversation that opts out then texts STOP: `opted_out` and the opt-out
// confirmation, queued, sent and delivered.
std::vector<events::event> history(const settings& s, const conversation& c) {
  std::vector<events::event> out;
  for (std::uint64_t n : {0, 1, 2, 4}) out.push_back(conversation_event(c, n));
  if (opts_out(s, c.id)) {
    events::sms_received stop;
    stop.message_sid = "SM" + detail::hex32(c.id, 1ULL << 42);
    stop.account_sid = c.account_sid;
    stop.from = c.customer_phone;
    stop.to = c.business_phone;
    stop.body = "STOP";
    out.push_back(std::move(stop));
    out.push_back(events::opted_out{c.customer_phone, "keyword", "STOP"});
    domain::tenant t;
    t.name = tenant_display_name(c.tenant_index);
    domain::set_default_compliance_texts(t);
    events::sms_queued q;
    q.message_id = "msg_" + detail::hex32(c.id, 1ULL << 43).substr(0, 24);
    q.from = c.business_phone;
    q.to = c.customer_phone;
    q.body = t.opt_out_message;
    q.trigger = "opt_out";
    q.segments = 1;
    q.encoding = "gsm7";
    const std::string sid = "SM" + detail::hex32(c.id, 1ULL << 44);
    events::sms_sent sent{q.message_id, sid};
    out.push_back(std::move(q));
    out.push_back(std::move(sent));
    out.push_back(events::sms_status_changed{sid, "delivered", std::nullopt});
  }
  return out;
}

struct populate_figures {
  std::uint64_t events = 0;
  std::uint64_t requests = 0;
  double seconds = 0;
  double cpu_seconds = 0;
  bool reused = false;
};

// One append request per conversation (its whole history, on a new stream),
// up to `s.in_flight` queued so that the writer commits large groups.
populate_figures populate(const settings& s, const std::filesystem::path& dir) {
  auto opened = storage::event_store::open(dir);
  if (!opened) throw std::runtime_error("open: " + opened.error().message);
  auto& store = **opened;

  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t outstanding = 0;
  std::string error;
  auto done = [&](storage::append_outcome out) {
    std::lock_guard lk(mu);
    if (!out && error.empty()) error = out.error().message;
    --outstanding;
    cv.notify_one();
  };

  populate_figures f;
  const auto start = bench_clock::now();
  const double cpu0 = process_cpu_seconds();
  for (std::uint64_t id = 0; id < s.conversations; ++id) {
    const conversation c = make_conversation(id, s.tenants);
    storage::append_request r{c.tenant, c.stream, storage::expected_version::no_stream(),
                              history(s, c), std::nullopt};
    f.events += r.events.size();
    {
      std::unique_lock lk(mu);
      cv.wait(lk, [&] { return outstanding < s.in_flight; });
      if (!error.empty()) break;
      ++outstanding;
    }
    store.append_async(std::move(r), done);
    ++f.requests;
    if ((id + 1) % 100'000 == 0) {
      std::printf("  populate: %llu conversations, %.1f s\n",
                  static_cast<unsigned long long>(id + 1), seconds_since(start));
      std::fflush(stdout);
    }
  }
  {
    std::unique_lock lk(mu);
    cv.wait(lk, [&] { return outstanding == 0; });
  }
  if (!error.empty()) throw std::runtime_error("append: " + error);
  f.seconds = seconds_since(start);
  f.cpu_seconds = process_cpu_seconds() - cpu0;
  if (store.last_position() != f.events)
    throw std::runtime_error("populate: the log holds " + std::to_string(store.last_position()) +
                             " events, expected " + std::to_string(f.events));
  return f;
}

std::string populated_tag(const settings& s) {
  return "conversations=" + std::to_string(s.conversations) +
         " tenants=" + std::to_string(s.tenants) +
         " opt_out_every=" + std::to_string(s.opt_out_every);
}

void add_tenants(const settings& s, domain::tenant_directory& directory) {
  const fl::timestamp now = fl::system_now();
  for (std::uint64_t t = 0; t < s.tenants; ++t) {
    const conversation c = make_conversation(t, s.tenants);  // tenant t's numbers
    events::tenant_created e;
    e.tenant_id = c.tenant;
    e.name = tenant_display_name(t);
    e.timezone = "America/Chicago";
    e.region = "US";
    e.numbers = {{c.business_phone, 1}};
    e.twilio_account_sid = c.account_sid;
    e.api_token_sha256 = detail::hex32(t, 7) + detail::hex32(t, 8);
    directory.apply(e, now);
  }
}

// ---------------------------------------------------------------------------
// The size of a recovered state.

std::size_t string_heap(const std::string& s) {
  // libstdc++ keeps up to 15 characters inside the string itself.
  return s.capacity() > 15 ? malloc_chunk_bytes(s.capacity() + 1) : 0;
}

// Heap bytes (malloc chunks) owned by a conversation state, beyond its sizeof.
std::size_t state_heap(const domain::conversation_state& st) {
  std::size_t n = string_heap(st.our_number);
  n += malloc_chunk_bytes(st.pending.capacity() * sizeof(domain::outbound_message));
  for (const auto& m : st.pending)
    n += string_heap(m.message_id) + string_heap(m.from) + string_heap(m.to) + string_heap(m.body) +
         string_heap(m.trigger);
  n += malloc_chunk_bytes(st.in_flight.capacity() * sizeof(domain::tracked_message));
  for (const auto& m : st.in_flight) n += string_heap(m.message_sid) + string_heap(m.message_id);
  n += malloc_chunk_bytes(st.finished.capacity() * sizeof(domain::finished_message));
  return n;
}

// The runtime's actor state (actors/messaging_runtime.cpp,
// `conversation_actor_state`), member for member: the comparison's CAF actors
// hold this, so that their size matches the runtime's actors.
struct replica_state {
  void* core = nullptr;
  actors::actor_key key;
  domain::conversation_state conversation;
  bool healthy = true;
  static inline const char* name = "conversation";
};

// ---------------------------------------------------------------------------
// Recovery without actors: the ceiling for activation.

struct recovery_figures {
  double seconds = 0;
  double cpu_seconds = 0;  // the process's
  std::uint64_t events = 0;
  std::uint64_t failures = 0;
};

// read_stream + evolve for every key, interleaved over `threads` threads (as
// the runtime's actors spread over its CAF threads). `keep`, if not null,
// receives each state at its key's index.
recovery_figures recover_all(const storage::event_store& store,
                             const std::vector<actors::actor_key>& keys, std::size_t threads,
                             std::vector<domain::conversation_state>* keep) {
  std::atomic<std::uint64_t> total_events{0}, failures{0};
  const auto start = bench_clock::now();
  const double cpu0 = process_cpu_seconds();
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::uint64_t mine = 0, failed = 0;
      for (std::size_t i = t; i < keys.size(); i += threads) {
        domain::conversation_state st;
        auto stored = store.read_stream(keys[i].stream(), 1);
        if (!stored) {
          ++failed;
          continue;
        }
        for (const auto& r : *stored) domain::evolve(st, r);
        mine += stored->size();
        if (keep) (*keep)[i] = std::move(st);
      }
      total_events += mine;
      failures += failed;
    });
  for (auto& th : pool) th.join();
  return {seconds_since(start), process_cpu_seconds() - cpu0, total_events.load(), failures.load()};
}

// The read a conversation back from hibernation makes: its stream from the
// kept state's version + 1 (normally nothing), for every key, interleaved
// over `threads` threads. The ceiling for reactivation.
recovery_figures catch_up_all(const storage::event_store& store,
                              const std::vector<actors::actor_key>& keys, std::size_t threads,
                              const std::vector<domain::conversation_state>& states) {
  std::atomic<std::uint64_t> total_events{0}, failures{0};
  const auto start = bench_clock::now();
  const double cpu0 = process_cpu_seconds();
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::uint64_t mine = 0, failed = 0;
      for (std::size_t i = t; i < keys.size(); i += threads) {
        auto stored = store.read_stream(keys[i].stream(), states[i].version + 1);
        if (stored)
          mine += stored->size();
        else
          ++failed;
      }
      total_events += mine;
      failures += failed;
    });
  for (auto& th : pool) th.join();
  return {seconds_since(start), process_cpu_seconds() - cpu0, total_events.load(), failures.load()};
}

// ---------------------------------------------------------------------------
// The runtime.

class counting_outbox final : public actors::outbox {
 public:
  void enqueue(actors::outbound_job job) override {
    jobs.fetch_add(1, std::memory_order_relaxed);
    if (job.resume) resumed.fetch_add(1, std::memory_order_relaxed);
  }
  std::atomic<std::uint64_t> jobs{0};
  std::atomic<std::uint64_t> resumed{0};
};

// Counts the replies to N commands and wakes the waiter at the last one.
class reply_counter {
 public:
  explicit reply_counter(std::uint64_t expected) : expected_(expected) {}

  void on_reply(const actors::command_result& r) {
    if (!r) {
      std::lock_guard lk(mu_);
      if (first_error_.empty())
        first_error_ = std::string(actors::to_string(r.error().code)) + ": " + r.error().message;
      failed_.fetch_add(1, std::memory_order_relaxed);
    }
    if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 == expected_) {
      std::lock_guard lk(mu_);
      cv_.notify_all();
    }
  }
  actors::reply_fn fn() {
    return [this](actors::command_result r) { on_reply(r); };
  }
  bool wait(std::chrono::seconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return done_.load() >= expected_; });
  }
  std::uint64_t done() const { return done_.load(); }
  std::uint64_t failed() const { return failed_.load(); }
  std::string first_error() {
    std::lock_guard lk(mu_);
    return first_error_;
  }

 private:
  const std::uint64_t expected_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::string first_error_;
};

// A command every conversation answers without events: `record_sent` for a
// message that is not pending. Its reply comes after the actor's recovery
// (an actor takes its mailbox in order, recovery first).
domain::conversation_command probe_command() {
  return domain::record_sent{"no-such-message", "SMx"};
}

// Calls `each(i)` for every index, interleaved over `threads` threads; the
// seconds until the last thread finished.
template <class F>
double on_threads(std::size_t n, unsigned threads, F each) {
  const auto start = bench_clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t i = t; i < n; i += threads) each(i);
    });
  for (auto& th : pool) th.join();
  return seconds_since(start);
}

// The runtime's clock: frozen at construction, moved on only by `advance`,
// so that no actor idles out before the bench sweeps by hand.
class manual_clock {
 public:
  fl::timestamp now() const {
    return start_ + std::chrono::microseconds(offset_us_.load(std::memory_order_relaxed));
  }
  void advance(std::chrono::microseconds by) {
    offset_us_.fetch_add(by.count(), std::memory_order_relaxed);
  }
  fl::clock_fn fn() const {
    return [this] { return now(); };
  }

 private:
  const fl::timestamp start_ = fl::system_now();
  std::atomic<std::int64_t> offset_us_{0};
};

constexpr std::chrono::seconds idle_after{60};

struct runtime_figures {
  double activate_calls_s = 0;  // until every activate() returned
  double probes_sent_s = 0;     // until every probe was submitted
  double recovered_s = 0;       // until every probe was answered
  double recovered_cpu_s = 0;   // the process's CPU time meanwhile
  std::uint64_t probe_failures = 0;
  std::string probe_error;
  memory_sample before, after, after_trim;
  actors::runtime_stats stats;
  double live_probe_s = 0;  // the probe alone, to live actors
  // Hibernation: every actor passivated by a sweep, its state kept.
  memory_sample before_passivation;  // trimmed, N live idle actors
  double sweep_call_s = 0;           // passivate_idle() itself
  double hibernate_s = 0;            // until every state was handed over
  double hibernate_cpu_s = 0;
  double settle_s = 0;                        // then until malloc in use stopped falling
  memory_sample hibernated, hibernated_trim;  // N hibernated states, no actor
  actors::runtime_stats hibernated_stats;
  std::string hibernated_load;  // load average then
  // Reactivation: the probe to every hibernated conversation.
  double reactivated_s = 0;
  double reactivated_cpu_s = 0;
  std::uint64_t reactivation_failures = 0;
  std::string reactivation_error;
  actors::runtime_stats reactivated_stats;
  memory_sample reactivated_trim;  // N live actors again
  double drain_s = 0;
  double drain_cpu_s = 0;
  memory_sample after_drain;  // trimmed
  std::uint64_t outbox_jobs = 0, outbox_resumed = 0;
};

void wait_for(reply_counter& replies, std::uint64_t n, const char* what) {
  if (!replies.wait(std::chrono::seconds(1800)))
    throw std::runtime_error(std::string(what) + ": only " + std::to_string(replies.done()) +
                             " of " + std::to_string(n) + " replies after 30 min");
}

runtime_figures run_runtime(const settings& s, storage::event_store& store,
                            const domain::tenant_directory& directory,
                            const std::vector<actors::actor_key>& keys) {
  const std::uint64_t n = keys.size();
  runtime_figures f;
  counting_outbox out;
  actors::runtime_options options;
  options.threads = s.threads;
  options.max_live_actors = n + 1;
  options.max_hibernated = n;
  // The bench sweeps by hand, with its own clock.
  manual_clock clock;
  options.clock = clock.fn();
  options.idle_after = idle_after;
  options.sweep_every = std::chrono::hours(24);
  actors::messaging_runtime runtime(store, directory, out, options);

  trim_heap();
  f.before = sample_memory();
  reply_counter replies(n);
  const auto start = bench_clock::now();
  const double cpu0 = process_cpu_seconds();
  f.activate_calls_s =
      on_threads(n, s.activators, [&](std::size_t i) { runtime.activate(keys[i]); });
  on_threads(n, s.activators,
             [&](std::size_t i) { runtime.submit(keys[i], probe_command(), replies.fn()); });
  f.probes_sent_s = seconds_since(start);
  wait_for(replies, n, "activation");
  f.recovered_s = seconds_since(start);
  f.recovered_cpu_s = process_cpu_seconds() - cpu0;
  f.probe_failures = replies.failed();
  f.probe_error = replies.first_error();
  f.stats = runtime.stats();
  f.after = sample_memory();
  trim_heap();
  f.after_trim = sample_memory();

  // The probe's own cost: the same commands to the live, recovered actors.
  reply_counter again(n);
  const auto probe_start = bench_clock::now();
  on_threads(n, s.activators,
             [&](std::size_t i) { runtime.submit(keys[i], probe_command(), again.fn()); });
  wait_for(again, n, "probe");
  f.live_probe_s = seconds_since(probe_start);

  // Hibernation: every actor idle past `idle_after` at a sweep.
  trim_heap();
  f.before_passivation = sample_memory();
  clock.advance(idle_after + std::chrono::seconds(1));
  const auto sweep_start = bench_clock::now();
  const double sweep_cpu0 = process_cpu_seconds();
  runtime.passivate_idle();
  f.sweep_call_s = seconds_since(sweep_start);
  // The registry forgets an actor at once; the actor hands its state over
  // when it takes the passivate message, on an actor thread.
  for (;;) {
    f.hibernated_stats = runtime.stats();
    if (f.hibernated_stats.live == 0 && f.hibernated_stats.hibernated >= n) break;
    if (seconds_since(sweep_start) > 1800)
      throw std::runtime_error("hibernation: " + std::to_string(f.hibernated_stats.hibernated) +
                               " of " + std::to_string(n) + " states handed over after 30 min");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  f.hibernate_s = seconds_since(sweep_start);
  f.hibernate_cpu_s = process_cpu_seconds() - sweep_cpu0;
  // The last actors are destroyed just after their hand-over: wait until
  // malloc's figure stops falling (it is sampled 100 ms apart).
  {
    const auto settle_start = bench_clock::now();
    std::uint64_t last = heap_in_use_bytes();
    for (int i = 0; i < 50; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const std::uint64_t now = heap_in_use_bytes();
      const bool settled = now + 64 * 1024 >= last;
      last = now;
      if (settled) break;
    }
    f.settle_s = seconds_since(settle_start);
  }
  f.hibernated = sample_memory();
  trim_heap();
  f.hibernated_trim = sample_memory();
  f.hibernated_stats = runtime.stats();
  f.hibernated_load = load_average();

  // Reactivation: a command to each brings it back from its kept state.
  reply_counter back(n);
  const auto back_start = bench_clock::now();
  const double back_cpu0 = process_cpu_seconds();
  on_threads(n, s.activators,
             [&](std::size_t i) { runtime.submit(keys[i], probe_command(), back.fn()); });
  wait_for(back, n, "reactivation");
  f.reactivated_s = seconds_since(back_start);
  f.reactivated_cpu_s = process_cpu_seconds() - back_cpu0;
  f.reactivation_failures = back.failed();
  f.reactivation_error = back.first_error();
  f.reactivated_stats = runtime.stats();
  trim_heap();
  f.reactivated_trim = sample_memory();

  const auto drain_start = bench_clock::now();
  const double drain_cpu0 = process_cpu_seconds();
  runtime.drain();
  f.drain_s = seconds_since(drain_start);
  f.drain_cpu_s = process_cpu_seconds() - drain_cpu0;
  trim_heap();
  f.after_drain = sample_memory();
  f.outbox_jobs = out.jobs.load();
  f.outbox_resumed = out.resumed.load();
  return f;
}

// ---------------------------------------------------------------------------
// The comparison: CAF actors and the registry on their own.

using quit_atom = caf::atom_constant<caf::atom("quit")>;

caf::behavior empty_behavior(caf::stateful_actor<int>* self, std::atomic<std::uint64_t>* started) {
  started->fetch_add(1, std::memory_order_relaxed);
  return {[self](quit_atom) { self->quit(); }};
}

using replica_actor = caf::stateful_actor<replica_state>;

// The shape of the runtime's `conversation_behavior`: the state filled with
// a recovered conversation, a skipping default handler, two handlers.
caf::behavior replica_behavior(replica_actor* self, const domain::conversation_state* recovered,
                               actors::actor_key key, std::atomic<std::uint64_t>* started) {
  auto& st = self->state;
  st.key = std::move(key);
  st.conversation = *recovered;
  self->set_default_handler(caf::skip);
  started->fetch_add(1, std::memory_order_relaxed);
  return {
      [self](std::string&) { self->state.healthy = true; },
      [self](quit_atom) { self->quit(); },
  };
}

struct section_figures {
  std::uint64_t n = 0;
  double spawn_s = 0;  // until every actor ran its initialisation
  double quit_s = 0;   // from the first quit message until all are gone
  memory_sample before, after, after_trim;
  double rss_per() const { return per_item(before.rss, after.rss, n); }
  double rss_trim_per() const { return per_item(before.rss, after_trim.rss, n); }
  double heap_per() const { return per_item(before.heap, after_trim.heap, n); }
};

void wait_until(const std::atomic<std::uint64_t>& counter, std::uint64_t n) {
  while (counter.load(std::memory_order_relaxed) < n)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

template <class Spawn>
section_figures caf_section(std::uint64_t n, std::vector<caf::actor>& handles, Spawn spawn) {
  section_figures f;
  f.n = n;
  handles.clear();
  handles.reserve(n);
  std::atomic<std::uint64_t> started{0};
  trim_heap();
  f.before = sample_memory();
  const auto start = bench_clock::now();
  for (std::uint64_t i = 0; i < n; ++i) handles.push_back(spawn(i, &started));
  wait_until(started, n);
  f.spawn_s = seconds_since(start);
  f.after = sample_memory();
  trim_heap();
  f.after_trim = sample_memory();
  return f;
}

void quit_all(caf::actor_system& system, std::vector<caf::actor>& handles, section_figures& f) {
  const auto start = bench_clock::now();
  for (const auto& h : handles) caf::anon_send(h, quit_atom::value);
  system.await_all_actors_done();
  f.quit_s = seconds_since(start);
  handles.clear();
  handles.shrink_to_fit();
}

struct comparison_figures {
  section_figures empty, replica, registry, state_cache;
};

comparison_figures run_comparison(const settings& s, const std::vector<actors::actor_key>& keys,
                                  const std::vector<domain::conversation_state>& states) {
  const std::uint64_t n =
      std::min<std::uint64_t>(s.caf_actors ? s.caf_actors : keys.size(), keys.size());
  comparison_figures f;
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", static_cast<int>(s.threads));
  caf::actor_system system(cfg);
  std::vector<caf::actor> handles;

  // 1. Trivial actors: caf::stateful_actor<int>, one handler.
  f.empty = caf_section(n, handles, [&](std::uint64_t, std::atomic<std::uint64_t>* st) {
    return system.spawn(empty_behavior, st);
  });
  std::printf("  empty CAF actors: %llu spawned in %.2f s\n", static_cast<unsigned long long>(n),
              f.empty.spawn_s);
  std::fflush(stdout);

  // 2. The runtime's registry, pointing at those actors: a map entry and an
  // LRU list node per actor, as `live_actor_locked` makes them.
  {
    struct entry {
      caf::actor actor;
      fl::timestamp last_used;
      std::list<std::string>::iterator lru_position;
    };
    std::unordered_map<std::string, entry> entries;
    std::list<std::string> lru;
    auto& r = f.registry;
    r.n = n;
    trim_heap();
    r.before = sample_memory();
    const auto start = bench_clock::now();
    const fl::timestamp now = fl::system_now();
    for (std::uint64_t i = 0; i < n; ++i) {
      std::string k = actors::registry_key(keys[i]);
      lru.push_front(k);
      entries.emplace(std::move(k), entry{handles[i], now, lru.begin()});
    }
    r.spawn_s = seconds_since(start);
    r.after = sample_memory();
    trim_heap();
    r.after_trim = sample_memory();
  }
  quit_all(system, handles, f.empty);

  // 3. Actors shaped like the runtime's: its state type, filled with the
  // recovered conversation, and its behaviour's shape.
  f.replica = caf_section(n, handles, [&](std::uint64_t i, std::atomic<std::uint64_t>* st) {
    return system.spawn(replica_behavior, &states[i], keys[i], st);
  });
  std::printf("  replica actors: %llu spawned in %.2f s\n", static_cast<unsigned long long>(n),
              f.replica.spawn_s);
  std::fflush(stdout);
  quit_all(system, handles, f.replica);

  // 4. No actor at all: the recovered states in a map by registry key, what
  // an idle conversation would cost if passivation kept its state.
  {
    std::unordered_map<std::string, domain::conversation_state> cache;
    auto& c = f.state_cache;
    c.n = n;
    trim_heap();
    c.before = sample_memory();
    const auto start = bench_clock::now();
    for (std::uint64_t i = 0; i < n; ++i) cache.emplace(actors::registry_key(keys[i]), states[i]);
    c.spawn_s = seconds_since(start);
    c.after = sample_memory();
    trim_heap();
    c.after_trim = sample_memory();
  }
  return f;
}

// ---------------------------------------------------------------------------
// Report.

double us_per(double cpu_seconds, std::uint64_t n) {
  return n ? cpu_seconds * 1e6 / static_cast<double>(n) : 0;
}

double rate(std::uint64_t n, double seconds) {
  return seconds > 0 ? static_cast<double>(n) / seconds : 0;
}

std::string with_commas(double v) {
  auto n = static_cast<long long>(v < 0 ? v - 0.5 : v + 0.5);
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

void print_section(const char* name, const section_figures& f, bool actors) {
  std::printf("| %-44s | %9s | %7.0f | %7.0f | %7.0f | %9s | %9s |\n", name,
              with_commas(static_cast<double>(f.n)).c_str(), f.rss_per(), f.rss_trim_per(),
              f.heap_per(), with_commas(rate(f.n, f.spawn_s)).c_str(),
              actors ? with_commas(rate(f.n, f.quit_s)).c_str() : "–");
}

int run(const settings& s) {
  std::printf(
      "actors benchmark: %llu conversations over %llu tenants (1 in %llu opted out), %zu CAF "
      "threads, %u activating thread(s)\n",
      static_cast<unsigned long long>(s.conversations), static_cast<unsigned long long>(s.tenants),
      static_cast<unsigned long long>(s.opt_out_every), s.threads, s.activators);
  scratch_dir data(s.dir, s.keep || s.reuse, s.reuse);
  std::printf("%s\n%s; %s\n\n", machine_line(data.path()).c_str(), utc_now().c_str(),
              commit_line(FL_SOURCE_DIR).c_str());
  std::fflush(stdout);

  // 1. Populate (or reuse a kept log written with the same settings).
  const auto log_dir = data / "log";
  const auto tag_file = data / "populated";
  populate_figures pop;
  std::string tag;
  if (s.reuse && std::filesystem::exists(tag_file)) std::getline(std::ifstream(tag_file), tag);
  if (!tag.empty()) {
    if (tag != populated_tag(s))
      throw std::runtime_error("--reuse: the kept log was written with " + tag + ", not " +
                               populated_tag(s));
    pop.reused = true;
    std::printf("populate: reusing the log in %s (%s)\n", log_dir.c_str(), tag.c_str());
  } else {
    std::filesystem::remove_all(log_dir);
    std::filesystem::remove(tag_file);
    pop = populate(s, log_dir);
    std::ofstream(tag_file) << populated_tag(s) << "\n";
    std::printf(
        "populate: %s events in %s requests (one per conversation) in %.1f s: %s events/s, %s "
        "conversations/s; %.1f µs CPU per event\n",
        with_commas(static_cast<double>(pop.events)).c_str(),
        with_commas(static_cast<double>(pop.requests)).c_str(), pop.seconds,
        with_commas(rate(pop.events, pop.seconds)).c_str(),
        with_commas(rate(pop.requests, pop.seconds)).c_str(),
        pop.events ? pop.cpu_seconds * 1e6 / static_cast<double>(pop.events) : 0.0);
  }
  std::fflush(stdout);

  // 2. Reopen, as a restarted server would; the tenants; the keys.
  auto opened = storage::event_store::open(log_dir);
  if (!opened) throw std::runtime_error("reopen: " + opened.error().message);
  auto& store = **opened;
  domain::tenant_directory directory;
  add_tenants(s, directory);
  std::vector<actors::actor_key> keys;
  keys.reserve(s.conversations);
  for (std::uint64_t id = 0; id < s.conversations; ++id) {
    keys.push_back(
        actors::conversation_key(tenant_name(id % s.tenants), detail::phone(1000000 + id)));
  }

  // 3. The ceiling: recovery without actors. The first pass fills RocksDB's
  // block caches and opens its table readers, so that their growth is not
  // counted per actor; the second is the ceiling and keeps the states (for
  // their size and for the comparison).
  std::printf("recovery without actors (read_stream + evolve, %zu threads):", s.threads);
  std::fflush(stdout);
  const recovery_figures first = recover_all(store, keys, s.threads, nullptr);
  std::printf(" first pass %s streams/s,", with_commas(rate(keys.size(), first.seconds)).c_str());
  std::fflush(stdout);
  std::vector<domain::conversation_state> states;
  trim_heap();
  const memory_sample states_before = sample_memory();
  states.resize(keys.size());
  const recovery_figures ceiling = recover_all(store, keys, s.threads, &states);
  trim_heap();
  const memory_sample states_after = sample_memory();
  if (first.failures || ceiling.failures)
    throw std::runtime_error("recovery without actors: read_stream failed");
  const recovery_figures catch_up = catch_up_all(store, keys, s.threads, states);
  if (catch_up.failures) throw std::runtime_error("catch-up reads: read_stream failed");
  std::printf(
      " second %s streams/s, %.2f events per stream; catch-up reads (from the state's version + "
      "1) %s streams/s, %.1f µs CPU each, %llu events found\n",
      with_commas(rate(keys.size(), ceiling.seconds)).c_str(),
      static_cast<double>(ceiling.events) / static_cast<double>(keys.size()),
      with_commas(rate(keys.size(), catch_up.seconds)).c_str(),
      us_per(catch_up.cpu_seconds, keys.size()), static_cast<unsigned long long>(catch_up.events));
  double heap_sum = 0, heap_opted = 0, heap_plain = 0;
  std::uint64_t opted = 0, pending = 0;
  for (std::size_t i = 0; i < states.size(); ++i) {
    const double h = static_cast<double>(state_heap(states[i]));
    heap_sum += h;
    pending += states[i].pending.size();
    if (states[i].opted_out) {
      ++opted;
      heap_opted += h;
    } else {
      heap_plain += h;
    }
  }
  const double mean_state_heap = heap_sum / static_cast<double>(states.size());
  const double stream_heap =
      static_cast<double>(string_heap(keys.front().stream()));  // all keys the same length here
  std::printf(
      "recovered states: sizeof(conversation_state) %zu B + heap %.1f B on average (%.0f B not "
      "opted out, %.0f B opted out: %llu); %llu pending; kept in a vector: %.0f B each "
      "(malloc), %.0f B (RSS)\n\n",
      sizeof(domain::conversation_state), mean_state_heap,
      heap_plain / static_cast<double>(states.size() - opted),
      opted ? heap_opted / static_cast<double>(opted) : 0.0, static_cast<unsigned long long>(opted),
      static_cast<unsigned long long>(pending),
      per_item(states_before.heap, states_after.heap, states.size()),
      per_item(states_before.rss, states_after.rss, states.size()));
  std::fflush(stdout);

  // 4. The runtime.
  const runtime_figures rt = run_runtime(s, store, directory, keys);
  const std::uint64_t n = keys.size();
  const double per_actor = per_item(rt.before.rss, rt.after.rss, n);
  const double per_actor_trim = per_item(rt.before.rss, rt.after_trim.rss, n);
  const double per_actor_heap = per_item(rt.before.heap, rt.after_trim.heap, n);
  const bool spawned_all = rt.stats.spawned == n && rt.stats.live == n;
  std::printf(
      "runtime: activate() x %s returned after %.2f s; probes submitted after %.2f s; all "
      "answered after %.2f s (%llu failed%s%s); stats: spawned %llu, live %llu; outbox jobs %llu "
      "(resumed %llu)\n",
      with_commas(static_cast<double>(n)).c_str(), rt.activate_calls_s, rt.probes_sent_s,
      rt.recovered_s, static_cast<unsigned long long>(rt.probe_failures),
      rt.probe_error.empty() ? "" : ", first: ", rt.probe_error.c_str(),
      static_cast<unsigned long long>(rt.stats.spawned),
      static_cast<unsigned long long>(rt.stats.live),
      static_cast<unsigned long long>(rt.outbox_jobs),
      static_cast<unsigned long long>(rt.outbox_resumed));
  std::printf(
      "runtime memory: RSS %.1f MiB before, %.1f MiB with %s idle actors, %.1f MiB after "
      "malloc_trim; malloc in use %.1f -> %.1f MiB; after the final drain (which hibernates "
      "every state again; trimmed) RSS %.1f MiB, malloc %.1f MiB\n",
      static_cast<double>(rt.before.rss) / mib, static_cast<double>(rt.after.rss) / mib,
      with_commas(static_cast<double>(n)).c_str(), static_cast<double>(rt.after_trim.rss) / mib,
      static_cast<double>(rt.before.heap) / mib, static_cast<double>(rt.after_trim.heap) / mib,
      static_cast<double>(rt.after_drain.rss) / mib,
      static_cast<double>(rt.after_drain.heap) / mib);
  // Hibernation, against the same baseline (before any actor existed) and
  // against the live idle actors just before the sweep.
  const double hib_rss = per_item(rt.before.rss, rt.hibernated_trim.rss, n);
  const double hib_rss_no_trim = per_item(rt.before.rss, rt.hibernated.rss, n);
  const double hib_heap = per_item(rt.before.heap, rt.hibernated_trim.heap, n);
  const double freed_rss = -per_item(rt.before_passivation.rss, rt.hibernated_trim.rss, n);
  const double freed_heap = -per_item(rt.before_passivation.heap, rt.hibernated_trim.heap, n);
  const bool hibernated_all = rt.hibernated_stats.live == 0 && rt.hibernated_stats.hibernated == n;
  const bool reactivated_all = rt.reactivated_stats.live == n &&
                               rt.reactivated_stats.hibernated == 0 &&
                               rt.reactivated_stats.spawned == 2 * n;
  std::printf(
      "hibernation: clock advanced past idle_after (%llds), passivate_idle() returned after "
      "%.2f s, all %s states handed over after %.2f s (%.1f µs CPU each), malloc settled %.1f s "
      "later; stats: live %llu, hibernated %llu, passivated %llu; load average %s\n",
      static_cast<long long>(idle_after.count()), rt.sweep_call_s,
      with_commas(static_cast<double>(n)).c_str(), rt.hibernate_s, us_per(rt.hibernate_cpu_s, n),
      rt.settle_s, static_cast<unsigned long long>(rt.hibernated_stats.live),
      static_cast<unsigned long long>(rt.hibernated_stats.hibernated),
      static_cast<unsigned long long>(rt.hibernated_stats.passivated), rt.hibernated_load.c_str());
  std::printf(
      "hibernation memory: RSS %.1f MiB with live idle actors (trimmed) -> %.1f MiB hibernated, "
      "%.1f MiB after malloc_trim; malloc in use %.1f -> %.1f MiB\n",
      static_cast<double>(rt.before_passivation.rss) / mib,
      static_cast<double>(rt.hibernated.rss) / mib,
      static_cast<double>(rt.hibernated_trim.rss) / mib,
      static_cast<double>(rt.before_passivation.heap) / mib,
      static_cast<double>(rt.hibernated_trim.heap) / mib);
  std::printf(
      "  per hibernated conversation, vs. before the actors existed: %.0f B RSS (after "
      "malloc_trim; %.0f B before it), %.0f B malloc in use\n"
      "  freed by passivation, per conversation (live idle actor -> hibernated): %.0f B RSS, "
      "%.0f B malloc in use\n",
      hib_rss, hib_rss_no_trim, hib_heap, freed_rss, freed_heap);
  std::printf(
      "reactivation: %s no-op commands to hibernated conversations answered after %.2f s "
      "(%llu failed%s%s), %.1f µs CPU each; stats: spawned %llu, live %llu, hibernated %llu; "
      "RSS %.1f MiB, malloc %.1f MiB (trimmed)\n",
      with_commas(static_cast<double>(n)).c_str(), rt.reactivated_s,
      static_cast<unsigned long long>(rt.reactivation_failures),
      rt.reactivation_error.empty() ? "" : ", first: ", rt.reactivation_error.c_str(),
      us_per(rt.reactivated_cpu_s, n),
      static_cast<unsigned long long>(rt.reactivated_stats.spawned),
      static_cast<unsigned long long>(rt.reactivated_stats.live),
      static_cast<unsigned long long>(rt.reactivated_stats.hibernated),
      static_cast<double>(rt.reactivated_trim.rss) / mib,
      static_cast<double>(rt.reactivated_trim.heap) / mib);
  // Whether the live actors reuse the memory the hibernated ones freed.
  const double reuse_rss = per_item(rt.hibernated_trim.rss, rt.reactivated_trim.rss, n);
  const double reuse_heap = per_item(rt.hibernated_trim.heap, rt.reactivated_trim.heap, n);
  std::printf(
      "  reactivation, per conversation: RSS +%.0f B, malloc in use +%.0f B (RSS grows less "
      "than malloc by what reuses the pages the hibernated actors freed)\n\n",
      reuse_rss, reuse_heap);
  std::fflush(stdout);

  // 5. Where the bytes go.
  comparison_figures cmp;
  if (s.comparison) {
    cmp = run_comparison(s, keys, states);
    std::printf("\n");
  }

  // Report.
  std::printf("%s; load average %s at the end\n\n", utc_now().c_str(), load_average().c_str());
  std::printf("| figure | value | target | |\n|---|---:|---|---|\n");
  if (!pop.reused)
    std::printf("| populate: %s events, %s conversations | %.1f s (%s events/s) | – | |\n",
                with_commas(static_cast<double>(pop.events)).c_str(),
                with_commas(static_cast<double>(pop.requests)).c_str(), pop.seconds,
                with_commas(rate(pop.events, pop.seconds)).c_str());
  std::printf(
      "| recovery without actors (ceiling, %zu threads) | %s conversations/s, %.1f µs CPU each | "
      "– | |\n",
      s.threads, with_commas(rate(n, ceiling.seconds)).c_str(), us_per(ceiling.cpu_seconds, n));
  std::printf(
      "| catch-up read without actors (reactivation's ceiling, %zu threads) | %s conversations/s, "
      "%.1f µs CPU each | – | |\n",
      s.threads, with_commas(rate(n, catch_up.seconds)).c_str(), us_per(catch_up.cpu_seconds, n));
  std::printf(
      "| **activation** (activate + no-op probe answered) | **%s actors/s** (%.2f s), %.1f µs "
      "CPU each | – | %.2f of the ceiling (CPU: %.2f) |\n",
      with_commas(rate(n, rt.recovered_s)).c_str(), rt.recovered_s, us_per(rt.recovered_cpu_s, n),
      rate(n, rt.recovered_s) / rate(n, ceiling.seconds),
      rt.recovered_cpu_s > 0 ? ceiling.cpu_seconds / rt.recovered_cpu_s : 0.0);
  std::printf("| activate() calls alone (spawn + registry) | %s /s | – | |\n",
              with_commas(rate(n, rt.activate_calls_s)).c_str());
  std::printf("| no-op probe to live actors (submit → reply) | %s /s | – | |\n",
              with_commas(rate(n, rt.live_probe_s)).c_str());
  std::printf(
      "| **bytes per idle actor** (RSS, after malloc_trim) | **%s B** | ≤ 1,024 B | **%s** |\n",
      with_commas(per_actor_trim).c_str(), per_actor_trim <= 1024 ? "MET" : "MISSED");
  std::printf("| bytes per idle actor (RSS, no trim) | %s B | ≤ 1,024 B | %s |\n",
              with_commas(per_actor).c_str(), per_actor <= 1024 ? "met" : "missed");
  std::printf("| bytes per idle actor (malloc in use) | %s B | | |\n",
              with_commas(per_actor_heap).c_str());
  std::printf(
      "| hibernation (sweep → every state handed over) | %s actors/s (%.2f s), %.1f µs CPU each "
      "| – | |\n",
      with_commas(rate(n, rt.hibernate_s)).c_str(), rt.hibernate_s, us_per(rt.hibernate_cpu_s, n));
  std::printf(
      "| **bytes per hibernated conversation** (RSS, after malloc_trim) | **%s B** | ≤ 1,024 B | "
      "**%s** |\n",
      with_commas(hib_rss).c_str(), hib_rss <= 1024 ? "MET" : "MISSED");
  std::printf("| bytes per hibernated conversation (RSS, no trim) | %s B | ≤ 1,024 B | %s |\n",
              with_commas(hib_rss_no_trim).c_str(), hib_rss_no_trim <= 1024 ? "met" : "missed");
  std::printf("| bytes per hibernated conversation (malloc in use) | %s B | | |\n",
              with_commas(hib_heap).c_str());
  std::printf(
      "| freed per conversation by passivation (RSS trimmed / malloc) | %s B / %s B | | |\n",
      with_commas(freed_rss).c_str(), with_commas(freed_heap).c_str());
  std::printf(
      "| **reactivation from hibernation** (no-op submit → reply) | **%s /s** (%.2f s), %.1f µs "
      "CPU each | – | %.2f× the first activation's rate (CPU each: %.2f×); %.2f of the "
      "catch-up ceiling |\n",
      with_commas(rate(n, rt.reactivated_s)).c_str(), rt.reactivated_s,
      us_per(rt.reactivated_cpu_s, n), rate(n, rt.reactivated_s) / rate(n, rt.recovered_s),
      rt.recovered_cpu_s > 0 ? rt.reactivated_cpu_s / rt.recovered_cpu_s : 0.0,
      rate(n, rt.reactivated_s) / rate(n, catch_up.seconds));
  std::printf(
      "| drain (passivate all into hibernation, wait) | %s actors/s (%.2f s), %.1f µs CPU each | "
      "– | |\n",
      with_commas(rate(n, rt.drain_s)).c_str(), rt.drain_s, us_per(rt.drain_cpu_s, n));
  std::printf("\n");

  std::printf(
      "Sizes (this build): sizeof conversation_state %zu B, actor_key %zu B, the "
      "runtime's actor state (replica) %zu B;\n",
      sizeof(domain::conversation_state), sizeof(actors::actor_key), sizeof(replica_state));
  std::printf(
      "CAF %d.%d.%d: actor_control_block %zu B, scheduled_actor %zu B (its mailbox %zu B), "
      "stateful_actor<int> %zu B, stored with its control block %zu B; the runtime's "
      "actor type %zu B, stored %zu B.\n",
      CAF_MAJOR_VERSION, CAF_MINOR_VERSION, CAF_PATCH_VERSION, sizeof(caf::actor_control_block),
      sizeof(caf::scheduled_actor), sizeof(caf::scheduled_actor::mailbox_type),
      sizeof(caf::stateful_actor<int>), sizeof(caf::actor_storage<caf::stateful_actor<int>>),
      sizeof(replica_actor), sizeof(caf::actor_storage<replica_actor>));
  std::printf(
      "State heap: %.1f B mean (chunks); the stream name string %.0f B (chunk), built from the "
      "key when needed and no longer held by the actor.\n\n",
      mean_state_heap, stream_heap);

  if (s.comparison) {
    std::printf(
        "| per item | n | RSS B | RSS B trimmed | malloc B | made /s | quit /s |\n"
        "|---|---:|---:|---:|---:|---:|---:|\n");
    std::printf("| %-44s | %9s | %7.0f | %7.0f | %7.0f | %9s | %9s |\n",
                "**the runtime's idle actor** (measured above)",
                with_commas(static_cast<double>(n)).c_str(), per_actor, per_actor_trim,
                per_actor_heap, with_commas(rate(n, rt.recovered_s)).c_str(),
                with_commas(rate(n, rt.drain_s)).c_str());
    std::printf("| %-44s | %9s | %7.0f | %7.0f | %7.0f | %9s | %9s |\n",
                "**the runtime's hibernated conversation** ¹",
                with_commas(static_cast<double>(n)).c_str(), hib_rss_no_trim, hib_rss, hib_heap,
                with_commas(rate(n, rt.hibernate_s)).c_str(),
                with_commas(rate(n, rt.reactivated_s)).c_str());
    print_section("empty CAF actor (stateful_actor<int>)", cmp.empty, true);
    print_section("CAF actor with the runtime's state, filled", cmp.replica, true);
    print_section("registry entry (map node + LRU node + keys)", cmp.registry, false);
    print_section("state cache entry (map<key, state>, no actor)", cmp.state_cache, false);
    std::printf(
        "\nIn malloc terms: replica actor %.0f B + registry entry %.0f B = %.0f B, against %.0f B "
        "measured in the runtime.\n"
        "  CAF's empty actor: %.0f B (its object with the control block: %zu B, a %zu B chunk; the "
        "rest is its behaviour and behaviour stack);\n"
        "  the runtime's state and behaviour on top: %.0f B (replica - empty);\n"
        "  the registry: %.0f B; RSS above malloc in the runtime (fragmentation): %.0f B per actor "
        "after malloc_trim, %.0f B before.\n",
        cmp.replica.heap_per(), cmp.registry.heap_per(),
        cmp.replica.heap_per() + cmp.registry.heap_per(), per_actor_heap, cmp.empty.heap_per(),
        sizeof(caf::actor_storage<caf::stateful_actor<int>>),
        malloc_chunk_bytes(sizeof(caf::actor_storage<caf::stateful_actor<int>>)),
        cmp.replica.heap_per() - cmp.empty.heap_per(), cmp.registry.heap_per(),
        per_actor_trim - per_actor_heap, per_actor - per_actor_heap);
    std::printf(
        "¹ made = hibernated by a sweep, quit = reactivated by a command; the hibernation map is "
        "the state cache above (unordered_map<registry key, conversation_state>), %.0f B malloc "
        "per entry there against %.0f B measured in the runtime; RSS above malloc (pages "
        "malloc_trim could not give back, shared with live chunks): %.0f B per conversation.\n",
        cmp.state_cache.heap_per(), hib_heap, hib_rss - hib_heap);
  }
  // CAF's floor: an empty actor, measured in the comparison (or, without it,
  // the malloc chunk of its object alone).
  const double caf_floor =
      s.comparison ? cmp.empty.rss_trim_per()
                   : static_cast<double>(
                         malloc_chunk_bytes(sizeof(caf::actor_storage<caf::stateful_actor<int>>)));
  std::printf("\ntarget: ≤ 1 KB (1,024 B) per idle conversation (RSS after malloc_trim)\n");
  std::printf(
      "  live idle actor:          %s, %s B%s\n", per_actor_trim <= 1024 ? "MET" : "MISSED",
      with_commas(per_actor_trim).c_str(),
      per_actor_trim <= 1024
          ? ""
          : (", not reachable with a live actor: an empty CAF " +
             std::to_string(CAF_MAJOR_VERSION) + "." + std::to_string(CAF_MINOR_VERSION) +
             " stateful_actor<int> alone costs " + with_commas(caf_floor) + " B" +
             (s.comparison ? " (measured above)" : " (its object's chunk; no comparison run)"))
                .c_str());
  std::printf("  hibernated conversation:  %s, %s B (malloc in use %s B%s)\n",
              hib_rss <= 1024 ? "MET" : "MISSED", with_commas(hib_rss).c_str(),
              with_commas(hib_heap).c_str(),
              hib_rss > 1024 && hib_heap <= 1024 ? ": within the target in malloc terms" : "");
  if (hib_rss > 1024 && hib_heap <= 1024)
    std::printf(
        "    why RSS misses: the memory the actors freed stays resident (%s B per conversation "
        "above malloc in use): malloc_trim returns only whole free pages, and the chunks the "
        "actors freed (~1.1-1.5 KB each) are separated by chunks still in use, so few pages are "
        "entirely free; malloc reuses that memory (reactivation grew RSS by %s B per conversation "
        "against %s B malloc)%s\n",
        with_commas(hib_rss - hib_heap).c_str(), with_commas(reuse_rss).c_str(),
        with_commas(reuse_heap).c_str(),
        s.comparison ? (", and the same states put in a fresh map cost " +
                        with_commas(cmp.state_cache.rss_trim_per()) + " B RSS (state cache above)")
                           .c_str()
                     : "");
  if (!spawned_all || rt.probe_failures)
    std::printf("WARNING: not every actor was spawned, live and answered: figures are suspect\n");
  if (!hibernated_all)
    std::printf(
        "WARNING: not every actor hibernated (live %llu, hibernated %llu): figures are "
        "suspect\n",
        static_cast<unsigned long long>(rt.hibernated_stats.live),
        static_cast<unsigned long long>(rt.hibernated_stats.hibernated));
  if (!reactivated_all || rt.reactivation_failures)
    std::printf(
        "WARNING: reactivation did not bring every conversation back from hibernation "
        "(spawned %llu, live %llu, hibernated %llu, %llu failed)\n",
        static_cast<unsigned long long>(rt.reactivated_stats.spawned),
        static_cast<unsigned long long>(rt.reactivated_stats.live),
        static_cast<unsigned long long>(rt.reactivated_stats.hibernated),
        static_cast<unsigned long long>(rt.reactivation_failures));
  return 0;
}

}  // namespace
}  // namespace fl::bench

int main(int argc, char** argv) {
  fl::bench::settings s;
  CLI::App app{"Idle conversation actors: bytes per actor, activation and drain rates"};
  app.add_option("--conversations", s.conversations, "conversations (actors) to recover")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--tenants", s.tenants, "tenants the conversations belong to")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--opt-out-every", s.opt_out_every,
                 "every n-th conversation also opted out (0: none)")
      ->capture_default_str();
  app.add_option("--in-flight", s.in_flight, "append requests queued at once while populating")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--threads", s.threads, "the runtime's CAF threads (and the ceiling's readers)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--activators", s.activators, "threads calling activate() and submit()")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--caf-actors", s.caf_actors,
                 "actors per comparison section (0: as many as conversations)")
      ->capture_default_str();
  app.add_flag("!--no-comparison", s.comparison,
               "skip the comparison (empty CAF actors, replica actors, registry, state cache)");
  app.add_option("--dir", s.dir, "scratch data directory (removed afterwards)")
      ->capture_default_str();
  app.add_flag("--keep", s.keep, "keep the scratch directory (and its log, for --reuse)");
  app.add_flag("--reuse", s.reuse,
               "reuse a log kept by an earlier run with the same settings (implies --keep)");
  CLI11_PARSE(app, argc, argv);
  try {
    return fl::bench::run(s);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "actors benchmark failed: %s\n", e.what());
    return 1;
  }
}
