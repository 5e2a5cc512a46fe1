#include "http/twilio_endpoints.hpp"

#include <charconv>

#include "domain/message_status.hpp"
#include "domain/phone_number.hpp"
#include "domain/ticket_replies.hpp"
#include "twilio/form.hpp"
#include "twilio/signature.hpp"

namespace fl::http {

namespace {

constexpr std::string_view empty_twiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

struct verified_form {
  twilio::form_fields fields;
  domain::tenant_directory::tenant_ptr tenant;
  std::optional<std::string> our_number;  // E.164, when it parsed
};

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string text(const twilio::form_fields& f, std::string_view name) {
  auto v = twilio::first(f, name);
  return v ? std::string(*v) : std::string();
}

// Finds the tenant owning `our_number` (or the Messaging Service) and checks
// the signature with its auth token. Answers the error itself and returns
// nullopt when the request must go no further.
std::optional<verified_form> verify(const twilio_endpoint_deps& deps, const request_view& req,
                                    twilio::form_fields fields, std::string_view number_field,
                                    const respond_fn& respond, std::string_view kind) {
  auto refuse = [&](int status, std::string_view code, std::string_view message) {
    if (deps.count) deps.count(kind, code);
    respond(error_answer(status, code, message));
    return std::nullopt;
  };
  std::string number = text(fields, number_field);
  domain::tenant_directory::tenant_ptr tenant;
  std::optional<std::string> our_number;
  if (auto parsed = domain::parse_phone(number)) {
    our_number = parsed->e164();
    tenant = deps.tenants->by_number(*our_number);
  }
  if (!tenant)
    if (auto service = twilio::first(fields, "MessagingServiceSid"))
      tenant = deps.tenants->by_messaging_service(*service);
  if (!tenant)
    return refuse(404, "unknown_number",
                  std::string(number_field) + " is not a number of any tenant");

  const secret* token = tenant->twilio_auth_token ? &*tenant->twilio_auth_token
                        : deps.default_auth_token ? &*deps.default_auth_token
                                                  : nullptr;
  auto signature = req.header("X-Twilio-Signature").value_or("");
  if (!token)
    return refuse(403, "signature_unverifiable",
                  "no Twilio auth token is configured for this number");
  if (!twilio::validate_signature(*token, signature, deps.public_url + req.target, fields))
    return refuse(403, "invalid_signature", "X-Twilio-Signature does not match this request");
  if (tenant->twilio_account_sid && text(fields, "AccountSid") != *tenant->twilio_account_sid)
    return refuse(403, "wrong_account", "AccountSid is not this tenant's Twilio account");
  return verified_form{std::move(fields), std::move(tenant), std::move(our_number)};
}

void reply_after(actors::command_result result, const respond_fn& respond, answer ok,
                 const twilio_endpoint_deps& deps, std::string_view kind) {
  if (result) {
    if (deps.count) deps.count(kind, result->duplicate ? "duplicate" : "stored");
    respond(std::move(ok));
    return;
  }
  const auto& f = result.error();
  if (deps.count) deps.count(kind, to_string(f.code));
  if (f.code == actors::command_errc::rejected) {
    respond(error_answer(400, "rejected", f.message));
    return;
  }
  // Twilio retries a webhook that failed: nothing is lost by a 503.
  respond(error_answer(503, to_string(f.code), f.message));
}

answer twiml_ok() {
  return answer{200, "text/xml", std::string(empty_twiml)};
}

// STOP, or START after a STOP: the conversation's business alone.
bool changed_consent(const std::vector<events::event>& recorded) {
  for (const auto& e : recorded)
    if (std::holds_alternative<events::opted_out>(e) || std::holds_alternative<events::opted_in>(e))
      return true;
  return false;
}

// The conversation already texted back (a HELP, a STOP confirmation).
bool answered(const std::vector<events::event>& recorded) {
  for (const auto& e : recorded)
    if (std::holds_alternative<events::sms_queued>(e)) return true;
  return false;
}

void to_ticket_session(const twilio_endpoint_deps& deps, actors::contractor_text text,
                       const respond_fn& respond) {
  deps.tickets->text(std::move(text), [respond, &deps](actors::ticket_text_result r) {
    if (!r) {
      if (deps.count) deps.count("inbound", to_string(r.error().code));
      // Twilio retries a webhook that failed; the session knows the sid.
      respond(error_answer(503, to_string(r.error().code), r.error().message));
      return;
    }
    if (deps.count) deps.count("inbound", r->duplicate ? "duplicate" : "ticket");
    respond(twiml_ok());
  });
}

struct unregistered_sender {
  std::string tenant;
  std::string phone;
  std::string company;
};

void answer_stranger(const twilio_endpoint_deps& deps, unregistered_sender who,
                     const respond_fn& respond) {
  domain::send_sms send;
  send.body = domain::replies::not_registered(who.company);
  send.trigger = "reply";
  // Once per number, ever: a stranger texting again (or an auto-responder
  // answering our answer) gets nothing more.
  send.external_id = "not-registered:" + who.phone;
  deps.runtime->submit(actors::conversation_key(who.tenant, who.phone), std::move(send),
                       [respond, &deps](actors::command_result r) {
                         // The inbound text is durable whatever became of
                         // the answer: an opted-out stranger gets none.
                         bool refused = !r && r.error().code == actors::command_errc::rejected;
                         if (!refused)
                           return reply_after(std::move(r), respond, twiml_ok(), deps, "inbound");
                         if (deps.count) deps.count("inbound", "stored");
                         respond(twiml_ok());
                       });
}

void status_callback(const twilio_endpoint_deps& deps, const request_view& req,
                     twilio::form_fields fields, respond_fn respond) {
  for (auto name : {"MessageSid", "MessageStatus", "From", "To"})
    if (text(fields, name).empty()) {
      if (deps.count) deps.count("status", "missing_field");
      respond(error_answer(400, "missing_field", std::string(name) + " is required"));
      return;
    }
  auto status = text(fields, "MessageStatus");
  if (!domain::parse_message_status(status)) {
    respond(error_answer(400, "invalid_field",
                         "MessageStatus \"" + status + "\" is not a Twilio status"));
    return;
  }
  std::optional<std::int64_t> error_code;
  if (auto code = twilio::first(fields, "ErrorCode"); code && !code->empty()) {
    error_code = parse_int(*code);
    if (!error_code) {
      respond(error_answer(400, "invalid_field", "ErrorCode must be a number"));
      return;
    }
  }
  auto verified = verify(deps, req, std::move(fields), "From", respond, "status");
  if (!verified) return;
  auto to = domain::parse_phone(text(verified->fields, "To"), verified->tenant->region);
  if (!to) {
    respond(error_answer(400, "invalid_field", "To: " + to.error().message));
    return;
  }
  domain::record_status cmd{text(verified->fields, "MessageSid"), status, error_code};
  deps.runtime->submit(
      actors::conversation_key(verified->tenant->id, to->e164()), std::move(cmd),
      [respond, &deps](actors::command_result r) {
        reply_after(std::move(r), respond, answer{204, "text/plain", ""}, deps, "status");
      });
}

}  // namespace

void handle_status_callback(const twilio_endpoint_deps& deps, const request_view& req,
                            respond_fn respond) {
  auto fields = twilio::parse_form(req.body);
  if (!fields) {
    respond(error_answer(400, "malformed_form", fields.error().message));
    return;
  }
  status_callback(deps, req, std::move(*fields), std::move(respond));
}

void handle_inbound_webhook(const twilio_endpoint_deps& deps, const request_view& req,
                            respond_fn respond) {
  auto parsed = twilio::parse_form(req.body);
  if (!parsed) {
    if (deps.count) deps.count("inbound", "malformed_form");
    respond(error_answer(400, "malformed_form", parsed.error().message));
    return;
  }
  auto& fields = *parsed;
  if (twilio::first(fields, "MessageStatus") && !twilio::first(fields, "Body")) {
    status_callback(deps, req, std::move(fields), std::move(respond));
    return;
  }
  for (auto name : {"MessageSid", "From", "To"})
    if (text(fields, name).empty()) {
      if (deps.count) deps.count("inbound", "missing_field");
      respond(error_answer(400, "missing_field", std::string(name) + " is required"));
      return;
    }
  std::int64_t num_media = 0;
  if (auto n = twilio::first(fields, "NumMedia"); n && !n->empty()) {
    auto v = parse_int(*n);
    if (!v || *v < 0 || *v > 10) {
      respond(error_answer(400, "invalid_field", "NumMedia must be 0..10"));
      return;
    }
    num_media = *v;
  }
  events::sms_received sms;
  for (std::int64_t i = 0; i < num_media; ++i) {
    auto url = text(fields, "MediaUrl" + std::to_string(i));
    if (url.empty()) {
      respond(error_answer(400, "missing_field",
                           "MediaUrl" + std::to_string(i) + " is required by NumMedia"));
      return;
    }
    sms.media.push_back({url, text(fields, "MediaContentType" + std::to_string(i))});
  }
  auto verified = verify(deps, req, std::move(fields), "To", respond, "inbound");
  if (!verified) return;
  const auto& f = verified->fields;
  const auto& tenant = *verified->tenant;
  auto from = domain::parse_phone(text(f, "From"), tenant.region);
  if (!from) {
    respond(error_answer(400, "invalid_field", "From: " + from.error().message));
    return;
  }
  sms.message_sid = text(f, "MessageSid");
  sms.account_sid = text(f, "AccountSid");
  if (auto service = twilio::first(f, "MessagingServiceSid"); service && !service->empty())
    sms.messaging_service_sid = std::string(*service);
  sms.from = from->e164();
  sms.to = verified->our_number.value_or(tenant.default_sender());
  sms.body = text(f, "Body");
  sender_identity who{std::nullopt, true};
  if (deps.identify) {
    auto found = deps.identify(tenant.id, sms.from);
    if (!found) {
      if (deps.count) deps.count("inbound", "unavailable");
      respond(error_answer(503, "unavailable", "the directory cannot be read: " + found.error()));
      return;
    }
    who = std::move(*found);
  }
  bool to_session = who.contractor_id && deps.tickets;
  auto text = to_session ? std::optional<actors::contractor_text>(actors::contractor_text{
                               tenant.id, *who.contractor_id, sms.from, sms.message_sid, sms.body})
                         : std::nullopt;
  std::optional<unregistered_sender> stranger;
  if (!who.registered) stranger = unregistered_sender{tenant.id, sms.from, tenant.name};
  auto key = actors::conversation_key(tenant.id, sms.from);
  deps.runtime->submit(key, domain::receive_sms{std::move(sms), to_session},
                       [respond, &deps, text = std::move(text),
                        stranger = std::move(stranger)](actors::command_result r) mutable {
                         if (r && text && !changed_consent(r->events))
                           return to_ticket_session(deps, std::move(*text), respond);
                         if (r && stranger && !answered(r->events))
                           return answer_stranger(deps, std::move(*stranger), respond);
                         reply_after(std::move(r), respond, twiml_ok(), deps, "inbound");
                       });
}

}  // namespace fl::http
