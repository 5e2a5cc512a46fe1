#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "twilio/form.hpp"

namespace fl::testing {

/// One request the fake received, as it came.
struct recorded_request {
  std::string method;  ///< "POST", "GET", …
  std::string path;    ///< without the query
  std::string query;   ///< raw, without the `?`
  /// Header names lower-cased, in arrival order (Authorization included).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  twilio::form_fields form;          ///< the body parsed as a form (empty if it is not one)
  twilio::form_fields query_fields;  ///< the query parsed the same way

  /// The first header called `name` (lower-case), or "".
  std::string header(const std::string& name) const;
  /// The first form field called `name`, or "".
  std::string field(const std::string& name) const;
  bool has_field(const std::string& name) const;
  /// The first query parameter called `name`, or "".
  std::string query_field(const std::string& name) const;
};

/// What the fake does with the next request.
struct canned_response {
  enum class kind {
    /// Answer with `status`, `headers` and `body`; an empty body on a
    /// POST …/Messages.json means the default: create the message and answer
    /// 201 with Twilio's JSON for it.
    answer,
    /// Create the message as the default would (when `creates_message`), but
    /// answer only after `delay` (with `status`/`body`, or the default): the
    /// client's timeout fires first.
    hang,
    /// Create the message (when `creates_message`), then close the connection
    /// without a byte of answer.
    close_connection,
  };
  kind action = kind::answer;
  int status = 201;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0};
  bool creates_message = true;

  /// An answer with this status and body (as is, JSON or not).
  static canned_response with_body(int status, std::string body,
                                   std::vector<std::pair<std::string, std::string>> headers = {});
  /// Twilio's error shape `{code, message, more_info, status}`.
  static canned_response twilio_error(
      int status, std::int64_t code, std::string message,
      std::vector<std::pair<std::string, std::string>> headers = {});
  static canned_response hang_for(std::chrono::milliseconds delay, bool creates_message = true);
  static canned_response close(bool creates_message = true);
};

/// A message the fake holds: created through it, or added by a test.
struct fake_message {
  std::string sid;
  std::string account_sid;
  std::string to;
  std::string from;
  std::string messaging_service_sid;
  std::string body;
  std::string status = "queued";
  /// RFC 2822, as Twilio writes it.
  std::string date_created;
};

/// A fake of Twilio's Messages REST API on 127.0.0.1, on a port of its own.
///
/// Records every request; answers each from the script (`enqueue`) while it
/// lasts, then by default: POST …/Accounts/{sid}/Messages.json creates a
/// message (`SM` + 32 hex) and answers 201 with Twilio's JSON for it; GET
/// …/Messages.json lists the messages it holds, newest first, filtered by
/// `To` and `From`; anything else is a Twilio-shaped 404. It does not check
/// credentials. Thread-safe. Destruction stops the server (late answers of
/// hanging requests are dropped).
class fake_twilio {
 public:
  /// Starts listening; throws std::runtime_error if it cannot.
  fake_twilio();
  ~fake_twilio();
  fake_twilio(const fake_twilio&) = delete;
  fake_twilio& operator=(const fake_twilio&) = delete;

  std::uint16_t port() const;
  /// `http://127.0.0.1:<port>`, for rest_options::api_base.
  std::string base_url() const;

  /// Queues what to do with the next request (any method and path).
  void enqueue(canned_response response);
  /// Adds a message as if created earlier, for list requests to find.
  void add_message(fake_message message);

  std::vector<recorded_request> requests() const;
  std::size_t request_count() const;
  /// Waits until at least `n` requests arrived; false on timeout.
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;
  /// Every message held, oldest first.
  std::vector<fake_message> messages() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// `SM` + 32 random lower-case hex digits.
std::string random_message_sid();

}  // namespace fl::testing
