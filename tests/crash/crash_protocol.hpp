#pragma once

// What the crash appender (a child process) tells the crash test (its parent)
// on its stdout, and the events it appends, generated from short tokens so
// that a line can name the exact content it acknowledged.
//
// Lines, one per acknowledged append, each written with one write(2) of less
// than PIPE_BUF bytes so that lines of different threads never interleave:
//   ready <last_position>                  the store is open
//   ack <first> <last> <stream_version> <tenant> <stream> <external_id|-> <k:token>,...
//   dup <first> <tenant> <external_id>     an external id seen before; nothing written
// Tenants, streams, external ids and tokens contain no whitespace or comma; a
// fingerprint is its kind letter, ':', then its token.

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "events/event.hpp"

namespace fl::crash {

/// One event of an append: its kind letter (r, m, q, s, c, f) and the unique
/// token its content is generated from.
struct fingerprint {
  char kind = 'r';
  std::string token;
  friend bool operator==(const fingerprint&, const fingerprint&) = default;
};

/// The event a fingerprint stands for; the same on both sides of the pipe.
/// Bodies carry quotes, a backslash and non-ASCII text so that a lossy
/// encoding shows as a content mismatch.
inline events::event make_event(const fingerprint& f) {
  const std::string& t = f.token;
  switch (f.kind) {
    case 'm': {
      events::sms_received e;
      e.message_sid = "MM" + t;
      e.account_sid = "AC0123456789abcdef0123456789abcdef";
      e.messaging_service_sid = "MG" + t;
      e.from = "+15551230001";
      e.to = "+15557650002";
      e.body = "Photos of the \"north lot\" " + t;
      e.media = {{"https://api.twilio.com/media/" + t + "/0", "image/jpeg"},
                 {"https://api.twilio.com/media/" + t + "/1", "image/png"}};
      return e;
    }
    case 'q': {
      events::sms_queued e;
      e.message_id = "msg_" + t;
      e.from = "+15557650002";
      e.to = "+15551230001";
      e.body = "Hi Dana \xe2\x80\x94 Mike is on his way \xe2\x9d\x84 (" + t + ")";
      e.trigger = "reply";
      e.segments = 2;
      e.encoding = "ucs2";
      e.customer_id = "cus_" + t;
      e.job_id = "job_" + t;
      return e;
    }
    case 's':
      return events::sms_sent{"msg_" + t, "SM" + t};
    case 'c':
      return events::sms_status_changed{"SM" + t, "delivered", std::nullopt};
    case 'f':
      return events::sms_failed{"msg_" + t, 30007, "Carrier violation for " + t, true};
    case 'r':
    default: {
      events::sms_received e;
      e.message_sid = "SM" + t;
      e.account_sid = "AC0123456789abcdef0123456789abcdef";
      e.from = "+15551230001";
      e.to = "+15557650002";
      e.body = "Skid steer, \"5 bags\", icy \\ north lot \xe2\x98\x83 " + t;
      return e;
    }
  }
}

/// One line of the appender's report.
struct ack_line {
  enum class kind_t { ready, appended, duplicate };
  kind_t kind = kind_t::appended;
  std::uint64_t first = 0;  // ready: the store's last position at open
  std::uint64_t last = 0;
  std::uint64_t stream_version = 0;
  std::string tenant;
  std::string stream;
  std::optional<std::string> external_id;
  std::vector<fingerprint> events;
  friend bool operator==(const ack_line&, const ack_line&) = default;
};

/// The line for `a`, ending in '\n'.
inline std::string format_line(const ack_line& a) {
  std::string out;
  switch (a.kind) {
    case ack_line::kind_t::ready:
      return "ready " + std::to_string(a.first) + "\n";
    case ack_line::kind_t::duplicate:
      return "dup " + std::to_string(a.first) + " " + a.tenant + " " + a.external_id.value_or("-") +
             "\n";
    case ack_line::kind_t::appended:
      out = "ack " + std::to_string(a.first) + " " + std::to_string(a.last) + " " +
            std::to_string(a.stream_version) + " " + a.tenant + " " + a.stream + " " +
            a.external_id.value_or("-") + " ";
      for (std::size_t i = 0; i < a.events.size(); ++i) {
        if (i > 0) out += ',';
        out += a.events[i].kind;
        out += ':';
        out += a.events[i].token;
      }
      out += '\n';
      return out;
  }
  return out;
}

/// Parses one line (without its '\n'); nullopt if it is not a whole line of
/// the protocol.
inline std::optional<ack_line> parse_line(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::string word;
  if (!(in >> word)) return std::nullopt;
  ack_line a;
  std::string extra;
  if (word == "ready") {
    a.kind = ack_line::kind_t::ready;
    if (!(in >> a.first) || (in >> extra)) return std::nullopt;
    return a;
  }
  std::string id;
  if (word == "dup") {
    a.kind = ack_line::kind_t::duplicate;
    if (!(in >> a.first >> a.tenant >> id) || (in >> extra)) return std::nullopt;
    a.external_id = id;
    return a;
  }
  if (word != "ack") return std::nullopt;
  std::string prints;
  if (!(in >> a.first >> a.last >> a.stream_version >> a.tenant >> a.stream >> id >> prints) ||
      (in >> extra))
    return std::nullopt;
  if (id != "-") a.external_id = id;
  std::string_view rest = prints;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view one = rest.substr(0, comma);
    if (one.size() < 3 || one[1] != ':') return std::nullopt;
    a.events.push_back({one[0], std::string(one.substr(2))});
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  if (a.events.empty()) return std::nullopt;
  return a;
}

/// Collects bytes read from the pipe and hands out complete lines; a line cut
/// short by the kill stays behind in `rest()`.
class line_buffer {
 public:
  void append(std::string_view bytes) { pending_.append(bytes); }

  /// The complete lines received so far (without '\n'), removed from the buffer.
  std::vector<std::string> take_lines() {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (auto nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n', start)) {
      lines.push_back(pending_.substr(start, nl - start));
      start = nl + 1;
    }
    pending_.erase(0, start);
    return lines;
  }

  /// Whether a complete line is waiting to be taken.
  bool has_line() const { return pending_.find('\n') != std::string::npos; }

  /// What is not taken yet: after `take_lines`, a line not (yet) ended.
  std::string_view rest() const { return pending_; }

 private:
  std::string pending_;
};

}  // namespace fl::crash
