#pragma once

// The text of one customer notification: which template it is written with
// and what it says once filled in, or why it will not be texted.

#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "domain/job_state.hpp"
#include "domain/notification_variables.hpp"
#include "domain/template_library.hpp"

namespace fl::domain {

/// Why a pending notification has no text: the `notification_skipped`
/// reason recorded for it.
struct notification_text_refusal {
  std::string reason;   // "template_disabled", "template_error"
  std::string message;  // for people: which template, which variable
};

/// The text of `pending` about `subject`: written with the tenant's
/// template for its trigger (`template_for`: the first enabled one); with
/// the built-in default when the tenant has none for that trigger at all
/// (never seeded, or all deleted); refused as "template_disabled" when it
/// has some but all are disabled (the tenant switched that text off). A
/// template that cannot be filled (a value missing for a variable it uses)
/// is "template_error": the text never goes out with a hole in it.
expected<std::string, notification_text_refusal> notification_text(
    const pending_notification& pending, const notification_subject& subject,
    const template_library_state& templates);

/// The external id a notification's text is queued with in the customer's
/// conversation, so that a retry after a crash never texts twice:
/// "notif:<job>:<trigger>:<appointment time, µs since the epoch>".
std::string notification_external_id(std::string_view job_id, const pending_notification& pending);

}  // namespace fl::domain
