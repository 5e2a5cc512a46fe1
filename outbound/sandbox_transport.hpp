#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "outbound/transport.hpp"

namespace fl::outbound {

/// Timing of the sandbox's simulated delivery.
struct sandbox_options {
  /// From acceptance to the simulated `sent` status. Default: 200 ms.
  std::chrono::milliseconds sent_after{200};
  /// From acceptance to the simulated `delivered` status (never before
  /// `sent`). Default: 1 s.
  std::chrono::milliseconds delivered_after{1000};
  /// How long accepted messages are remembered for `find_sent`.
  /// Default: 24 h.
  std::chrono::hours remember_for{24};
};

/// The transport of `FIELDLINE_SMS_TRANSPORT=sandbox` (api.md): every text is
/// accepted with a generated sid (`SM` + 32 random lower-case hex digits),
/// then `on_status` receives `sent` and later `delivered` for it, as Twilio's
/// status callbacks would; nothing leaves the machine.
///
/// One timer thread of its own runs `done`, `on_status` and the `find_sent`
/// answers, in due order. `find_sent` tells the truth about what this
/// instance accepted (with its current simulated status). Destruction stops
/// the thread; simulated statuses not yet due are dropped. Do not destroy it
/// from one of its own callbacks.
std::unique_ptr<transport> make_sandbox_transport(std::function<void(status_report)> on_status,
                                                  sandbox_options options = {});

}  // namespace fl::outbound
