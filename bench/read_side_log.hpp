#pragma once

// A realistic event log for the read-side benchmarks, written straight into
// an event store: tenants created first (each `tenant_created` on the
// `tenants` stream, with a real IANA time zone and the SHA-256 of a known API
// token), then customer conversations round robin, one exchange at a time.
// An exchange is an inbound text and, mostly, a reply: queued, sent, then
// its status callbacks, which reach the log later (after other
// conversations' traffic), as Twilio's do. Mixed in: conversations read,
// callbacks that beat the send's answer, sends refused at once (`sms_failed`),
// undelivered and failed texts, opt-outs (some for good, some opting back in).
// Every queued text ends sent or failed, so a server started on the log has
// nothing to resume.

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/hex.hpp"
#include "base/sha256.hpp"
#include "bench/bench_util.hpp"
#include "bench/realistic_events.hpp"
#include "storage/event_store.hpp"

namespace fl::bench {

/// A tenant of the benchmark log, with the API token whose hash it stores.
struct bench_tenant {
  std::string id;  // "tn_" + 16 hex digits, like the server's
  std::string name;
  std::string timezone;
  std::string phone;
  std::string account_sid;
  std::string api_token;
};

inline bench_tenant make_bench_tenant(std::uint64_t index) {
  static constexpr std::array<std::string_view, 6> zones{"America/Chicago", "America/New_York",
                                                         "America/Denver",  "America/Los_Angeles",
                                                         "America/Phoenix", "America/Anchorage"};
  bench_tenant t;
  t.id = "tn_" + detail::hex32(index, 11).substr(0, 16);
  t.name = "Bench HVAC " + std::to_string(index);
  t.timezone = std::string(zones[index % zones.size()]);
  t.phone = detail::phone(7000000 + index);
  t.account_sid = "AC" + detail::hex32(index, 1);
  t.api_token = "fl_" + detail::hex32(index, 12) + detail::hex32(index, 13).substr(0, 16);
  return t;
}

inline events::tenant_created tenant_created_event(const bench_tenant& t) {
  events::tenant_created e;
  e.tenant_id = t.id;
  e.name = t.name;
  e.timezone = t.timezone;
  e.region = "US";
  e.numbers.push_back({t.phone, 1});
  e.api_token_sha256 = to_hex(sha256(t.api_token));
  return e;
}

/// Conversation `id` of tenant `id % tenants`.
inline conversation make_tenant_conversation(std::uint64_t id,
                                             const std::vector<bench_tenant>& tenants) {
  conversation c;
  c.id = id;
  c.tenant_index = id % tenants.size();
  const auto& t = tenants[c.tenant_index];
  c.tenant = t.id;
  c.account_sid = t.account_sid;
  c.business_phone = t.phone;
  c.customer_phone = detail::phone(1000000 + id);
  c.stream = "conversation:" + c.tenant + ":" + c.customer_phone;
  return c;
}

/// One exchange of a conversation: what is appended at once (`head`) and the
/// status callbacks that come later (`tail`, possibly empty).
struct exchange_events {
  std::vector<events::event> head, tail;
  std::uint64_t messages = 0;  // texts in or out
};

/// Exchange `k` (from 0) of conversation `c`.
inline exchange_events make_exchange(const conversation& c, std::uint64_t k) {
  const std::uint64_t roll = detail::mix(c.id * 1000003 + k);
  const bool out_for_good = c.id % 40 == 3;   // 2.5 % of conversations stay opted out
  const bool out_and_back = c.id % 40 == 23;  // 2.5 % opt out, then back in
  const std::string message_id = "msg_" + detail::hex32(c.id, k).substr(0, 24);
  const std::string sid = "SM" + detail::hex32(c.id, k + (1ULL << 40));
  exchange_events x;
  auto received = [&](std::string_view body) {
    events::sms_received e;
    e.message_sid = "SM" + detail::hex32(c.id, k + (1ULL << 41));
    e.account_sid = c.account_sid;
    e.from = c.customer_phone;
    e.to = c.business_phone;
    e.body = std::string(body);
    x.head.emplace_back(std::move(e));
    ++x.messages;
  };
  auto queued = [&](std::string_view body, std::string trigger) {
    events::sms_queued e;
    e.message_id = message_id;
    e.from = c.business_phone;
    e.to = c.customer_phone;
    e.body = std::string(body);
    e.trigger = std::move(trigger);
    e.segments = e.body.size() > 160 ? 2 : 1;
    e.encoding = "gsm7";
    if (e.trigger != "opt_out" && e.trigger != "opt_in") {
      e.customer_id = "cus_" + std::to_string(c.id);
      e.job_id = "job_" + std::to_string(c.id * 16 + k % 16);
    }
    x.head.emplace_back(std::move(e));
    ++x.messages;
  };
  auto sent = [&] { x.head.emplace_back(events::sms_sent{message_id, sid}); };
  auto status = [&](std::vector<events::event>& to, std::string s,
                    std::optional<std::int64_t> code = std::nullopt) {
    to.emplace_back(events::sms_status_changed{sid, std::move(s), code});
  };
  auto delivered_later = [&] {
    status(x.tail, "sent");
    status(x.tail, "delivered");
  };

  if ((out_for_good || out_and_back) && k == 2) {
    received("STOP");
    x.head.emplace_back(events::opted_out{c.customer_phone, "keyword", "STOP"});
    queued("You are unsubscribed from Bench HVAC texts. Reply START to resubscribe.", "opt_out");
    sent();
    delivered_later();
    return x;
  }
  if (out_for_good && k > 2) {  // they still text; nothing is sent back
    received(detail::inbound_bodies[(c.id + k) % detail::inbound_bodies.size()]);
    return x;
  }
  if (out_and_back && k == 3) {
    received("START");
    x.head.emplace_back(events::opted_in{c.customer_phone, "START"});
    queued("You are resubscribed to Bench HVAC texts. Reply STOP to opt out.", "opt_in");
    sent();
    delivered_later();
    return x;
  }
  received(detail::inbound_bodies[(c.id + k) % detail::inbound_bodies.size()]);
  if (roll % 8 == 0) x.head.emplace_back(events::conversation_read{1});
  queued(detail::outbound_bodies[(c.id + k) % detail::outbound_bodies.size()], k % 3 == 0 ? "reply"
                                                                               : k % 3 == 1
                                                                                   ? "enroute"
                                                                                   : "reminder");
  switch ((roll >> 8) % 40) {
    case 0:
    case 1:  // refused at once: never sent
      x.head.emplace_back(events::sms_failed{message_id, 21211, "Invalid 'To' Phone Number", true});
      break;
    case 2:
    case 3:
    case 4:
    case 5:  // the "sent" callback beat the send's answer
      status(x.head, "sent");
      sent();
      status(x.tail, "delivered");
      break;
    case 6:
    case 7:
      sent();
      status(x.tail, "sent");
      status(x.tail, "undelivered", 30003);
      break;
    case 8:
      sent();
      status(x.tail, "failed", 30008);
      break;
    default:
      sent();
      delivered_later();
  }
  return x;
}

/// What to write.
struct log_shape {
  std::uint64_t tenants = 5;
  std::uint64_t conversations = 10'000;
  std::uint64_t events = 1'000'000;  // stop once this many events (a few more: whole exchanges)...
  std::uint64_t messages = 0;        // ...or (when not 0) this many texts
  std::uint64_t callback_lag = 256;  // exchanges appended before an exchange's callbacks
  std::uint64_t in_flight = 1000;    // appends queued at most
  std::chrono::hours span{24 * 90};  // recorded_at runs over this span, ending now
};

struct log_summary {
  std::vector<bench_tenant> tenants;
  std::uint64_t events = 0;
  std::uint64_t messages = 0;
  double seconds = 0;
};

/// Writes the log into an empty store at `dir`.
inline log_summary write_read_side_log(const std::filesystem::path& dir, const log_shape& shape) {
  if (shape.tenants == 0 || shape.conversations == 0)
    throw std::runtime_error("the log needs at least one tenant and one conversation");
  log_summary out;
  for (std::uint64_t t = 0; t < shape.tenants; ++t) out.tenants.push_back(make_bench_tenant(t));

  // recorded_at follows the events submitted, so the log spans `span` of
  // local days and months (what the stats projection keys by).
  const auto planned = static_cast<double>(
      std::max<std::uint64_t>(shape.messages ? shape.messages * 5 / 2 : shape.events, 1));
  const timestamp end = system_now();
  const auto span_us = std::chrono::duration_cast<std::chrono::microseconds>(shape.span).count();
  std::atomic<std::uint64_t> submitted{0};
  storage::store_options options;
  options.clock = [&] {
    const double done = std::min(1.0, static_cast<double>(submitted.load()) / planned);
    return end - std::chrono::microseconds(
                     static_cast<std::int64_t>(static_cast<double>(span_us) * (1.0 - done)));
  };
  auto opened = storage::event_store::open(dir, options);
  if (!opened) throw std::runtime_error("open " + dir.string() + ": " + opened.error().message);
  auto& store = **opened;
  if (store.last_position() != 0) throw std::runtime_error(dir.string() + " already holds a log");

  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t outstanding = 0;
  std::string error;
  auto done = [&](storage::append_outcome r) {
    std::lock_guard lk(mu);
    if (!r && error.empty()) error = r.error().message;
    --outstanding;
    cv.notify_one();
  };
  std::vector<std::uint64_t> versions(shape.conversations, 0);
  std::vector<conversation> conversations;
  conversations.reserve(shape.conversations);
  for (std::uint64_t c = 0; c < shape.conversations; ++c)
    conversations.push_back(make_tenant_conversation(c, out.tenants));
  auto submit = [&](std::string tenant, std::string stream, std::uint64_t& version,
                    std::vector<events::event> evs) {
    const auto n = evs.size();
    storage::append_request r{std::move(tenant), std::move(stream),
                              storage::expected_version::exactly(version), std::move(evs),
                              std::nullopt};
    version += n;
    {
      std::unique_lock lk(mu);
      cv.wait(lk, [&] { return outstanding < shape.in_flight; });
      if (!error.empty()) throw std::runtime_error("append: " + error);
      ++outstanding;
    }
    submitted += n;
    out.events += n;
    store.append_async(std::move(r), done);
  };

  const auto start = bench_clock::now();
  std::uint64_t tenants_version = 0;
  for (const auto& t : out.tenants)
    submit(t.id, "tenants", tenants_version, {tenant_created_event(t)});

  // Callbacks wait in a queue; never longer than a round of all conversations,
  // so a conversation's next exchange always comes after them.
  const std::uint64_t lag = std::min(shape.callback_lag, shape.conversations / 2);
  struct later {
    std::uint64_t conversation;
    std::vector<events::event> events;
  };
  std::deque<later> callbacks;
  std::uint64_t waiting = 0;  // events in `callbacks`
  auto flush_one = [&] {
    auto& l = callbacks.front();
    waiting -= l.events.size();
    const auto& c = conversations[l.conversation];
    submit(c.tenant, c.stream, versions[l.conversation], std::move(l.events));
    callbacks.pop_front();
  };
  auto enough = [&] {
    return shape.messages ? out.messages >= shape.messages : out.events + waiting >= shape.events;
  };
  for (std::uint64_t step = 0; !enough(); ++step) {
    const std::uint64_t id = step % shape.conversations;
    const auto& c = conversations[id];
    auto x = make_exchange(c, step / shape.conversations);
    out.messages += x.messages;
    submit(c.tenant, c.stream, versions[id], std::move(x.head));
    waiting += x.tail.size();
    if (!x.tail.empty()) callbacks.push_back({id, std::move(x.tail)});
    while (callbacks.size() > lag) flush_one();
  }
  while (!callbacks.empty()) flush_one();
  {
    std::unique_lock lk(mu);
    cv.wait(lk, [&] { return outstanding == 0; });
  }
  if (!error.empty()) throw std::runtime_error("append: " + error);
  out.seconds = seconds_since(start);
  if (store.last_position() != out.events)
    throw std::runtime_error("the log holds " + std::to_string(store.last_position()) +
                             " events, " + std::to_string(out.events) + " were appended");
  return out;
}

}  // namespace fl::bench
