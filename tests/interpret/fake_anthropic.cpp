#include "tests/interpret/fake_anthropic.hpp"

#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace fl::testing {

namespace {

using clock = std::chrono::steady_clock;

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

void send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the client gave up: nothing to do
    sent += static_cast<std::size_t>(n);
  }
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 529:
      return "Overloaded";
    default:
      return "Status";
  }
}

}  // namespace

std::string anthropic_request::header(const std::string& name) const {
  for (const auto& [n, v] : headers)
    if (n == name) return v;
  return {};
}

anthropic_reply anthropic_reply::text(const std::string& text) {
  nlohmann::json body = {
      {"id", "msg_fake"},
      {"type", "message"},
      {"role", "assistant"},
      {"model", "claude-sonnet-4-5"},
      {"content", nlohmann::json::array({{{"type", "text"}, {"text", text}}})},
      {"stop_reason", "end_turn"},
      {"stop_sequence", nullptr},
      {"usage", {{"input_tokens", 100}, {"output_tokens", 50}}},
  };
  return anthropic_reply{200, body.dump(), {}, std::chrono::milliseconds(0)};
}

anthropic_reply anthropic_reply::error(int status, const std::string& type,
                                       const std::string& message,
                                       std::vector<std::pair<std::string, std::string>> headers) {
  nlohmann::json body = {{"type", "error"}, {"error", {{"type", type}, {"message", message}}}};
  return anthropic_reply{status, body.dump(), std::move(headers), std::chrono::milliseconds(0)};
}

fake_anthropic::fake_anthropic() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("fake_anthropic: socket");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0)
    throw std::runtime_error("fake_anthropic: bind/listen");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

fake_anthropic::~fake_anthropic() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  thread_.join();
  ::close(listen_fd_);
}

std::string fake_anthropic::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void fake_anthropic::enqueue(anthropic_reply reply) {
  std::lock_guard lock(mutex_);
  replies_.push_back(std::move(reply));
}

std::vector<anthropic_request> fake_anthropic::requests() const {
  std::lock_guard lock(mutex_);
  return received_;
}

void fake_anthropic::serve() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    handle(fd);
    ::close(fd);
  }
}

void fake_anthropic::handle(int fd) {
  // Read the head, then Content-Length bytes of body; give up after 2 s.
  std::string data;
  auto give_up = clock::now() + std::chrono::seconds(2);
  std::size_t head_end = std::string::npos;
  std::size_t content_length = 0;
  anthropic_request req;
  for (;;) {
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        std::size_t line_end = data.find("\r\n");
        std::string request_line = data.substr(0, line_end);
        auto sp1 = request_line.find(' ');
        auto sp2 = request_line.find(' ', sp1 + 1);
        req.method = request_line.substr(0, sp1);
        req.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
        std::size_t pos = line_end + 2;
        while (pos < head_end) {
          auto eol = data.find("\r\n", pos);
          std::string line = data.substr(pos, eol - pos);
          auto colon = line.find(':');
          if (colon != std::string::npos)
            req.headers.emplace_back(lower(line.substr(0, colon)), trim(line.substr(colon + 1)));
          pos = eol + 2;
        }
        auto length = req.header("content-length");
        content_length = length.empty() ? 0 : std::stoul(length);
      }
    }
    if (head_end != std::string::npos && data.size() >= head_end + 4 + content_length) break;
    if (clock::now() > give_up) return;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    char buffer[4096];
    auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  req.body = data.substr(head_end + 4, content_length);
  req.received_at = clock::now();

  anthropic_reply reply{
      500,
      R"({"type":"error","error":{"type":"api_error","message":"nothing scripted"}})",
      {},
      std::chrono::milliseconds(0)};
  {
    std::lock_guard lock(mutex_);
    received_.push_back(req);
    if (!replies_.empty()) {
      reply = std::move(replies_.front());
      replies_.pop_front();
    }
  }
  auto answer_at = clock::now() + reply.delay;
  while (clock::now() < answer_at) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::string out =
      "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_phrase(reply.status) + "\r\n";
  out += "content-type: application/json\r\n";
  for (const auto& [n, v] : reply.headers) out += n + ": " + v + "\r\n";
  out += "content-length: " + std::to_string(reply.body.size()) + "\r\n";
  out += "connection: close\r\n\r\n";
  out += reply.body;
  send_all(fd, out);
}

}  // namespace fl::testing
