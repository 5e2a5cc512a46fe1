#pragma once

// Writes chosen ticket-session events (`ticket-session:<tenant>:<contractor>`)
// and texts queued to contractors straight to the log, for the tickets
// projection's tests and the contractors' conversations.

#include <cstdint>
#include <string>

#include "tests/projections/log_builder.hpp"

namespace fl::testing {

class ticket_log {
 public:
  explicit ticket_log(storage::event_store& store) : log_(store) {}

  log_builder& log() { return log_; }

  static std::string stream(const std::string& tenant, const std::string& contractor) {
    return "ticket-session:" + tenant + ":" + contractor;
  }

  std::uint64_t started(const std::string& tenant, const std::string& contractor,
                        const std::string& ticket, const std::string& property,
                        const std::string& property_name = "Walmart Parking Lot") {
    return log_.append(tenant, stream(tenant, contractor),
                       events::ticket_started{ticket, property, property_name});
  }
  std::uint64_t details(const std::string& tenant, const std::string& contractor,
                        events::ticket_details_added d) {
    return log_.append(tenant, stream(tenant, contractor), std::move(d));
  }
  std::uint64_t completed(const std::string& tenant, const std::string& contractor,
                          const std::string& ticket) {
    return log_.append(tenant, stream(tenant, contractor), events::ticket_completed{ticket});
  }
  std::uint64_t moved(const std::string& tenant, const std::string& contractor,
                      const std::string& state) {
    return log_.append(tenant, stream(tenant, contractor), events::ticket_session_moved{state, {}});
  }

  /// A reply of the session queued to the contractor's phone.
  std::uint64_t texted(const std::string& tenant, const std::string& contractor,
                       const std::string& phone, const std::string& id) {
    events::sms_queued q;
    q.message_id = id;
    q.from = "+15005550006";
    q.to = phone;
    q.body = "Ticket updated!";
    q.trigger = "reply";
    q.encoding = "gsm7";
    q.contractor_id = contractor;
    return log_.append(tenant, log_builder::stream(tenant, phone), q);
  }

 private:
  log_builder log_;
};

/// Details of one text, for `ticket_log::details`.
inline events::ticket_details_added details_of(const std::string& ticket) {
  events::ticket_details_added d;
  d.ticket_id = ticket;
  return d;
}

}  // namespace fl::testing
