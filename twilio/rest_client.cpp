// Twilio's Messages API over one libcurl multi handle on one thread.

#include "twilio/rest_client.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "twilio/form.hpp"

#include "net/curl_exchange.hpp"
#include "net/http_date.hpp"

namespace fl::twilio {

namespace {

using list_result = expected<std::vector<found_message>, std::string>;

constexpr std::size_t excerpt_bytes = 200;
constexpr std::size_t message_bytes = 500;
constexpr int list_page_size = 100;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// RFC 3986 percent-encoding of one path segment.
std::string encode_segment(std::string_view s) {
  // encode_form escapes exactly like a path segment wants; drop its "=".
  std::string encoded = encode_form({{std::string(s), ""}});
  encoded.pop_back();
  return encoded;
}

/// At most `max` bytes of valid UTF-8 `s`, cut on a character boundary.
std::string bounded(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  s += "...";
  return s;
}

/// The start of an arbitrary answer body as printable ASCII, for an error
/// message (which may end up in an event, so it must be valid UTF-8).
std::string excerpt(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, excerpt_bytes)) {
    auto b = static_cast<unsigned char>(c);
    out += (b >= 0x20 && b < 0x7F) ? c : '?';
  }
  if (body.size() > excerpt_bytes) out += "...";
  return out;
}

/// Removes every occurrence of the auth token from a message: the one place
/// a server's echo (or anything else) could carry it into an error string.
std::string scrub(std::string message, const secret& token) {
  const std::string& t = token.reveal();
  if (t.empty()) return message;
  for (auto pos = message.find(t); pos != std::string::npos; pos = message.find(t, pos))
    message.replace(pos, t.size(), "[redacted]");
  return message;
}

std::string string_field(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

bool plausible_sid(std::string_view sid) {
  return sid.size() >= 2 && sid.size() <= 64 && std::all_of(sid.begin(), sid.end(), [](char c) {
           return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
         });
}

/// Twilio's error body `{code, message, more_info, status}`, as far as it
/// can be read; the message falls back to an excerpt of the body.
void read_twilio_error(std::string_view body, create_result& out) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    auto code = j.find("code");
    if (code != j.end() && code->is_number_integer()) out.error_code = code->get<std::int64_t>();
    if (code != j.end() && code->is_string()) {
      auto text = code->get<std::string>();
      if (!text.empty() && text.size() < 12 && std::all_of(text.begin(), text.end(), is_digit))
        out.error_code = std::stoll(text);
    }
    auto message = string_field(j, "message");
    if (message.empty()) {
      // Not Twilio's shape: an RFC 7807 problem, as a proxy or a mock server
      // (Prism lists its request violations under "validation") answers.
      message = string_field(j, "title");
      auto violations = j.find("validation");
      if (violations != j.end() && violations->is_array())
        for (const auto& v : *violations)
          if (v.is_object()) message += "; " + string_field(v, "message");
    }
    if (!message.empty()) {
      out.error_message = bounded(std::move(message), message_bytes);
      return;
    }
  }
  out.error_message = body.empty()
                          ? "HTTP " + std::to_string(out.http_status) + ", empty body"
                          : "HTTP " + std::to_string(out.http_status) + ": " + excerpt(body);
}

/// One request: what to send, what came back, whom to tell.
struct transfer : net::curl_exchange {
  bool is_create = true;
  std::string url;
  std::string post_body;
  std::string username;
  secret password{""};
  std::function<void(create_result)> on_create;
  std::function<void(list_result)> on_list;
};

/// Whether any byte of the request may have left this machine. libcurl
/// records the pre-transfer time (connection and TLS set up, the request
/// about to be written) and the request size (bytes of request headers
/// written) only once it starts sending; the errors named first can only
/// happen before that. Unsure means yes: the caller then reconciles, which
/// costs a list request, while a wrong "no" could send a text twice.
bool may_have_been_sent(CURL* easy, CURLcode rc) {
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return false;
    default:
      break;
  }
  curl_off_t pretransfer_us = 0;
  long request_bytes = 0;
  curl_off_t uploaded = 0;
  if (curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us) != CURLE_OK)
    return true;
  if (curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &request_bytes) != CURLE_OK) return true;
  if (curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &uploaded) != CURLE_OK) return true;
  return pretransfer_us > 0 || request_bytes > 0 || uploaded > 0;
}

/// What went wrong on the wire, in words (libcurl's own error text, which
/// names host and port but never the credentials, passed to it separately).
std::string transport_error(const transfer& t, CURLcode rc) {
  if (t.too_large) return "answer body larger than " + std::to_string(t.max_response) + " bytes";
  if (t.error[0] != '\0') return std::string(t.error.data());
  return curl_easy_strerror(rc);
}

create_result finish_create(const transfer& t, CURLcode rc) {
  long status = 0;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
  create_result r{};
  r.http_status = static_cast<int>(status);
  r.retry_after = t.retry_after;
  bool success = status >= 200 && status < 300;
  if (success && rc == CURLE_OK) {
    auto j = nlohmann::json::parse(t.response, nullptr, false);
    std::string sid = j.is_object() ? string_field(j, "sid") : std::string();
    if (plausible_sid(sid)) {
      r.outcome = create_result::kind::created;
      r.sid = std::move(sid);
      r.status = bounded(string_field(j, "status"), 32);
      return r;
    }
    r.outcome = create_result::kind::timed_out_after_send;
    r.error_message = "Twilio answered " + std::to_string(status) +
                      (j.is_discarded()    ? " with a body that is not JSON: "
                       : !j.is_object()    ? " with JSON that is not an object: "
                       : j.contains("sid") ? " with an unusable sid: "
                                           : " without a message sid: ") +
                      excerpt(t.response);
    return r;
  }
  if (success) {
    r.outcome = create_result::kind::timed_out_after_send;
    r.error_message = "Twilio answered " + std::to_string(status) +
                      " but the answer could not be read: " + transport_error(t, rc);
    return r;
  }
  if (status > 0) {
    r.outcome = create_result::kind::http_error;
    read_twilio_error(t.response, r);
    if (rc != CURLE_OK) r.error_message += " (" + transport_error(t, rc) + ")";
    return r;
  }
  r.outcome = may_have_been_sent(t.easy, rc) ? create_result::kind::timed_out_after_send
                                             : create_result::kind::no_response;
  r.error_message = transport_error(t, rc);
  return r;
}

list_result parse_list(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return unexpected{"list answer is not JSON: " + excerpt(body)};
  if (!j.is_object()) return unexpected{"list answer is not a JSON object: " + excerpt(body)};
  auto messages = j.find("messages");
  if (messages == j.end() || !messages->is_array())
    return unexpected{"list answer has no messages array: " + excerpt(body)};
  std::vector<found_message> out;
  out.reserve(messages->size());
  for (const auto& m : *messages) {
    if (!m.is_object()) return unexpected{std::string("list answer holds a non-object message")};
    found_message f;
    f.sid = string_field(m, "sid");
    if (!plausible_sid(f.sid))
      return unexpected{"list answer holds a message without a usable sid: " + excerpt(m.dump())};
    f.status = string_field(m, "status");
    f.to = string_field(m, "to");
    f.from = string_field(m, "from");
    f.body = string_field(m, "body");
    auto created = string_field(m, "date_created");
    if (!created.empty()) f.date_created = net::parse_rfc2822(created);
    out.push_back(std::move(f));
  }
  return out;
}

list_result finish_list(const transfer& t, CURLcode rc) {
  long status = 0;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
  if (status == 0) return unexpected{"no answer from Twilio: " + transport_error(t, rc)};
  if (status < 200 || status >= 300) {
    create_result err{};
    err.http_status = static_cast<int>(status);
    read_twilio_error(t.response, err);
    std::string message = "Twilio answered " + std::to_string(status) + ": " + err.error_message;
    if (err.error_code) message += " (code " + std::to_string(*err.error_code) + ")";
    return unexpected{std::move(message)};
  }
  if (rc != CURLE_OK)
    return unexpected{"Twilio answered " + std::to_string(status) +
                      " but the answer could not be read: " + transport_error(t, rc)};
  return parse_list(t.response);
}

}  // namespace

std::string_view to_string(create_result::kind k) {
  switch (k) {
    case create_result::kind::created:
      return "created";
    case create_result::kind::http_error:
      return "http_error";
    case create_result::kind::no_response:
      return "no_response";
    case create_result::kind::timed_out_after_send:
      return "timed_out_after_send";
  }
  return "unknown";
}

struct rest_client::impl {
  explicit impl(rest_options o) : options(std::move(o)) {
    options.max_in_flight = std::max<std::size_t>(options.max_in_flight, 1);
    while (!options.api_base.empty() && options.api_base.back() == '/') options.api_base.pop_back();
    multi = curl_multi_init();
  }

  void submit_task(std::function<void()> task) {
    {
      std::lock_guard lock(mutex);
      tasks.push_back(std::move(task));
    }
    curl_multi_wakeup(multi);
  }

  void submit(std::unique_ptr<transfer> t) {
    {
      std::lock_guard lock(mutex);
      submitted.push_back(std::move(t));
    }
    curl_multi_wakeup(multi);
  }

  void run() {
    while (!stopping.load()) {
      std::vector<std::function<void()>> ready_tasks;
      {
        std::lock_guard lock(mutex);
        for (auto& t : submitted) waiting.push_back(std::move(t));
        submitted.clear();
        ready_tasks.swap(tasks);
      }
      for (auto& task : ready_tasks) {
        if (stopping.load()) break;
        task();
      }
      while (active.size() < options.max_in_flight && !waiting.empty() && !stopping.load()) {
        auto t = std::move(waiting.front());
        waiting.pop_front();
        start(std::move(t));
      }
      int running = 0;
      curl_multi_perform(multi, &running);
      collect_finished();
      if (stopping.load()) break;
      bool can_start = active.size() < options.max_in_flight && !waiting.empty();
      if (!can_start) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    // Dropped without their callbacks: the owner is going away.
    for (auto& [easy, t] : active) curl_multi_remove_handle(multi, easy);
    active.clear();
    waiting.clear();
  }

  void start(std::unique_ptr<transfer> t) {
    if (!t->open(t->url, t.get(),
                 {options.connect_timeout, options.request_timeout, options.max_response_bytes})) {
      finish(*t, CURLE_FAILED_INIT);
      return;
    }
    CURL* e = t->easy;
    curl_easy_setopt(e, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(e, CURLOPT_USERNAME, t->username.c_str());
    curl_easy_setopt(e, CURLOPT_PASSWORD, t->password.reveal().c_str());
    t->add_header("Accept: application/json");
    if (t->is_create) {
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->post_body.c_str());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(t->post_body.size()));
      if (!options.reuse_connections_for_create) {
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
      }
    } else {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    }
    if (curl_multi_add_handle(multi, e) != CURLM_OK) {
      finish(*t, CURLE_FAILED_INIT);
      return;
    }
    active.emplace(e, std::move(t));
  }

  void collect_finished() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      auto it = active.find(msg->easy_handle);
      if (it == active.end()) continue;
      CURLcode rc = msg->data.result;
      auto t = std::move(it->second);
      active.erase(it);
      curl_multi_remove_handle(multi, t->easy);
      if (stopping.load()) continue;  // the destructor is waiting: tell no one
      finish(*t, rc);
    }
  }

  static void finish(transfer& t, CURLcode rc) {
    if (t.is_create) {
      auto r = t.easy ? finish_create(t, rc)
                      : create_result{create_result::kind::no_response, 0, {}, {}, {},
                                      "cannot create a libcurl handle", {}};
      r.error_message = scrub(std::move(r.error_message), t.password);
      t.on_create(std::move(r));
    } else {
      auto r = t.easy ? finish_list(t, rc)
                      : list_result{unexpected{std::string("cannot create a libcurl handle")}};
      if (!r) r = unexpected{scrub(std::move(r).error(), t.password)};
      t.on_list(std::move(r));
    }
  }

  rest_options options;
  CURLM* multi = nullptr;
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::vector<std::unique_ptr<transfer>> submitted;  // guarded by mutex
  std::vector<std::function<void()>> tasks;          // guarded by mutex

  // Only the client's thread touches these.
  std::deque<std::unique_ptr<transfer>> waiting;
  std::unordered_map<CURL*, std::unique_ptr<transfer>> active;

  std::thread thread;
};

rest_client::rest_client(rest_options options) {
  net::init_curl_once();
  impl_ = std::make_unique<impl>(std::move(options));
  impl_->thread = std::thread([p = impl_.get()] { p->run(); });
}

rest_client::~rest_client() {
  impl_->stopping.store(true);
  curl_multi_wakeup(impl_->multi);
  impl_->thread.join();
  impl_->submitted.clear();
  impl_->tasks.clear();
  curl_multi_cleanup(impl_->multi);
}

void rest_client::create(create_message message, std::function<void(create_result)> done) {
  auto t = std::make_unique<transfer>();
  t->is_create = true;
  t->url = impl_->options.api_base + "/2010-04-01/Accounts/" +
           encode_segment(message.creds.account_sid) + "/Messages.json";
  form_fields fields;
  if (!message.to.empty()) fields.emplace_back("To", std::move(message.to));
  if (message.messaging_service_sid && !message.messaging_service_sid->empty())
    fields.emplace_back("MessagingServiceSid", std::move(*message.messaging_service_sid));
  else if (!message.from.empty())
    fields.emplace_back("From", std::move(message.from));
  if (!message.body.empty()) fields.emplace_back("Body", std::move(message.body));
  if (!message.status_callback.empty())
    fields.emplace_back("StatusCallback", std::move(message.status_callback));
  t->post_body = encode_form(fields);
  t->username = std::move(message.creds.account_sid);
  t->password = std::move(message.creds.auth_token);
  t->on_create = std::move(done);
  impl_->submit(std::move(t));
}

void rest_client::list(message_lookup lookup, std::function<void(list_result)> done) {
  auto t = std::make_unique<transfer>();
  t->is_create = false;
  form_fields query;
  if (!lookup.to.empty()) query.emplace_back("To", std::move(lookup.to));
  if (!lookup.from.empty()) query.emplace_back("From", std::move(lookup.from));
  // No DateSent> filter: a message Twilio still holds as queued has no
  // date_sent yet and such a filter would hide exactly the message a
  // reconciliation looks for. Newest first, the first page covers the
  // window; the caller compares date_created with `sent_after`.
  query.emplace_back("PageSize", std::to_string(list_page_size));
  t->url = impl_->options.api_base + "/2010-04-01/Accounts/" +
           encode_segment(lookup.creds.account_sid) + "/Messages.json?" + encode_form(query);
  t->username = std::move(lookup.creds.account_sid);
  t->password = std::move(lookup.creds.auth_token);
  t->on_list = std::move(done);
  impl_->submit(std::move(t));
}

void rest_client::post(std::function<void()> task) {
  impl_->submit_task(std::move(task));
}

// ---- dates ----

std::string format_utc_date(timestamp t) {
  using namespace std::chrono;
  year_month_day date{floor<days>(t)};
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer.data();
}

}  // namespace fl::twilio
