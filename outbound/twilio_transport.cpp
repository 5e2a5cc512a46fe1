#include "outbound/twilio_transport.hpp"

#include <utility>

#include "outbound/reconcile.hpp"

namespace fl::outbound {

namespace {

constexpr const char* no_credentials = "no Twilio credentials for this tenant";

class twilio_transport final : public transport {
 public:
  explicit twilio_transport(twilio::rest_options options) : client_(std::move(options)) {}

  void send(send_request request, std::function<void(send_result)> done) override {
    if (!request.creds || request.creds->account_sid.empty()) {
      client_.post([done = std::move(done)] {
        done(send_result{send_result::kind::permanent, {}, {}, no_credentials, {}, 0});
      });
      return;
    }
    twilio::create_message message{
        std::move(*request.creds), std::move(request.to),
        std::move(request.from),   std::move(request.messaging_service_sid),
        std::move(request.body),   std::move(request.status_callback)};
    client_.create(std::move(message), [done = std::move(done)](twilio::create_result result) {
      done(to_send_result(result));
    });
  }

  void find_sent(send_request request, std::function<void(lookup_result)> done) override {
    if (!request.creds || request.creds->account_sid.empty()) {
      client_.post([done = std::move(done)] {
        done(lookup_result{lookup_result::kind::failed, {}, {}, no_credentials});
      });
      return;
    }
    bool via_service = request.messaging_service_sid && !request.messaging_service_sid->empty();
    twilio::message_lookup lookup{*request.creds, request.to, via_service ? "" : request.from,
                                  request.queued_at - reconcile_clock_skew};
    client_.list(std::move(lookup),
                 [request = std::move(request), done = std::move(done)](
                     expected<std::vector<twilio::found_message>, std::string> listed) {
                   if (!listed) {
                     done(lookup_result{lookup_result::kind::failed, {}, {}, listed.error()});
                     return;
                   }
                   auto match = pick_sent(request, *listed);
                   if (!match) {
                     done(lookup_result{lookup_result::kind::not_found, {}, {}, {}});
                     return;
                   }
                   const auto& m = (*listed)[*match];
                   done(lookup_result{lookup_result::kind::found, m.sid, m.status, {}});
                 });
  }

  std::string_view name() const override { return "twilio"; }

 private:
  twilio::rest_client client_;
};

}  // namespace

send_result to_send_result(const twilio::create_result& result) {
  using k = twilio::create_result::kind;
  send_result out{};
  out.http_status = result.http_status;
  out.error_code = result.error_code;
  out.error_message = result.error_message;
  out.retry_after = result.retry_after;
  switch (result.outcome) {
    case k::created:
      out.outcome = send_result::kind::accepted;
      out.sid = result.sid;
      break;
    case k::http_error:
      out.outcome = result.http_status == 429 || result.http_status >= 500
                        ? send_result::kind::retryable
                        : send_result::kind::permanent;
      break;
    case k::no_response:
      out.outcome = send_result::kind::retryable;
      break;
    case k::timed_out_after_send:
      out.outcome = send_result::kind::unknown_outcome;
      break;
  }
  return out;
}

std::unique_ptr<transport> make_twilio_transport(twilio::rest_options options) {
  return std::make_unique<twilio_transport>(std::move(options));
}

}  // namespace fl::outbound
