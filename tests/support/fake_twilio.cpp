// The fake Twilio REST server: the one test translation unit that
// instantiates RESTinio's server.

#include "tests/support/fake_twilio.hpp"

#include <nlohmann/json.hpp>
#include <restinio/all.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

namespace fl::testing {

namespace {

using request_handle = restinio::request_handle_t;
using server_handle = restinio::running_server_handle_t<restinio::default_traits_t>;

std::string lookup(const std::vector<std::pair<std::string, std::string>>& pairs,
                   const std::string& name) {
  for (const auto& [k, v] : pairs)
    if (k == name) return v;
  return {};
}

std::string now_rfc2822() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return buffer;
}

nlohmann::json nullable(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

/// Twilio's JSON for one message, with every field Twilio returns.
nlohmann::json message_json(const fake_message& m) {
  std::string uri = "/2010-04-01/Accounts/" + m.account_sid + "/Messages/" + m.sid;
  return {{"account_sid", m.account_sid},
          {"api_version", "2010-04-01"},
          {"body", m.body},
          {"date_created", m.date_created},
          {"date_sent", nullptr},
          {"date_updated", m.date_created},
          {"direction", "outbound-api"},
          {"error_code", nullptr},
          {"error_message", nullptr},
          {"from", nullable(m.from)},
          {"messaging_service_sid", nullable(m.messaging_service_sid)},
          {"num_media", "0"},
          {"num_segments", "1"},
          {"price", nullptr},
          {"price_unit", "USD"},
          {"sid", m.sid},
          {"status", m.status},
          {"subresource_uris", {{"media", uri + "/Media.json"}}},
          {"to", m.to},
          {"uri", uri + ".json"}};
}

/// The account sid of a `/2010-04-01/Accounts/{sid}/Messages.json` path, or "".
std::string messages_path_account(std::string_view path) {
  constexpr std::string_view prefix = "/2010-04-01/Accounts/";
  constexpr std::string_view suffix = "/Messages.json";
  if (!path.starts_with(prefix) || !path.ends_with(suffix) ||
      path.size() <= prefix.size() + suffix.size())
    return {};
  auto sid = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  if (sid.find('/') != std::string_view::npos) return {};
  return std::string(sid);
}

std::string reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status " + std::to_string(status);
  }
}

struct delayed_answer {
  std::chrono::steady_clock::time_point due;
  request_handle req;
  int status;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace

std::string recorded_request::header(const std::string& name) const {
  return lookup(headers, name);
}
std::string recorded_request::field(const std::string& name) const {
  return lookup(form, name);
}
bool recorded_request::has_field(const std::string& name) const {
  return std::any_of(form.begin(), form.end(), [&](const auto& f) { return f.first == name; });
}
std::string recorded_request::query_field(const std::string& name) const {
  return lookup(query_fields, name);
}

canned_response canned_response::with_body(
    int status, std::string body, std::vector<std::pair<std::string, std::string>> headers) {
  canned_response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.creates_message = false;
  return r;
}

canned_response canned_response::twilio_error(
    int status, std::int64_t code, std::string message,
    std::vector<std::pair<std::string, std::string>> headers) {
  nlohmann::json body{{"code", code},
                      {"message", std::move(message)},
                      {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
                      {"status", status}};
  return with_body(status, body.dump(), std::move(headers));
}

canned_response canned_response::hang_for(std::chrono::milliseconds delay, bool creates_message) {
  canned_response r;
  r.action = kind::hang;
  r.delay = delay;
  r.creates_message = creates_message;
  return r;
}

canned_response canned_response::close(bool creates_message) {
  canned_response r;
  r.action = kind::close_connection;
  r.creates_message = creates_message;
  return r;
}

std::string random_message_sid() {
  static std::mutex mutex;
  static std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::lock_guard lock(mutex);
  std::string sid = "SM";
  for (int i = 0; i < 32; ++i) sid += hex[rng() % 16];
  return sid;
}

struct fake_twilio::impl {
  // Script, records and messages.
  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::deque<canned_response> script;
  std::vector<recorded_request> requests;
  std::vector<fake_message> messages;

  // Late answers of hanging requests.
  std::mutex delayed_mutex;
  std::condition_variable delayed_cv;
  std::vector<delayed_answer> delayed;
  bool stopping = false;
  std::thread delayed_thread;

  std::atomic<std::uint16_t> port{0};
  server_handle server;

  restinio::request_handling_status_t handle(const request_handle& req) {
    recorded_request rec;
    rec.method = req->header().method().c_str();
    rec.path = std::string(req->header().path());
    rec.query = std::string(req->header().query());
    req->header().for_each_field([&](const restinio::http_header_field_t& f) {
      std::string name = f.name();
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      rec.headers.emplace_back(std::move(name), f.value());
    });
    rec.body = req->body();
    if (auto form = twilio::parse_form(rec.body)) rec.form = std::move(*form);
    if (auto query = twilio::parse_form(rec.query)) rec.query_fields = std::move(*query);

    canned_response what;
    bool scripted = false;
    {
      std::lock_guard lock(mutex);
      requests.push_back(rec);
      if (!script.empty()) {
        what = std::move(script.front());
        script.pop_front();
        scripted = true;
      }
    }
    arrived.notify_all();

    std::string account = messages_path_account(rec.path);
    bool is_create = rec.method == "POST" && !account.empty();
    bool is_list = rec.method == "GET" && !account.empty();

    // What the default would answer; a create also stores the message.
    auto default_answer = [&](bool create) -> std::pair<int, std::string> {
      if (is_create) {
        if (!create) return {201, "{}"};
        return {201, create_message(account, rec).dump()};
      }
      if (is_list) return {200, list_json(account, rec).dump()};
      return {404,
              nlohmann::json{{"code", 20404},
                             {"message", "The requested resource " + rec.path + " was not found"},
                             {"more_info", "https://www.twilio.com/docs/errors/20404"},
                             {"status", 404}}
                  .dump()};
    };

    if (!scripted) {
      auto [status, body] = default_answer(true);
      return reply(req, status, body, {});
    }
    switch (what.action) {
      case canned_response::kind::answer: {
        if (what.body.empty() && is_create) {
          auto [status, body] = default_answer(true);
          return reply(req, status, body, what.headers);
        }
        return reply(req, what.status, what.body, what.headers);
      }
      case canned_response::kind::hang: {
        auto [status, body] = default_answer(what.creates_message);
        if (!what.body.empty()) {
          status = what.status;
          body = what.body;
        }
        {
          std::lock_guard lock(delayed_mutex);
          delayed.push_back({std::chrono::steady_clock::now() + what.delay, req, status,
                             std::move(body), what.headers});
        }
        delayed_cv.notify_all();
        return restinio::request_accepted();
      }
      case canned_response::kind::close_connection:
        if (what.creates_message && is_create) (void)default_answer(true);
        // RESTinio closes the connection, answering nothing, when the
        // handler throws.
        throw std::runtime_error("fake_twilio: scripted connection close");
    }
    return restinio::request_rejected();
  }

  nlohmann::json create_message(const std::string& account, const recorded_request& rec) {
    fake_message m;
    m.sid = random_message_sid();
    m.account_sid = account;
    m.to = rec.field("To");
    m.from = rec.field("From");
    m.messaging_service_sid = rec.field("MessagingServiceSid");
    m.body = rec.field("Body");
    m.date_created = now_rfc2822();
    std::lock_guard lock(mutex);
    messages.push_back(m);
    return message_json(m);
  }

  nlohmann::json list_json(const std::string& account, const recorded_request& rec) {
    std::string to = rec.query_field("To");
    std::string from = rec.query_field("From");
    auto list = nlohmann::json::array();
    {
      std::lock_guard lock(mutex);
      for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
        if (!to.empty() && it->to != to) continue;
        if (!from.empty() && it->from != from) continue;
        list.push_back(message_json(*it));
      }
    }
    std::string uri = "/2010-04-01/Accounts/" + account + "/Messages.json";
    return {{"end", list.empty() ? 0 : list.size() - 1},
            {"first_page_uri", uri + "?PageSize=50&Page=0"},
            {"messages", list},
            {"next_page_uri", nullptr},
            {"page", 0},
            {"page_size", 50},
            {"previous_page_uri", nullptr},
            {"start", 0},
            {"uri", uri + "?PageSize=50&Page=0"}};
  }

  static restinio::request_handling_status_t reply(
      const request_handle& req, int status, const std::string& body,
      const std::vector<std::pair<std::string, std::string>>& headers) {
    auto response = req->create_response(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(status)}, reason_phrase(status)});
    bool has_type = false;
    for (const auto& [name, value] : headers) {
      response.append_header(name, value);
      has_type = has_type || name == "Content-Type";
    }
    if (!has_type) response.append_header(restinio::http_field::content_type, "application/json");
    response.set_body(body);
    return response.done();
  }

  void run_delayed() {
    std::unique_lock lock(delayed_mutex);
    while (!stopping) {
      auto now = std::chrono::steady_clock::now();
      auto due = std::partition(delayed.begin(), delayed.end(),
                                [&](const delayed_answer& d) { return d.due > now; });
      std::vector<delayed_answer> ready(std::make_move_iterator(due),
                                        std::make_move_iterator(delayed.end()));
      delayed.erase(due, delayed.end());
      if (!ready.empty()) {
        lock.unlock();
        for (auto& d : ready) reply(d.req, d.status, d.body, d.headers);
        lock.lock();
        continue;
      }
      if (delayed.empty()) {
        delayed_cv.wait(lock);
      } else {
        auto next =
            std::min_element(delayed.begin(), delayed.end(), [](const auto& a, const auto& b) {
              return a.due < b.due;
            })->due;
        delayed_cv.wait_until(lock, next);
      }
    }
  }
};

fake_twilio::fake_twilio() : impl_(std::make_unique<impl>()) {
  auto* p = impl_.get();
  try {
    p->server = restinio::run_async<restinio::default_traits_t>(
        restinio::own_io_context(),
        restinio::server_settings_t<restinio::default_traits_t>{}
            .address("127.0.0.1")
            .port(0)
            .request_handler([p](request_handle req) { return p->handle(req); })
            .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}.max_body_size(1 << 20))
            .handle_request_timeout(std::chrono::seconds(60))
            .acceptor_post_bind_hook([p](asio::ip::tcp::acceptor& acceptor) {
              p->port.store(acceptor.local_endpoint().port());
            }),
        2);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("fake_twilio: cannot listen: ") + e.what());
  }
  p->delayed_thread = std::thread([p] { p->run_delayed(); });
}

fake_twilio::~fake_twilio() {
  {
    std::lock_guard lock(impl_->delayed_mutex);
    impl_->stopping = true;
  }
  impl_->delayed_cv.notify_all();
  impl_->delayed_thread.join();
  // Stop the server while it is still alive, then release the request
  // handles it may still reference, then destroy it (RESTinio's order).
  impl_->server->stop();
  impl_->server->wait();
  impl_->delayed.clear();
  impl_->server.reset();
}

std::uint16_t fake_twilio::port() const {
  return impl_->port.load();
}

std::string fake_twilio::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

void fake_twilio::enqueue(canned_response response) {
  std::lock_guard lock(impl_->mutex);
  impl_->script.push_back(std::move(response));
}

void fake_twilio::add_message(fake_message message) {
  if (message.sid.empty()) message.sid = random_message_sid();
  std::lock_guard lock(impl_->mutex);
  impl_->messages.push_back(std::move(message));
}

std::vector<recorded_request> fake_twilio::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::size_t fake_twilio::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests.size();
}

bool fake_twilio::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->arrived.wait_for(lock, timeout, [&] { return impl_->requests.size() >= n; });
}

std::vector<fake_message> fake_twilio::messages() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->messages;
}

}  // namespace fl::testing
