#pragma once

// Random ticket-session traffic beside the SMS and field-service traffic:
// tickets started, texts read and details added (to open, completed, unknown and other
// contractors' tickets too), completions, session moves (a state no session
// knows among them), and replies queued to contractors' phones, which link
// a conversation to a contractor, sometimes after the session moved.

#include <random>
#include <string>
#include <vector>

#include "storage/event_store.hpp"

namespace fl::testing {

class ticket_workload {
 public:
  ticket_workload(std::uint64_t seed, std::vector<std::string> tenants, int phones = 6)
      : rng_(seed * 104729 + 3), tenants_(std::move(tenants)), phones_(phones) {}

  /// One more append: one or two events on a ticket session's stream, or a
  /// text queued to a contractor.
  storage::append_request next() {
    const auto& tenant = tenants_[pick(tenants_.size())];
    std::string contractor = "ctr_" + std::to_string(pick(4));
    storage::append_request r;
    r.tenant = tenant;
    r.stream = "ticket-session:" + tenant + ":" + contractor;
    ++counter_;
    int dice = static_cast<int>(pick(100));
    if (dice < 18 || tickets_.empty()) {
      std::string id = "tk_" + std::to_string(counter_);
      tickets_.push_back(id);
      r.events.push_back(events::ticket_started{id, "prop_" + std::to_string(pick(3)), "Lot"});
      if (pick(2))
        r.events.push_back(events::ticket_session_moved{"collecting_ticket_details", {}});
    } else if (dice < 50) {
      events::ticket_details_added d;
      d.ticket_id = known();
      d.message_id = "SMt" + std::to_string(counter_);
      static const char* equipment[] = {"Plow Truck", "Loader", "Shovel"};
      if (pick(2)) d.equipment.push_back(equipment[pick(3)]);
      if (pick(2)) {
        d.bulk_salt_quantity = 0.5 * static_cast<double>(1 + pick(6));
        d.bulk_salt_unit = pick(3) ? "yards" : "tons";
      }
      if (pick(3) == 0) d.bag_salt = static_cast<double>(pick(5));
      if (pick(3) == 0) d.calcium_chloride = 0.25 * static_cast<double>(pick(8));
      if (pick(3) == 0) d.note = "note " + std::to_string(counter_);
      auto at = 1'795'000'000'000'000 - static_cast<std::int64_t>(pick(10)) * 600'000'000;
      if (pick(4) == 0) d.work_started_at_us = at;
      if (pick(4) == 0) d.work_finished_at_us = at + 3'600'000'000;
      // As the session records a text: how it was read, then what it added.
      if (pick(2)) {
        events::ticket_text_read read;
        read.message_sid = d.message_id;
        read.intent = "provide_details";
        read.confidence = "high";
        read.interpreter = "rules";
        read.equipment = d.equipment;
        read.replies = {"Ticket updated!"};
        r.events.push_back(read);
      }
      r.events.push_back(d);
    } else if (dice < 62) {
      r.events.push_back(events::ticket_completed{known()});
      if (pick(2)) r.events.push_back(events::ticket_session_moved{"idle", {}});
    } else if (dice < 80) {
      static const char* states[] = {"idle",
                                     "awaiting_start_confirmation",
                                     "collecting_ticket_details",
                                     "awaiting_completion",
                                     "collecting_completion_details",
                                     "bogus"};
      r.events.push_back(events::ticket_session_moved{states[pick(6)], {}});
    } else {
      std::string phone =
          "+1512555" + std::to_string(1000 + pick(static_cast<std::size_t>(phones_)));
      r.stream = "conversation:" + tenant + ":" + phone;
      events::sms_queued q;
      q.message_id = "msg_t" + std::to_string(counter_);
      q.from = "+15005550000";
      q.to = phone;
      q.body = "Ticket updated!";
      q.trigger = "reply";
      q.encoding = "gsm7";
      if (pick(5) == 0)
        q.customer_id = "cu_" + phone.substr(8);
      else
        q.contractor_id = contractor;
      r.events.push_back(q);
    }
    return r;
  }

 private:
  std::uint64_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
  }
  // A ticket id started before (by any contractor of any tenant), or one never started.
  std::string known() {
    if (pick(10) == 0) return "tk_unknown";
    return tickets_[pick(tickets_.size())];
  }

  std::mt19937_64 rng_;
  std::vector<std::string> tenants_;
  int phones_;
  std::uint64_t counter_ = 0;
  std::vector<std::string> tickets_;
};

}  // namespace fl::testing
