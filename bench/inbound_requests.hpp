#pragma once

// Inbound-SMS webhooks as Twilio sends them, pre-built for the load
// generator: `POST /sms/webhook` with the form fields of a real inbound text,
// a distinct MessageSid each, From spread over many customers, varied
// realistic bodies (never a compliance keyword), signed with the tenant's
// auth token exactly as Twilio signs (`X-Twilio-Signature`).

#include <array>
#include <cstdint>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/secret.hpp"
#include "bench/http_load.hpp"
#include "domain/keywords.hpp"
#include "domain/phone_number.hpp"
#include "domain/sms_segments.hpp"
#include "twilio/form.hpp"
#include "twilio/signature.hpp"

namespace fl::bench {

/// Who the webhooks are for and how they are signed.
struct inbound_settings {
  std::string host_header;        // the Host header (the server's host:port)
  std::string public_url;         // the server's public URL; signatures cover public_url + path
  secret auth_token{""};          // the tenant's Twilio auth token
  std::string account_sid;        // the tenant's Twilio account (AC + 32 hex)
  std::string to;                 // the tenant's number, E.164
  std::uint64_t seed = 0;         // makes the MessageSids of a run unlike any other run's
  std::size_t customers = 10000;  // distinct From numbers (+1312555xxxx), at most 10,000
};

namespace inbound_detail {

inline std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser (a bijection)
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// What customers of a heating and cooling business text back. Slots: {day},
// {time}, {min}, {code}, {street}, {amount}, {temp}, {n}. All fit one SMS.
inline constexpr std::array<std::string_view, 40> templates{
    "Hi, the AC is blowing warm air again. Can someone come out {day}?",
    "Running about {min} min late, sorry! Be there soon",
    "Is the tech still coming {day}? We will be home after {time}.",
    "Gate code is {code}. Dog is friendly, just knock loud.",
    "Thanks, see you {day} at {time}.",
    "Can we move it to {day} morning? Something came up at work.",
    "The furnace is making a clicking noise when it starts up, then shuts off after a minute.",
    "How much is the fall tune-up? My neighbor said $89?",
    "Water heater is leaking from the bottom, there's a puddle in the basement. How soon can "
    "you get here?",
    "ok sounds good",
    "Yes please, {time} works for us",
    "Got it, thank you!",
    "Please call me at the other number, this one is my work cell.",
    "What's the ETA? I have to leave by {time}.",
    "Paid the invoice online just now, #{n}. Thanks for coming out so fast.",
    "Thermostat says {temp} degrees inside and the heat isn't coming on.",
    "Is there a charge for the second visit? The part was already ordered last time.",
    "Can you text me when he's on the way? I work from home but I'm on calls.",
    "Side door is unlocked, the unit is in the basement to the left of the stairs.",
    "Never mind, it started working again. Still want the check-up {day} though.",
    "We're at {street}, the blue house on the corner. Park in the driveway.",
    "Do you guys do duct cleaning too? Or just the furnace?",
    "The filter you left was the wrong size, it's 16x25x1 not 20x25x1",
    "My wife will be home, I'm at work. Her name is Maria.",
    "Can I get a copy of the receipt emailed? Total was ${amount}",
    "Perfect, thank you so much!!",
    "Smells like gas near the furnace when it kicks on. Should I be worried?",
    "No heat since last night, it's {temp} in here and we have a baby. Anything today?",
    "I'll be there between {time} and {time}, the garage code is {code}.",
    "Tech was great today, very polite. Please thank him for us.",
    "The outside unit is making a loud buzzing noise but the fan isn't spinning.",
    "Rescheduling is fine. {day} after lunch works best.",
    "How long will the install take? Need to know if I should take the whole day off",
    "Sorry missed your call. Yes we still need the appointment",
    "Can you come {day} instead? Any time after {time}",
    "Thanks! \xf0\x9f\x91\x8d",  // an emoji: UCS-2, still one segment
    "The thermostat screen is blank. Changed the batteries already.",
    "Who is coming today? Want to let the front desk know at {street}.",
    "Still no hot water after the visit \xf0\x9f\x98\x9e can someone come back {day}?",
    "Got the reminder, we're all set for {day}. Dog will be put away."};

inline constexpr std::array<std::string_view, 7> days{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                      "Friday", "Saturday", "tomorrow"};
inline constexpr std::array<std::string_view, 10> times{"8", "9:30", "10", "11", "noon",
                                                        "1", "2:30", "3",  "4",  "5:15"};
inline constexpr std::array<std::string_view, 8> streets{
    "1418 W Belmont Ave", "2207 N Halsted St",    "118 Birch St",   "5531 S Kenwood Ave",
    "742 W Addison St",   "3300 N Lake Shore Dr", "64 E Walton Pl", "1901 W Chicago Ave"};
inline constexpr std::array<std::string_view, 8> zips{"60614", "60657", "60613", "60622",
                                                      "60640", "60647", "60618", "60625"};

// `text` with each `{slot}` filled from `r`.
inline std::string fill(std::string_view text, std::uint64_t r) {
  std::string out;
  out.reserve(text.size() + 16);
  std::uint64_t salt = 0;
  while (!text.empty()) {
    const std::size_t open = text.find('{');
    if (open == std::string_view::npos) {
      out += text;
      break;
    }
    out += text.substr(0, open);
    const std::size_t close = text.find('}', open);
    const std::string_view slot = text.substr(open + 1, close - open - 1);
    text.remove_prefix(close + 1);
    const std::uint64_t v = mix(r + ++salt);
    if (slot == "day") {
      out += days[v % days.size()];
    } else if (slot == "time") {
      out += times[v % times.size()];
    } else if (slot == "street") {
      out += streets[v % streets.size()];
    } else if (slot == "min") {
      out += std::to_string(5 + v % 40);
    } else if (slot == "code") {
      out += std::to_string(1000 + v % 9000);
    } else if (slot == "n") {
      out += std::to_string(10000 + v % 90000);
    } else if (slot == "amount") {
      out += std::to_string(89 + v % 900) + "." + std::to_string(10 + v % 90);
    } else if (slot == "temp") {
      out += std::to_string(50 + v % 12);
    } else {
      throw std::logic_error("unknown slot {" + std::string(slot) + "}");
    }
  }
  return out;
}

inline std::string hex16(std::uint64_t v) {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(v));
  return std::string(out, 16);
}

}  // namespace inbound_detail

/// A random 64-bit seed (distinct MessageSids between runs).
inline std::uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

/// `n` random bytes as lowercase hex.
inline std::string random_hex(std::size_t bytes) {
  std::random_device rd;
  std::string out;
  char two[3];
  for (std::size_t i = 0; i < bytes; ++i) {
    std::snprintf(two, sizeof two, "%02x", static_cast<unsigned>(rd() & 0xff));
    out += two;
  }
  return out;
}

/// The MessageSid of request `i`: "SM" + 32 hex, distinct for distinct `i`
/// (its low half is a bijection of seed + i).
inline std::string inbound_message_sid(std::uint64_t seed, std::uint64_t i) {
  using inbound_detail::mix;
  const std::uint64_t low = mix(seed + i);
  return "SM" + inbound_detail::hex16(mix(low ^ ~seed)) + inbound_detail::hex16(low);
}

/// What building the requests found.
struct inbound_stats {
  double mean_request_bytes = 0;
  double mean_body_chars = 0;  // bytes of the Body field
  std::size_t two_segment_bodies = 0;
  std::size_t ucs2_bodies = 0;
};

/// Appends `n` signed inbound webhooks to `out`. Checks as it goes that every
/// From number parses as a possible number and that no Body is a compliance
/// keyword (STOP, START, HELP, ...); throws otherwise.
inline inbound_stats build_inbound_requests(const inbound_settings& s, std::size_t n,
                                            request_set& out) {
  using namespace inbound_detail;
  if (s.customers == 0 || s.customers > 10000)
    throw std::invalid_argument("customers must be 1..10000");
  std::vector<std::string> from(s.customers);
  for (std::size_t c = 0; c < s.customers; ++c) {
    char number[32];
    std::snprintf(number, sizeof number, "+1312555%04zu", c % 10000);
    auto parsed = domain::parse_phone(number);
    if (!parsed || parsed->e164() != number)
      throw std::runtime_error(std::string("customer number ") + number +
                               " is not a possible E.164 number: " + parsed.error().message);
    from[c] = number;
  }
  const std::string url = s.public_url + "/sms/webhook";
  inbound_stats stats;
  out.reserve(out.size() + n, out.bytes() + n * 1100);
  double body_chars = 0;
  std::string raw;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t r = mix(s.seed ^ mix(i));
    const std::size_t customer = static_cast<std::size_t>(mix(r) % s.customers);
    const std::string sid = inbound_message_sid(s.seed, i);
    const std::string body = fill(templates[r % templates.size()], r >> 8);
    if (domain::classify_keyword(body) != domain::compliance_keyword::none)
      throw std::logic_error("a benchmark body is a compliance keyword: " + body);
    const auto segments = domain::count_segments(body);
    if (segments.segments > 1) ++stats.two_segment_bodies;
    if (segments.encoding == domain::sms_encoding::ucs2) ++stats.ucs2_bodies;
    body_chars += static_cast<double>(body.size());

    // The fields of an inbound SMS in the order Twilio posts them (no
    // MessagingServiceSid: the number is not in a messaging service).
    const twilio::form_fields fields{
        {"ToCountry", "US"},
        {"ToState", ""},
        {"SmsMessageSid", sid},
        {"NumMedia", "0"},
        {"ToCity", ""},
        {"FromZip", std::string(zips[customer % zips.size()])},
        {"SmsSid", sid},
        {"FromState", "IL"},
        {"SmsStatus", "received"},
        {"FromCity", "CHICAGO"},
        {"Body", body},
        {"FromCountry", "US"},
        {"To", s.to},
        {"ToZip", ""},
        {"NumSegments", std::to_string(segments.segments)},
        {"MessageSid", sid},
        {"AccountSid", s.account_sid},
        {"From", from[customer]},
        {"ApiVersion", "2010-04-01"},
    };
    const std::string form = twilio::encode_form(fields);
    const std::string signature = twilio::compute_signature(s.auth_token, url, fields);
    raw.clear();
    raw += "POST /sms/webhook HTTP/1.1\r\nHost: ";
    raw += s.host_header;
    raw +=
        "\r\nUser-Agent: TwilioProxy/1.1\r\nAccept: */*\r\nCache-Control: max-age=259200\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nX-Home-Region: us1\r\n"
        "X-Twilio-Signature: ";
    raw += signature;
    raw += "\r\nContent-Length: ";
    raw += std::to_string(form.size());
    raw += "\r\n\r\n";
    raw += form;
    out.add(raw);
  }
  if (n > 0) {
    stats.mean_request_bytes = static_cast<double>(out.bytes()) / static_cast<double>(out.size());
    stats.mean_body_chars = body_chars / static_cast<double>(n);
  }
  return stats;
}

}  // namespace fl::bench
