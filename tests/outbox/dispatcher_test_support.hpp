#pragma once

// A deterministic harness for the outbox dispatcher: a clock the test moves,
// a transport the test answers (inside the call or later through the stored
// callback), and the outcomes the dispatcher reported. The dispatcher runs
// without its own thread; the test drives it with `poll()` and `next_due()`.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "actors/outbox.hpp"
#include "base/secret.hpp"
#include "base/timestamp.hpp"
#include "domain/conversation.hpp"
#include "domain/outbound_policy.hpp"

#include "outbound/transport.hpp"
#include "outbox/dispatcher.hpp"

namespace Catch {
/// Timestamps print as RFC 3339 in failed checks.
template <>
struct StringMaker<fl::timestamp> {
  static std::string convert(const fl::timestamp& t) { return fl::format_rfc3339_utc(t); }
};
}  // namespace Catch

namespace fl::outbox::testing {

using namespace std::chrono_literals;
using outbound::lookup_result;
using outbound::send_request;
using outbound::send_result;

inline constexpr const char* tenant = "tenant-1";
inline constexpr const char* from_number = "+15005550006";
inline constexpr const char* other_from_number = "+15005550007";
inline constexpr const char* to_number = "+15558675310";
inline constexpr const char* account_sid = "AC0123456789abcdef0123456789abcdef";
inline constexpr const char* auth_token = "tok-9f8e7d6c5b4a-secret";
inline constexpr const char* service_sid = "MG0123456789abcdef0123456789abcdef";
inline constexpr const char* status_url = "https://fl.example.com/sms/status";

/// 2026-11-23T18:00:00Z: where every test's clock starts.
inline fl::timestamp start_time() {
  return fl::from_micros(1'795'456'800'000'000);
}

/// "now" for the dispatcher; only the test moves it.
struct fake_clock {
  fl::timestamp now = start_time();
  fl::clock_fn fn() {
    return [this] { return now; };
  }
};

/// One request the dispatcher made of the transport, with the callback the
/// test answers it through (empty once answered).
struct transport_call {
  enum class kind { send, find_sent };
  kind what;
  send_request request;
  fl::timestamp at;
  std::function<void(send_result)> send_done;
  std::function<void(lookup_result)> find_done;
  bool answered() const { return !send_done && !find_done; }
};

/// Records every request in order. An answer scripted in `send_answers` /
/// `find_answers` is given inside the call (which real transports never do,
/// but the dispatcher must survive); without one the call is held until the
/// test calls `answer_send` / `answer_find`, as from the transport's thread.
class fake_transport final : public outbound::transport {
 public:
  explicit fake_transport(const fake_clock& clock) : clock_(clock) {}

  std::deque<send_result> send_answers;
  std::deque<lookup_result> find_answers;
  std::vector<transport_call> calls;

  void send(send_request request, std::function<void(send_result)> done) override {
    calls.push_back(
        {transport_call::kind::send, std::move(request), clock_.now, std::move(done), nullptr});
    if (send_answers.empty()) return;
    send_result r = std::move(send_answers.front());
    send_answers.pop_front();
    answer_send(calls.size() - 1, std::move(r));
  }

  void find_sent(send_request request, std::function<void(lookup_result)> done) override {
    calls.push_back({transport_call::kind::find_sent, std::move(request), clock_.now, nullptr,
                     std::move(done)});
    if (find_answers.empty()) return;
    lookup_result r = std::move(find_answers.front());
    find_answers.pop_front();
    answer_find(calls.size() - 1, std::move(r));
  }

  std::string_view name() const override { return "fake"; }

  /// Answers held send number `index` (of `calls`).
  void answer_send(std::size_t index, send_result r) {
    REQUIRE(index < calls.size());
    REQUIRE(calls[index].what == transport_call::kind::send);
    REQUIRE(calls[index].send_done);
    auto done = std::move(calls[index].send_done);
    calls[index].send_done = nullptr;
    done(std::move(r));
  }

  /// Answers held lookup number `index` (of `calls`).
  void answer_find(std::size_t index, lookup_result r) {
    REQUIRE(index < calls.size());
    REQUIRE(calls[index].what == transport_call::kind::find_sent);
    REQUIRE(calls[index].find_done);
    auto done = std::move(calls[index].find_done);
    calls[index].find_done = nullptr;
    done(std::move(r));
  }

  std::size_t count(transport_call::kind k) const {
    std::size_t n = 0;
    for (const auto& c : calls) n += c.what == k ? 1 : 0;
    return n;
  }
  std::size_t sends() const { return count(transport_call::kind::send); }
  std::size_t finds() const { return count(transport_call::kind::find_sent); }

  /// When each send of `message_id` was made, in order.
  std::vector<fl::timestamp> send_times(const std::string& message_id) const {
    std::vector<fl::timestamp> out;
    for (const auto& c : calls)
      if (c.what == transport_call::kind::send && c.request.message_id == message_id)
        out.push_back(c.at);
    return out;
  }

 private:
  const fake_clock& clock_;
};

// Transport answers.
inline send_result accepted(std::string sid) {
  send_result r;
  r.outcome = send_result::kind::accepted;
  r.sid = std::move(sid);
  r.http_status = 201;
  return r;
}
inline send_result retryable(int http_status, std::optional<std::int64_t> code = std::nullopt,
                             std::optional<std::chrono::milliseconds> retry_after = std::nullopt) {
  send_result r;
  r.outcome = send_result::kind::retryable;
  r.http_status = http_status;
  r.error_code = code;
  r.error_message = "HTTP " + std::to_string(http_status);
  r.retry_after = retry_after;
  return r;
}
inline send_result permanent(std::int64_t code, std::string message) {
  send_result r;
  r.outcome = send_result::kind::permanent;
  r.http_status = 400;
  r.error_code = code;
  r.error_message = std::move(message);
  return r;
}
inline send_result unknown_outcome() {
  send_result r;
  r.outcome = send_result::kind::unknown_outcome;
  r.error_message = "timed out after the request was written";
  return r;
}
inline lookup_result found(std::string sid) {
  lookup_result r;
  r.outcome = lookup_result::kind::found;
  r.sid = std::move(sid);
  r.status = "sent";
  return r;
}
inline lookup_result not_found() {
  lookup_result r;
  r.outcome = lookup_result::kind::not_found;
  return r;
}
inline lookup_result lookup_failed() {
  lookup_result r;
  r.outcome = lookup_result::kind::failed;
  r.error_message = "HTTP 503";
  return r;
}

/// A durable `sms_queued` of tenant-1's conversation with `to_number`.
inline actors::outbound_job job(std::string message_id, std::string from = from_number,
                                bool resume = false) {
  actors::outbound_job j;
  j.owner = actors::conversation_key(tenant, to_number);
  j.message.message_id = std::move(message_id);
  j.message.from = std::move(from);
  j.message.to = to_number;
  j.message.body = "Your technician is 15 minutes away.";
  j.message.trigger = "eta_15";
  j.message.queued_at = start_time();
  j.resume = resume;
  return j;
}

/// One outcome the dispatcher reported, and when.
struct report {
  actors::actor_key owner;
  domain::conversation_command command;
  fl::timestamp at;
};

/// The dispatcher under test with its fakes. tenant-1 sends with its own
/// credentials and messaging service; every number at 1/s unless `rates`
/// says otherwise.
struct harness {
  fake_clock clock;
  fake_transport transport{clock};
  std::vector<report> reports;
  std::map<std::string, sender_profile> profiles;  // by tenant
  std::map<std::string, double> rates;             // by from number
  std::unique_ptr<dispatcher> outbox;
  std::set<std::string> opted_out;  // recipients the last gate refuses

  explicit harness(domain::retry_policy retry = {}, std::uint64_t jitter_seed = 42) {
    sender_profile p;
    p.creds = twilio::credentials{account_sid, fl::secret(auth_token)};
    p.messaging_service_sid = service_sid;
    profiles.emplace(tenant, std::move(p));

    dispatcher_options o;
    o.retry = retry;
    o.status_callback_url = status_url;
    o.clock = clock.fn();
    o.jitter_seed = jitter_seed;
    o.own_thread = false;
    o.may_send = [this](const actors::outbound_job& j) {
      return j.message.trigger == "opt_out" || !opted_out.contains(j.message.to);
    };
    outbox = std::make_unique<dispatcher>(
        transport,
        [this](const actors::actor_key& owner, domain::conversation_command c) {
          reports.push_back({owner, std::move(c), clock.now});
        },
        [this](const std::string& t, const std::string& from) -> std::optional<sender_profile> {
          auto it = profiles.find(t);
          if (it == profiles.end()) return std::nullopt;
          sender_profile p = it->second;
          if (auto r = rates.find(from); r != rates.end()) p.max_per_second = r->second;
          return p;
        },
        std::move(o));
  }

  void enqueue(actors::outbound_job j) { outbox->enqueue(std::move(j)); }
  void poll() { outbox->poll(); }
  void advance(std::chrono::microseconds d) { clock.now += d; }

  /// Moves the clock to the next due time (never back) and polls; false if
  /// nothing waits on time.
  bool step() {
    auto due = outbox->next_due();
    if (!due) return false;
    if (*due > clock.now) clock.now = *due;
    poll();
    return true;
  }

  /// Polls until the dispatcher is idle: polls again while a poll made a
  /// request or a report (an answer given inside the call waits for the next
  /// poll, as the dispatcher's own thread would be woken for it), and moves
  /// the clock to the next due time while something waits on time. Stops
  /// after `limit` rounds, failing the test, so a dispatcher that never
  /// settles fails instead of hanging.
  void settle(int limit = 200) {
    for (; limit > 0; --limit) {
      const auto calls = transport.calls.size();
      const auto reported = reports.size();
      poll();
      if (transport.calls.size() != calls || reports.size() != reported) continue;
      auto due = outbox->next_due();
      if (!due) return;
      if (*due > clock.now) clock.now = *due;
    }
    FAIL("the dispatcher did not settle");
  }
};

inline const domain::record_sent* as_sent(const report& r) {
  return std::get_if<domain::record_sent>(&r.command);
}
inline const domain::record_send_failure* as_failure(const report& r) {
  return std::get_if<domain::record_send_failure>(&r.command);
}

}  // namespace fl::outbox::testing
