#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "base/secret.hpp"
#include "base/timestamp.hpp"

namespace fl::twilio {

/// Where and how patiently `rest_client` talks to Twilio's REST API.
struct rest_options {
  /// Scheme, host and optional port of the API, without a trailing slash.
  /// Default: Twilio's production API.
  std::string api_base = "https://api.twilio.com";
  /// Longest wait for the TCP (and TLS) connection. Default: 5 s.
  std::chrono::milliseconds connect_timeout{5000};
  /// Longest wait for a whole request, connection included. Default: 15 s.
  std::chrono::milliseconds request_timeout{15000};
  /// Requests on the wire at once; later ones wait their turn in order.
  /// Default: 64.
  std::size_t max_in_flight = 64;
  /// Largest answer body read; a larger answer fails its request (a hostile or
  /// broken server cannot make the client buffer without bound).
  /// Default: 4 MiB.
  std::size_t max_response_bytes = 4 * 1024 * 1024;
  /// Whether a create may go out on a kept-alive connection. libcurl silently
  /// resends a request whose reused connection closes before any answer byte,
  /// which for a create that Twilio had already processed is a duplicate text;
  /// so creates use a fresh connection each (one more TCP + TLS handshake).
  /// Lists always reuse connections. Default: false.
  bool reuse_connections_for_create = false;
};

/// A Twilio account's REST credentials. The token is a `secret`: it is never
/// logged nor put into an error message.
struct credentials {
  std::string account_sid;
  fl::secret auth_token;
};

/// One outbound text for Twilio's Messages resource. Empty strings are not
/// sent; `messaging_service_sid`, when set, is sent instead of `from`.
struct create_message {
  credentials creds;
  std::string to;
  std::string from;
  std::optional<std::string> messaging_service_sid;
  std::string body;
  std::string status_callback;
};

/// What became of a create.
struct create_result {
  enum class kind {
    /// Twilio answered 2xx with a message sid: the message exists.
    created,
    /// Twilio answered a non-2xx status: it refused the message.
    http_error,
    /// Nothing of the request can have reached Twilio (DNS, refused or
    /// timed-out connection, TLS handshake): safe to send again.
    no_response,
    /// The request may have reached Twilio but no usable answer came back: a
    /// timeout or dropped connection after sending began, or a 2xx answer
    /// that could not be read. Twilio may have created the message:
    /// reconcile with `rest_client::list` before sending again.
    timed_out_after_send,
  };
  kind outcome;
  /// The HTTP status, or 0 when no status line was received.
  int http_status = 0;
  /// The message sid (`SM…`) and status (`queued`, `accepted`, …) when created.
  std::string sid;
  std::string status;
  /// Twilio's error code (e.g. 21211, 21610) when its error body had one.
  std::optional<std::int64_t> error_code;
  /// Twilio's error message, or what went wrong; never holds a credential.
  std::string error_message;
  /// From a `Retry-After` header (delta-seconds or HTTP date), when present.
  std::optional<std::chrono::milliseconds> retry_after;
};

std::string_view to_string(create_result::kind k);

/// Which messages to list: those To → From (either filter left out when
/// empty). `sent_after` is not sent as Twilio's `DateSent>` filter (a queued
/// message has no date_sent yet); the caller compares `date_created` with it.
struct message_lookup {
  credentials creds;
  std::string to;
  std::string from;
  fl::timestamp sent_after;
};

/// One message of a list answer. Fields Twilio gave as null are empty.
struct found_message {
  std::string sid;
  std::string status;
  std::string to;
  std::string from;
  std::string body;
  std::optional<fl::timestamp> date_created;
};

/// Twilio's Messages API over libcurl, never blocking the caller.
///
/// The client owns one thread running a libcurl multi handle; `create` and
/// `list` queue their request, wake that thread and return at once. Every
/// callback runs on the client's thread, exactly once per call, and must
/// neither block nor throw (it holds up every other request); it may call
/// `create`/`list` again. Both are thread-safe.
///
/// Destruction stops the thread and drops every queued or in-flight request
/// without calling its callback; once the destructor returns no callback runs.
/// Do not destroy the client from one of its own callbacks.
///
/// Credentials go to libcurl as HTTP Basic auth only; no log line or error
/// message holds the auth token.
class rest_client {
 public:
  explicit rest_client(rest_options options);
  ~rest_client();
  rest_client(const rest_client&) = delete;
  rest_client& operator=(const rest_client&) = delete;

  /// POST `{api_base}/2010-04-01/Accounts/{AccountSid}/Messages.json` with
  /// To, From or MessagingServiceSid, Body and StatusCallback form-encoded.
  void create(create_message message, std::function<void(create_result)> done);

  /// GET `{api_base}/2010-04-01/Accounts/{AccountSid}/Messages.json` with
  /// `To`, `From` and `PageSize` (100); the first
  /// page only, newest first as Twilio lists them. Errors (no answer, a
  /// non-2xx status, an unreadable body) come back as a message.
  void list(message_lookup lookup,
            std::function<void(fl::expected<std::vector<found_message>, std::string>)> done);

  /// Runs `task` on the client's thread, like a callback (same rules): for
  /// answering a caller later without a thread of one's own. Dropped if the
  /// client is destroyed first.
  void post(std::function<void()> task);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The UTC calendar day of `t` as `YYYY-MM-DD`, the form of Twilio's date
/// filters. Pure.
std::string format_utc_date(fl::timestamp t);

}  // namespace fl::twilio
