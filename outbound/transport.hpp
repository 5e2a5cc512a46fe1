#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/timestamp.hpp"
#include "twilio/rest_client.hpp"

namespace fl::outbound {

/// One outbound text, as the outbox hands it to a transport once its
/// `sms_queued` event is durable.
struct send_request {
  std::string tenant_id;
  std::string message_id;  ///< fieldline's own id of the message
  std::string from;
  std::optional<std::string> messaging_service_sid;  ///< sent instead of `from` when set
  std::string to;
  std::string body;
  std::string status_callback;  ///< URL for Twilio's status callbacks; empty: none
  fl::timestamp queued_at;      ///< when the message was queued (bounds reconciliation)
  std::optional<twilio::credentials> creds;  ///< the tenant's Twilio account
};

/// What became of a send.
struct send_result {
  enum class kind {
    accepted,         ///< the provider took the message: `sid` names it
    retryable,        ///< refused for now or never arrived: send again (after `retry_after`)
    permanent,        ///< refused for good (`error_code`): record the failure
    unknown_outcome,  ///< may have been created: `find_sent` before sending again
  };
  kind outcome;
  std::string sid;
  std::optional<std::int64_t> error_code;
  std::string error_message;
  std::optional<std::chrono::milliseconds> retry_after;
  int http_status = 0;
};

/// The answer of the reconcile step.
struct lookup_result {
  enum class kind {
    found,      ///< a matching message exists: `sid`, `status`
    not_found,  ///< none: sending again is safe
    failed,     ///< the provider could not be asked: try the lookup later
  };
  kind outcome;
  std::string sid;
  std::string status;
  std::string error_message;
};

/// A delivery status the transport learned by itself (the sandbox's
/// simulated callbacks), shaped like Twilio's status callback.
struct status_report {
  std::string tenant_id;
  std::string from;
  std::string to;
  std::string sid;
  std::string status;
  std::optional<std::int64_t> error_code;
};

std::string_view to_string(send_result::kind k);
std::string_view to_string(lookup_result::kind k);

/// Where outbound texts go: Twilio's REST API or the sandbox.
///
/// `send` and `find_sent` return at once; `done` runs later, exactly once, on
/// a thread of the transport (never inside the call itself), and must not
/// block. A transport destroyed with work pending drops it: no callback runs
/// once its destructor has returned. Both calls are thread-safe.
class transport {
 public:
  virtual ~transport() = default;

  /// Hands one text to the provider.
  virtual void send(send_request request, std::function<void(send_result)> done) = 0;

  /// The reconcile step after an unknown outcome: was a message with this
  /// To, From (or messaging service) and exactly this Body created at or
  /// after `queued_at` - 1 minute (clock skew)? Of several, `pick_sent`
  /// (reconcile.hpp) chooses.
  virtual void find_sent(send_request request, std::function<void(lookup_result)> done) = 0;

  /// "twilio" or "sandbox".
  virtual std::string_view name() const = 0;
};

}  // namespace fl::outbound
