#pragma once

// Realistic SMS traffic for the benchmarks: tenants, one stream per customer
// conversation, and the five event types in the proportions a conversation
// produces them. Stored records average about 500 bytes.

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "events/event.hpp"

namespace fl::bench {

namespace detail {

inline std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// 32 lowercase hex digits derived from (a, b): the body of a Twilio sid.
inline std::string hex32(std::uint64_t a, std::uint64_t b) {
  char out[33];
  std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(mix(a)),
                static_cast<unsigned long long>(mix(b ^ mix(a))));
  return std::string(out, 32);
}

inline std::string phone(std::uint64_t n) {
  char out[32];
  std::snprintf(out, sizeof out, "+1555%07llu", static_cast<unsigned long long>(n % 10000000));
  return out;
}

// Texts of the lengths field-service customers and offices send: mostly one
// SMS segment, some two.
inline constexpr std::array<std::string_view, 6> inbound_bodies{
    "Yes 2pm works. Gate code is 4471, the dog is friendly. Text when you are 10 min out please.",
    "The furnace is banging again when it kicks on, mostly at night. Can someone come look at it "
    "this week? Mornings are best for us.",
    "Running late, be there in 20",
    "Hi, this is Dana at 118 Birch St. The attic unit is leaking through the ceiling in the "
    "upstairs hallway since the thermostat switched to cooling this morning. We put a bucket "
    "under it. How soon can you get someone out here?",
    "Thanks!",
    "Can we move it to Thursday afternoon? Something came up at work. Anytime after 1 is fine."};

inline constexpr std::array<std::string_view, 5> outbound_bodies{
    "Hi Dana, Mike from Acme HVAC is on his way and should arrive in about 25 minutes.",
    "Reminder: your furnace tune-up with Acme HVAC is tomorrow, Tue Nov 24, between 8 and 10 AM. "
    "Reply C to confirm or R to reschedule.",
    "Thanks for choosing Acme HVAC! Your invoice #10482 for $189.00 is ready: "
    "https://pay.example.com/i/8f3k2q. Reply with any questions about today's work.",
    "Got it, you are down for Thursday between 1 and 3 PM. The technician will text you when he "
    "is on the way. Reply R to pick another time.",
    "On our way!"};

}  // namespace detail

/// A tenant's id, e.g. "acme-0042".
inline std::string tenant_name(std::uint64_t tenant) {
  char out[32];
  std::snprintf(out, sizeof out, "acme-%04llu", static_cast<unsigned long long>(tenant));
  return out;
}

/// One customer's conversation with one tenant: a stream of its own.
struct conversation {
  std::uint64_t id = 0;
  std::uint64_t tenant_index = 0;
  std::string tenant;
  std::string account_sid;
  std::string business_phone;
  std::string customer_phone;
  std::string stream;  // "conversation:<tenant>:<customer phone>"
};

/// Conversation `id`, its tenant being `id % tenants`.
inline conversation make_conversation(std::uint64_t id, std::uint64_t tenants) {
  conversation c;
  c.id = id;
  c.tenant_index = id % (tenants == 0 ? 1 : tenants);
  c.tenant = tenant_name(c.tenant_index);
  c.account_sid = "AC" + detail::hex32(c.tenant_index, 1);
  c.business_phone = detail::phone(7000000 + c.tenant_index);
  c.customer_phone = detail::phone(1000000 + id);
  c.stream = "conversation:" + c.tenant + ":" + c.customer_phone;
  return c;
}

/// The `n`-th event (from 0) of conversation `c`. Each exchange is five
/// events: inbound text, reply queued, reply sent, status "sent", status
/// "delivered"; one exchange in 16 ends with status "undelivered" and
/// `sms_failed` instead.
inline events::event conversation_event(const conversation& c, std::uint64_t n) {
  const std::uint64_t exchange = n / 5;
  const bool fails = exchange % 16 == 15;
  const std::string reply_id = "msg_" + detail::hex32(c.id, exchange).substr(0, 24);
  const std::string reply_sid = "SM" + detail::hex32(c.id, exchange + (1ULL << 40));
  switch (n % 5) {
    case 0: {
      events::sms_received e;
      e.message_sid = "SM" + detail::hex32(c.id, exchange + (1ULL << 41));
      e.account_sid = c.account_sid;
      e.from = c.customer_phone;
      e.to = c.business_phone;
      e.body = detail::inbound_bodies[(c.id + exchange) % detail::inbound_bodies.size()];
      return e;
    }
    case 1: {
      events::sms_queued e;
      e.message_id = reply_id;
      e.from = c.business_phone;
      e.to = c.customer_phone;
      e.body = detail::outbound_bodies[(c.id + exchange) % detail::outbound_bodies.size()];
      e.trigger = exchange % 3 == 0 ? "reply" : exchange % 3 == 1 ? "enroute" : "reminder";
      e.segments = e.body.size() > 160 ? 2 : 1;
      e.encoding = "gsm7";
      e.customer_id = "cus_" + std::to_string(c.id);
      e.job_id = "job_" + std::to_string(c.id * 16 + exchange % 16);
      return e;
    }
    case 2: {
      events::sms_sent e;
      e.message_id = reply_id;
      e.message_sid = reply_sid;
      return e;
    }
    case 3: {
      events::sms_status_changed e;
      e.message_sid = reply_sid;
      e.status = fails ? "undelivered" : "sent";
      if (fails) e.error_code = 30003;
      return e;
    }
    default: {
      if (fails) {
        events::sms_failed e;
        e.message_id = reply_id;
        e.error_code = 30003;
        e.error_message = "Unreachable destination handset";
        e.permanent = true;
        return e;
      }
      events::sms_status_changed e;
      e.message_sid = reply_sid;
      e.status = "delivered";
      return e;
    }
  }
}

}  // namespace fl::bench
