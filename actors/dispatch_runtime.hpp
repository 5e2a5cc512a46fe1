#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/consent_registry.hpp"
#include "actors/messaging_runtime.hpp"
#include "base/expected.hpp"
#include "base/timestamp.hpp"
#include "domain/contractor.hpp"
#include "domain/customer.hpp"
#include "domain/geo.hpp"
#include "domain/job.hpp"
#include "domain/property.hpp"
#include "domain/technician.hpp"
#include "domain/tenant_directory.hpp"
#include "storage/event_store.hpp"

#include "notifications/sms_config_service.hpp"

namespace fl::actors {

/// Why a dispatch command did not produce its events. Numbers are pinned.
enum class dispatch_errc : std::uint8_t {
  rejected = 1,     // the state machine refused it: `reason` names the domain code
  unavailable = 2,  // the log refused or failed the write, or a history could not be read
  unknown_tenant = 3,
  shutting_down = 4,
};
std::string_view to_string(dispatch_errc code);

struct dispatch_failure {
  dispatch_errc code = dispatch_errc::rejected;
  std::string reason;  // the domain's code ("not_registered", "job_closed", ...); "" when none
  std::string field;   // the api.md field concerned; "" when none
  std::string message;
};

/// What a command did once everything it caused was durable.
template <class State>
struct dispatch_reply {
  /// The last log position this command wrote, including what it caused
  /// (the job's events after a technician's status, the notification's
  /// text in the customer's conversation). When it wrote nothing (a retry
  /// of a command already applied), the log's last position then, which
  /// covers what it repeats.
  std::uint64_t position = 0;
  std::vector<events::event> events;  // what the entity itself recorded, in order
  State state;                        // the entity after the command
};

template <class State>
using dispatch_result = expected<dispatch_reply<State>, dispatch_failure>;
/// Called exactly once, on an actor thread; must not block.
template <class State>
using dispatch_reply_fn = std::function<void(dispatch_result<State>)>;

/// What one technician's batch of location fixes did (`POST /locations`
/// sends each technician's lines of a request as one batch).
struct location_batch_reply {
  /// As for one command: the last log position written, the job's texts
  /// included; 0 if nothing was written.
  std::uint64_t position = 0;
  /// One per fix, in order: why it was not recorded, or none (recorded).
  std::vector<std::optional<dispatch_failure>> failures;
};
using location_batch_result = expected<location_batch_reply, dispatch_failure>;

/// The open jobs of every tenant: what the reminder sweep goes through and
/// what is woken at start to send the texts it still owes.
struct job_ref {
  std::string tenant;
  std::string job_id;
  fl::timestamp scheduled_at;
};

/// What became of one assignment text.
struct assignment_text_outcome {
  std::string sms;                          // "queued", "held" or "skipped"
  std::string reason;                       // skipped: why ("notifications_disabled", ...)
  std::optional<std::string> message_id;    // queued: the text in the conversation
  std::optional<fl::timestamp> held_until;  // held: when it goes out
};

/// What an assignment (`assign_contractor`) or an assignment text by hand
/// (`notify_assignment`) did once everything it caused was durable.
struct assignment_reply {
  std::uint64_t position = 0;  // as dispatch_reply's
  domain::property_state property;
  bool assigned = false;  // the assignment was recorded now (false: it was already)
  std::optional<assignment_text_outcome> text;  // none: no text was asked for
};
using assignment_result = expected<assignment_reply, dispatch_failure>;

/// A contractor to wake at start (it has held assignment texts).
struct contractor_ref {
  std::string tenant;
  std::string contractor_id;
};

struct dispatch_options {
  fl::clock_fn clock = fl::system_now;  // Default: the system clock.
  domain::eta_options eta;              // Default: see domain/geo.hpp.
  /// How long a text the customer's conversation could not take (the log
  /// was unavailable) waits before the job tries again. Default: 30 s.
  std::chrono::milliseconds retry_after{std::chrono::seconds(30)};
  /// How often the built-in scheduler runs the reminder sweep; 0 turns it
  /// off (tests, and servers that use an external cron). Default: 1 min.
  std::chrono::milliseconds sweep_every{std::chrono::minutes(1)};
  std::size_t threads = 2;  // Default: the machine's 2 cores.
  /// Customer, technician and job actors unused for `idle_after` stop
  /// (passivate); the next command recovers them from their stream. A job
  /// that still owes a text or has a timer armed stays. Checked every
  /// `passivate_every` (0: only by `passivate_idle()`); beyond
  /// `max_live_actors`, the least recently used go first whatever their age.
  std::chrono::milliseconds idle_after{std::chrono::minutes(5)};        // Default: 5 min.
  std::chrono::milliseconds passivate_every{std::chrono::seconds(10)};  // Default: 10 s.
  std::size_t max_live_actors = 100'000;                                // Default: 100K.
  /// Whether `phone` (E.164) is, on the read side, a customer's of `tenant`
  /// or a contractor's other than `contractor_id`. Writes not yet projected
  /// are covered by the runtime's own claims. Default: none (claims only).
  std::function<bool(const std::string& tenant, const std::string& phone,
                     const std::string& contractor_id)>
      phone_taken;
  /// Whether `phone` (E.164) is a contractor's of `tenant` on the read side:
  /// a customer may not take it. Default: none (the runtime's claims only).
  std::function<bool(const std::string& tenant, const std::string& phone)> contractor_phone;
};

/// The dispatch actors, for tests and metrics.
struct dispatch_stats {
  std::size_t live = 0;          // actors the runtime knows (all kinds)
  std::uint64_t spawned = 0;     // since start, recoveries after passivation included
  std::uint64_t passivated = 0;  // since start
};

/// What a reminder sweep did.
struct reminder_sweep_result {
  std::uint64_t jobs_checked = 0;
  std::uint64_t reminders = 0;  // reminders fired (texted or held by quiet hours)
  std::uint64_t position = 0;   // the last log position written; 0: none
  std::vector<std::string> failed_jobs;
};

/// One CAF actor per customer, technician and job of a tenant, each the
/// single writer of its stream (`customer:`, `technician:`, `job:`): a thin
/// shell over the domain machines (domain/customer, technician, job).
///
/// A technician's status and fixes are decided by its actor and then told
/// to the job they concern; the job decides which notification fires,
/// records it with its own events, renders its template and hands the text
/// to the customer's conversation (messaging_runtime) under an external id
/// that makes a retry a no-op, then records `notification_queued`. Texts
/// held by quiet hours wait on a timer, re-armed when the job recovers.
///
/// Thread safety: every member may be called from any thread.
class dispatch_runtime {
 public:
  dispatch_runtime(storage::event_store& store, const domain::tenant_directory& tenants,
                   notifications::sms_config_service& config, messaging_runtime& conversations,
                   const consent_registry& consent, dispatch_options options = {});
  /// Lets every command in flight finish, then stops the actors.
  ~dispatch_runtime();
  dispatch_runtime(const dispatch_runtime&) = delete;
  dispatch_runtime& operator=(const dispatch_runtime&) = delete;

  void customer(const std::string& tenant, const std::string& id, domain::customer_command command,
                dispatch_reply_fn<domain::customer_state> reply);
  void technician(const std::string& tenant, const std::string& id,
                  domain::technician_command command,
                  dispatch_reply_fn<domain::technician_state> reply);
  /// Several `record_location` of one technician as one command: each fix
  /// decided in order on the state the ones before it left (so each is its
  /// own event, and out-of-order fixes, the geofence and the job's triggers
  /// come out as if they had been sent one by one), all of them appended in
  /// one write, then the job told of each fix that moved the technician, in
  /// order. `reply` once everything is durable, on an actor thread.
  void technician_locations(const std::string& tenant, const std::string& id,
                            std::vector<domain::record_location> fixes,
                            std::function<void(location_batch_result)> reply);
  /// `as_of`: the time the job decides at instead of the clock (the hand-run
  /// reminder sweep of `POST /sms/send-reminders {as_of}`).
  void job(const std::string& tenant, const std::string& id, domain::job_command command,
           dispatch_reply_fn<domain::job_state> reply,
           std::optional<fl::timestamp> as_of = std::nullopt);

  /// One CAF actor per contractor (`contractor:`) and property
  /// (`property:`). A contractor's phone must be no other contractor's and
  /// no customer's of the tenant (`phone_taken`).
  void contractor(const std::string& tenant, const std::string& id,
                  domain::contractor_command command,
                  dispatch_reply_fn<domain::contractor_state> reply);
  void property(const std::string& tenant, const std::string& id, domain::property_command command,
                dispatch_reply_fn<domain::property_state> reply);
  /// Assigns the contractor to the property (its actor asks the
  /// contractor's whether it is registered) and, when `notify` and the
  /// assignment is new, hands the assignment text to the contractor's actor:
  /// queued in its conversation, held by its quiet hours (recorded, sent
  /// when they end, after a restart too) or skipped by its preferences.
  void assign_contractor(const std::string& tenant, const std::string& property_id,
                         const std::string& contractor_id, bool notify,
                         std::function<void(assignment_result)> reply);
  /// The assignment text again, by hand (`POST /sms/notify-assignment`).
  void notify_assignment(const std::string& tenant, const std::string& property_id,
                         const std::string& contractor_id,
                         std::function<void(assignment_result)> reply);
  /// Wakes each contractor so that it sends the held texts that are due and
  /// arms its timer for the others (at start, from the directory projection).
  void resume_contractors(const std::vector<contractor_ref>& with_held_texts);

  /// The entities as their actors know them (not found: a state with an
  /// empty id). For checks before a write, not for reading lists.
  void customer_state(const std::string& tenant, const std::string& id,
                      std::function<void(domain::customer_state)> done);
  void technician_state(const std::string& tenant, const std::string& id,
                        std::function<void(domain::technician_state)> done);
  void job_state(const std::string& tenant, const std::string& id,
                 std::function<void(domain::job_state)> done);
  void contractor_state(const std::string& tenant, const std::string& id,
                        std::function<void(domain::contractor_state)> done);

  /// Tells the runtime about jobs it has not seen since it started (from the
  /// directory projection), and wakes each so that it sends the texts it
  /// still owes and arms its timer for held ones.
  void resume_jobs(const std::vector<job_ref>& open_jobs);

  /// Runs the day-before reminder sweep of `tenant` at `as_of` (default: the
  /// clock): every open job whose appointment is within the next two days
  /// is asked.
  void send_reminders(const std::string& tenant, std::optional<fl::timestamp> as_of,
                      std::function<void(reminder_sweep_result)> done);

  /// Asks the customer, technician and job actors idle for `idle_after`
  /// (and the least recently used beyond `max_live_actors`) to stop. Each
  /// stops once it has finished what it is doing, unless a command reached
  /// it since or it still has work of its own; it answers nothing, so the
  /// effect shows in `stats()` a moment later. Also run every
  /// `passivate_every`.
  void passivate_idle();
  dispatch_stats stats() const;

  /// Waits for every command in flight, then stops every actor (shutdown, tests).
  void drain();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace fl::actors
