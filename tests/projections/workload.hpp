#pragma once

// Random but plausible SMS traffic for the projection tests: a few tenants
// (each created first, with its time zone), conversations that receive and
// queue texts, sends that succeed or fail, status callbacks that come late,
// early, repeated and out of order, opt-outs and opt-ins, reads. Whatever
// order the log holds, projections must fold it the same way every time.

#include <atomic>
#include <cstdint>
#include <future>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "storage/event_store.hpp"

namespace fl::testing {

class sms_workload {
 public:
  explicit sms_workload(std::uint64_t seed, int tenants = 2, int phones = 6)
      : rng_(seed), phones_(phones) {
    static const char* zones[] = {"America/Chicago", "Europe/Berlin", "UTC", "Asia/Kolkata"};
    for (int t = 0; t < tenants; ++t)
      tenants_.push_back({"tn_w" + std::to_string(t), zones[t % 4]});
  }

  /// The tenants' `tenant_created` appends: first in any log.
  std::vector<storage::append_request> tenant_appends() const {
    std::vector<storage::append_request> out;
    for (std::size_t i = 0; i < tenants_.size(); ++i) {
      events::tenant_created t;
      t.tenant_id = tenants_[i].id;
      t.name = "Tenant " + std::to_string(i);
      t.timezone = tenants_[i].zone;
      t.region = "US";
      t.numbers = {{"+1500555" + std::to_string(1000 + i), 1}};
      t.api_token_sha256 = std::string(64, 'a');
      out.push_back({t.tenant_id, "tenants", storage::expected_version::any(), {t}, std::nullopt});
    }
    return out;
  }

  const std::string& tenant(std::size_t i) const { return tenants_.at(i).id; }

  /// One more append: one or two events on some conversation's stream.
  storage::append_request next() {
    auto& t = tenants_[pick(tenants_.size())];
    std::string phone = "+1512555" + std::to_string(1000 + pick(static_cast<std::size_t>(phones_)));
    storage::append_request r;
    r.tenant = t.id;
    r.stream = "conversation:" + t.id + ":" + phone;
    std::string ours = "+15005550000";
    ++counter_;
    int dice = static_cast<int>(pick(100));
    if (dice < 22) {
      events::sms_received e;
      e.message_sid = "SMin" + std::to_string(counter_);
      e.account_sid = "AC1";
      e.from = phone;
      e.to = ours;
      e.body = pick(4) == 0 ? "Är ni på väg? 🚐" : "ok see you at " + std::to_string(counter_);
      if (pick(5) == 0) e.media.push_back({"https://media.example/" + e.message_sid, "image/jpeg"});
      r.events.push_back(e);
      r.external_id = e.message_sid;
    } else if (dice < 45) {
      events::sms_queued q;
      q.message_id = "msg_" + std::to_string(counter_);
      q.from = ours;
      q.to = phone;
      q.body = "Your technician is on the way (" + std::to_string(counter_) + ")";
      q.trigger = pick(2) ? "manual" : "enroute";
      q.segments = 1;
      q.encoding = "gsm7";
      if (pick(2)) q.customer_id = "cu_" + phone.substr(8);
      if (pick(3) == 0) q.job_id = "job_" + std::to_string(counter_);
      unsent_.push_back({t.id, r.stream, q.message_id});
      r.events.push_back(q);
    } else if (dice < 60 && !unsent_.empty()) {
      auto m = take(unsent_);
      r.tenant = m.tenant;
      r.stream = m.stream;
      if (pick(8) == 0) {
        r.events.push_back(events::sms_failed{m.id, 30003, "Unreachable destination", true});
        if (pick(2))
          r.events.push_back(
              events::opted_out{std::string(party(m.stream)), "carrier", std::nullopt});
      } else {
        std::string sid = "SMout" + std::to_string(counter_);
        r.events.push_back(events::sms_sent{m.id, sid});
        sent_.push_back({m.tenant, m.stream, sid});
      }
    } else if (dice < 85 && (!sent_.empty() || !unsent_.empty())) {
      // A status callback: for a sent message, or an early one for a sid
      // that `sms_sent` will bring later; repeats and regressions included.
      static const char* statuses[] = {"queued",    "sending",     "sent",   "delivered",
                                       "delivered", "undelivered", "failed", "read"};
      std::string status = statuses[pick(8)];
      if (!sent_.empty() && pick(6) != 0) {
        const auto& m = sent_[pick(sent_.size())];
        r.tenant = m.tenant;
        r.stream = m.stream;
        r.events.push_back(events::sms_status_changed{m.id, status, std::nullopt});
      } else {
        const auto& m = unsent_.empty() ? sent_[pick(sent_.size())] : unsent_[pick(unsent_.size())];
        r.tenant = m.tenant;
        r.stream = m.stream;
        r.events.push_back(events::sms_status_changed{
            "SMout" + std::to_string(counter_ + 1 + pick(3)), status,
            status == "failed" ? std::optional<std::int64_t>(30006) : std::nullopt});
      }
    } else if (dice < 92) {
      if (pick(2))
        r.events.push_back(events::opted_out{phone, "keyword", "STOP"});
      else
        r.events.push_back(events::opted_in{phone, "START"});
    } else {
      r.events.push_back(events::conversation_read{static_cast<std::int64_t>(pick(4))});
    }
    if (r.events.empty()) r.events.push_back(events::conversation_read{0});
    return r;
  }

  std::uint64_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
  }

 private:
  struct tenant_spec {
    std::string id, zone;
  };
  struct message_ref {
    std::string tenant, stream, id;
  };
  static std::string_view party(std::string_view stream) {
    return stream.substr(stream.rfind(':') + 1);
  }
  message_ref take(std::vector<message_ref>& from) {
    auto i = pick(from.size());
    auto m = from[i];
    from.erase(from.begin() + static_cast<std::ptrdiff_t>(i));
    return m;
  }

  std::mt19937_64 rng_;
  int phones_;
  std::vector<tenant_spec> tenants_;
  std::vector<message_ref> unsent_, sent_;
  std::uint64_t counter_ = 0;
};

/// Appends everything in order (queued together, so the group commit makes
/// one synced write of many); returns the log's last position after them.
inline std::uint64_t append_all(storage::event_store& store,
                                std::vector<storage::append_request> requests) {
  std::promise<void> all_done;
  auto left = std::make_shared<std::atomic<std::size_t>>(requests.size());
  if (requests.empty()) return store.last_position();
  for (auto& r : requests)
    store.append_async(std::move(r), [left, &all_done](storage::append_outcome) {
      if (left->fetch_sub(1) == 1) all_done.set_value();
    });
  all_done.get_future().wait();
  return store.last_position();
}

}  // namespace fl::testing
