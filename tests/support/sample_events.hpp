#pragma once

#include <string>

#include "events/event.hpp"
#include "events/record.hpp"

namespace fl::testing {

/// A realistic inbound text (about 500 bytes once stored).
inline events::sms_received sample_inbound(int n = 0) {
  events::sms_received e;
  e.message_sid = "SM" + std::string(32 - std::to_string(n).size(), '0') + std::to_string(n);
  e.account_sid = "AC0123456789abcdef0123456789abcdef";
  e.from = "+15551234567";
  e.to = "+15557654321";
  e.body =
      "Skid steer, 5 bags, icy conditions at the north lot; back after 3 to finish the walkways";
  return e;
}

/// A realistic inbound text carrying `sid`, to tell events apart in tests.
inline events::sms_received inbound_with_sid(std::string sid) {
  events::sms_received e = sample_inbound();
  e.message_sid = std::move(sid);
  return e;
}

/// The MessageSid of a recorded `sms_received`.
inline std::string sid_of(const events::recorded_event& rec) {
  return std::get<events::sms_received>(rec.data).message_sid;
}

/// A realistic outbound text.
inline events::sms_queued sample_outbound(int n = 0) {
  events::sms_queued e;
  e.message_id = "msg_" + std::to_string(n);
  e.from = "+15557654321";
  e.to = "+15551234567";
  e.body = "Hi Dana, Mike from Acme HVAC is on his way and should arrive in about 25 minutes.";
  e.trigger = "enroute";
  e.segments = 1;
  e.encoding = "gsm7";
  e.customer_id = "cus_42";
  e.job_id = "job_7";
  return e;
}

}  // namespace fl::testing
