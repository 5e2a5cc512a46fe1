#include "outbox/dispatcher.hpp"

namespace fl::outbox {

dispatcher::dispatcher(outbound::transport& transport, outcome_sink sink, profile_lookup profiles,
                       dispatcher_options options)
    : transport_(transport),
      sink_(std::move(sink)),
      profiles_(std::move(profiles)),
      options_(std::move(options)),
      rng_(options_.jitter_seed) {
  if (options_.own_thread) thread_ = std::thread([this] { run(); });
}

dispatcher::~dispatcher() {
  stop();
}

void dispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void dispatcher::enqueue(actors::outbound_job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    std::string id = job.message.message_id;
    if (jobs_.contains(id)) return;
    job_state js;
    // After a restart a request may already have reached the provider.
    js.next = job.resume ? phase::reconcile : phase::send;
    js.job = std::move(job);
    auto& stored = jobs_.emplace(id, std::move(js)).first->second;
    schedule_locked(stored, options_.clock());
  }
  wake_.notify_all();
}

void dispatcher::schedule_locked(job_state& js, fl::timestamp due) {
  js.due = due;
  timers_.emplace(due, js.job.message.message_id);
}

std::optional<fl::timestamp> dispatcher::next_due() const {
  std::lock_guard lock(mutex_);
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

std::size_t dispatcher::in_flight() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

outbound::send_request dispatcher::request_for(const job_state& js,
                                               const sender_profile& profile) const {
  const auto& m = js.job.message;
  outbound::send_request r;
  r.tenant_id = js.job.owner.tenant;
  r.message_id = m.message_id;
  r.from = m.from;
  r.messaging_service_sid = profile.messaging_service_sid;
  r.to = m.to;
  r.body = m.body;
  r.status_callback = options_.status_callback_url;
  r.queued_at = m.queued_at;
  r.creds = profile.creds;
  return r;
}

void dispatcher::finish_locked(const std::string& id, domain::conversation_command outcome,
                               actions& deferred) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  actors::actor_key owner = it->second.job.owner;
  jobs_.erase(it);
  deferred.push_back([this, owner = std::move(owner), outcome = std::move(outcome)]() mutable {
    sink_(owner, std::move(outcome));
  });
}

void dispatcher::retry_locked(job_state& js, fl::timestamp now, const std::string& why,
                              std::optional<std::int64_t> code,
                              std::optional<std::chrono::milliseconds> floor, actions& deferred) {
  if (js.attempt >= options_.retry.max_attempts) {
    finish_locked(js.job.message.message_id,
                  domain::record_send_failure{
                      js.job.message.message_id, code,
                      "gave up after " + std::to_string(js.attempt) + " attempts: " + why, false},
                  deferred);
    return;
  }
  double unit = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  auto delay = domain::backoff_delay(options_.retry, js.attempt, unit, floor);
  js.slot_reserved = false;
  schedule_locked(js, now + std::chrono::duration_cast<std::chrono::microseconds>(delay));
}

void dispatcher::handle_answer_locked(answer a, fl::timestamp now, actions& deferred) {
  auto it = jobs_.find(a.message_id);
  if (it == jobs_.end()) return;
  job_state& js = it->second;
  const std::string& id = js.job.message.message_id;
  if (a.sent) {
    const auto& r = *a.sent;
    switch (r.outcome) {
      case outbound::send_result::kind::accepted:
        if (!r.sid.empty()) {
          finish_locked(id, domain::record_sent{id, r.sid}, deferred);
          return;
        }
        // Accepted without a sid: its status callbacks could never be
        // matched. Reconcile as after an unknown outcome.
        js.next = phase::reconcile;
        schedule_locked(js, now);
        return;
      case outbound::send_result::kind::permanent:
        finish_locked(id, domain::record_send_failure{id, r.error_code, r.error_message, true},
                      deferred);
        return;
      case outbound::send_result::kind::retryable:
        js.next = phase::send;
        retry_locked(js, now, r.error_message, r.error_code, r.retry_after, deferred);
        return;
      case outbound::send_result::kind::unknown_outcome:
        // The provider may have created it: never resend blind.
        js.next = phase::reconcile;
        schedule_locked(js, now);
        return;
    }
  }
  if (a.looked_up) {
    const auto& r = *a.looked_up;
    switch (r.outcome) {
      case outbound::lookup_result::kind::found:
        if (!r.sid.empty()) {
          finish_locked(id, domain::record_sent{id, r.sid}, deferred);
          return;
        }
        // Found without a sid cannot be recorded: ask again later.
        js.next = phase::reconcile;
        retry_locked(js, now, "lookup found a message without a sid", std::nullopt, std::nullopt,
                     deferred);
        return;
      case outbound::lookup_result::kind::not_found:
        js.next = phase::send;
        if (!js.sent) {  // resumed: nothing was sent by this enqueue yet
          schedule_locked(js, now);
          return;
        }
        // Our send did not create it: a failed attempt like a retryable one
        // (bounded, backed off, a new rate slot), not an immediate resend —
        // otherwise unknown outcome, not found, send... loops without end.
        retry_locked(js, now, "the provider has no record of the message", std::nullopt,
                     std::nullopt, deferred);
        return;
      case outbound::lookup_result::kind::failed:
        js.next = phase::reconcile;
        retry_locked(js, now, "lookup failed: " + r.error_message, std::nullopt, std::nullopt,
                     deferred);
        return;
    }
  }
}

void dispatcher::start_due_locked(fl::timestamp now, actions& deferred) {
  while (!timers_.empty() && timers_.begin()->first <= now) {
    auto [due, id] = *timers_.begin();
    timers_.erase(timers_.begin());
    auto it = jobs_.find(id);
    if (it == jobs_.end() || it->second.due != due || it->second.next == phase::waiting) continue;
    job_state& js = it->second;
    auto profile = profiles_(js.job.owner.tenant, js.job.message.from);
    if (!profile) {
      finish_locked(
          id, domain::record_send_failure{id, std::nullopt, "the tenant no longer exists", true},
          deferred);
      continue;
    }
    // The last gate before a text leaves: its recipient may have opted out
    // since it was queued. (A reconcile still runs: it may have left already.)
    if (js.next == phase::send && options_.may_send && !options_.may_send(js.job)) {
      finish_locked(
          id,
          domain::record_send_failure{
              id, std::nullopt, "not sent: the recipient opted out after it was queued", true},
          deferred);
      continue;
    }
    if (js.next == phase::send && !js.slot_reserved) {
      auto [limiter, fresh] = limiters_.try_emplace(js.job.message.from, profile->max_per_second);
      (void)fresh;
      fl::timestamp slot = limiter->second.reserve(now);
      js.slot_reserved = true;
      if (slot > now) {  // a burst queues behind the sender's rate
        schedule_locked(js, slot);
        continue;
      }
    }
    ++js.attempt;
    phase what = js.next;
    js.next = phase::waiting;
    auto request = request_for(js, *profile);
    if (what == phase::send) {
      js.sent = true;
      deferred.push_back([this, request = std::move(request)]() mutable {
        std::string id = request.message_id;
        transport_.send(std::move(request), [this, id](outbound::send_result r) {
          {
            std::lock_guard lock(mutex_);
            answers_.push_back({id, std::move(r), std::nullopt});
          }
          wake_.notify_all();
        });
      });
    } else {
      deferred.push_back([this, request = std::move(request)]() mutable {
        std::string id = request.message_id;
        transport_.find_sent(std::move(request), [this, id](outbound::lookup_result r) {
          {
            std::lock_guard lock(mutex_);
            answers_.push_back({id, std::nullopt, std::move(r)});
          }
          wake_.notify_all();
        });
      });
    }
  }
}

void dispatcher::poll() {
  actions deferred;
  {
    std::lock_guard lock(mutex_);
    // Stopped: nothing is reported or sent any more (the log keeps the
    // messages queued), even if a caller other than our thread polls.
    if (stopping_) return;
    fl::timestamp now = options_.clock();
    while (!answers_.empty()) {
      answer a = std::move(answers_.front());
      answers_.pop_front();
      handle_answer_locked(std::move(a), now, deferred);
    }
    start_due_locked(now, deferred);
  }
  for (auto& action : deferred) action();
}

void dispatcher::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (answers_.empty()) {
      if (timers_.empty()) {
        wake_.wait(lock);
      } else {
        // Due times come from the injected clock; wait in real time for the
        // same distance.
        auto distance = timers_.begin()->first - options_.clock();
        if (distance > std::chrono::microseconds::zero()) wake_.wait_for(lock, distance);
      }
    }
    if (stopping_) break;
    lock.unlock();
    poll();
    lock.lock();
  }
}

}  // namespace fl::outbox
