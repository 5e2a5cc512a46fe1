#pragma once

// A small HTTP/1.1 load generator for the benchmarks: keep-alive connections
// on non-blocking sockets and epoll, sending pre-built requests with one in
// flight per connection (no pipelining), and reading each answer in full
// (status line, headers, a body of exactly Content-Length bytes; anything else
// is counted as an error, never guessed at).
//
// Two ways to load a server:
// - closed loop: each connection sends its next request as soon as the answer
//   to the previous one has been read;
// - open loop: requests are scheduled at a fixed rate and sent on any idle
//   connection of a pool; latency is measured from the *scheduled* time, so a
//   slow answer also counts against the requests that queued behind it (no
//   coordinated omission).

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench/bench_util.hpp"

namespace fl::bench {

/// Pre-built raw requests, back to back in one buffer.
class request_set {
 public:
  void reserve(std::size_t requests, std::size_t bytes) {
    offsets_.reserve(requests);
    buffer_.reserve(bytes);
  }
  void add(std::string_view raw) {
    offsets_.push_back(buffer_.size());
    buffer_.append(raw);
  }
  std::size_t size() const { return offsets_.size(); }
  std::size_t bytes() const { return buffer_.size(); }
  std::string_view at(std::size_t i) const {
    const std::size_t end = i + 1 < offsets_.size() ? offsets_[i + 1] : buffer_.size();
    return std::string_view(buffer_).substr(offsets_[i], end - offsets_[i]);
  }

 private:
  std::string buffer_;
  std::vector<std::size_t> offsets_;
};

/// `http://host[:port][/]`, split. Plain HTTP only.
struct http_url {
  std::string host;
  std::uint16_t port = 80;
  std::string origin;  // "http://host:port", no trailing slash
  std::string host_port() const { return host + ":" + std::to_string(port); }
};

inline http_url parse_http_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme)
    throw std::runtime_error("\"" + std::string(url) +
                             "\": only http:// URLs (the load generator speaks plain HTTP)");
  std::string_view rest = url.substr(scheme.size());
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos)
    throw std::runtime_error("\"" + std::string(url) + "\": give the server's origin, no path");
  http_url out;
  const std::size_t colon = rest.rfind(':');
  out.host = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) {
    const std::string port(rest.substr(colon + 1));
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) == 0 ||
        std::stoul(port) > 65535)
      throw std::runtime_error("\"" + std::string(url) + "\": bad port");
    out.port = static_cast<std::uint16_t>(std::stoul(port));
  }
  if (out.host.empty()) throw std::runtime_error("\"" + std::string(url) + "\": no host");
  out.origin = "http://" + out.host_port();
  return out;
}

/// A resolved TCP address to connect to.
struct endpoint {
  sockaddr_storage address{};
  socklen_t length = 0;
  std::string name;  // host:port, for messages
};

inline endpoint resolve(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0 || found == nullptr)
    throw std::runtime_error("cannot resolve " + host + ": " + ::gai_strerror(rc));
  endpoint out;
  std::memcpy(&out.address, found->ai_addr, found->ai_addrlen);
  out.length = found->ai_addrlen;
  out.name = host + ":" + std::to_string(port);
  ::freeaddrinfo(found);
  return out;
}

/// A connected socket with TCP_NODELAY, non-blocking; -1 (errno set) on failure.
inline int connect_to(const endpoint& ep) {
  const int fd = ::socket(ep.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&ep.address), ep.length) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

/// A free TCP port on 127.0.0.1 at the time of the call.
inline std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error(std::string("cannot find a free port: ") + std::strerror(errno));
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

/// The head of an HTTP/1.1 answer.
struct response_head {
  int status = 0;
  std::size_t header_bytes = 0;    // through the blank line
  std::size_t content_length = 0;  // the body's length
  bool close = false;              // `Connection: close`
};

enum class parse_result { incomplete, complete, malformed };

namespace detail {

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace detail

/// Parses the answer at the start of `in`. `complete` once the head and
/// `content_length` bytes of body are there. Accepts only an HTTP/1.1 status
/// line with a final (>= 200) status and a body framed by Content-Length
/// (none needed for 204 and 304); Transfer-Encoding, conflicting lengths or a
/// malformed head are `malformed`, with the reason in `why`.
inline parse_result parse_response(std::string_view in, response_head& head, std::string& why) {
  constexpr std::size_t max_head = 64 * 1024;
  const std::size_t end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (in.size() > max_head) {
      why = "answer head longer than 64 KiB";
      return parse_result::malformed;
    }
    return parse_result::incomplete;
  }
  head = response_head{};
  head.header_bytes = end + 4;
  std::string_view rest = in.substr(0, end);
  auto next_line = [&rest] {
    const std::size_t eol = rest.find("\r\n");
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 2);
    return line;
  };
  const std::string_view status_line = next_line();
  if (status_line.substr(0, 9) != "HTTP/1.1 " || status_line.size() < 12 ||
      !detail::all_digits(status_line.substr(9, 3)) ||
      (status_line.size() > 12 && status_line[12] != ' ')) {
    why = "not an HTTP/1.1 status line: \"" + std::string(status_line.substr(0, 80)) + "\"";
    return parse_result::malformed;
  }
  head.status = std::stoi(std::string(status_line.substr(9, 3)));
  if (head.status < 200) {
    why = "an informational (1xx) answer, never asked for";
    return parse_result::malformed;
  }
  bool have_length = false;
  while (!rest.empty()) {
    const std::string_view line = next_line();
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 ||
        line.substr(0, colon).find_first_of(" \t") != std::string_view::npos) {
      why = "malformed header line \"" + std::string(line.substr(0, 80)) + "\"";
      return parse_result::malformed;
    }
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = detail::trim(line.substr(colon + 1));
    if (detail::iequals(name, "content-length")) {
      if (!detail::all_digits(value) || value.size() > 9) {
        why = "bad Content-Length \"" + std::string(value) + "\"";
        return parse_result::malformed;
      }
      const auto n = static_cast<std::size_t>(std::stoul(std::string(value)));
      if (have_length && n != head.content_length) {
        why = "conflicting Content-Length headers";
        return parse_result::malformed;
      }
      have_length = true;
      head.content_length = n;
    } else if (detail::iequals(name, "transfer-encoding")) {
      why = "Transfer-Encoding in the answer (only Content-Length framing is accepted)";
      return parse_result::malformed;
    } else if (detail::iequals(name, "connection")) {
      for (std::size_t i = 0; i + 5 <= value.size(); ++i)
        if (detail::iequals(value.substr(i, 5), "close")) head.close = true;
    }
  }
  if (!have_length) {
    if (head.status != 204 && head.status != 304) {
      why = "no Content-Length in a " + std::to_string(head.status) + " answer";
      return parse_result::malformed;
    }
  }
  if (in.size() < head.header_bytes + head.content_length) return parse_result::incomplete;
  return parse_result::complete;
}

/// One blocking request on a fresh connection (health checks, set-up calls).
struct simple_response {
  int status = 0;
  std::string body;
};

inline simple_response http_call(const endpoint& ep, std::string_view raw_request,
                                 std::chrono::milliseconds timeout) {
  const int fd = connect_to(ep);
  if (fd < 0) throw std::runtime_error("connect to " + ep.name + ": " + std::strerror(errno));
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } guard{fd};
  const auto deadline = bench_clock::now() + timeout;
  auto wait_for = [&](short events) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - bench_clock::now());
    if (left.count() <= 0) throw std::runtime_error("no answer from " + ep.name + " in time");
    pollfd p{fd, events, 0};
    ::poll(&p, 1, static_cast<int>(left.count()) + 1);
  };
  std::size_t sent = 0;
  while (sent < raw_request.size()) {
    const ssize_t n =
        ::send(fd, raw_request.data() + sent, raw_request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      wait_for(POLLOUT);
    } else {
      throw std::runtime_error("send to " + ep.name + ": " + std::strerror(errno));
    }
  }
  std::string in;
  char buf[16384];
  for (;;) {
    response_head head;
    std::string why;
    switch (parse_response(in, head, why)) {
      case parse_result::complete:
        return {head.status, in.substr(head.header_bytes, head.content_length)};
      case parse_result::malformed:
        throw std::runtime_error("malformed answer from " + ep.name + ": " + why);
      case parse_result::incomplete:
        break;
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      in.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0) {
      throw std::runtime_error(ep.name + " closed the connection before answering in full");
    } else if (errno == EAGAIN || errno == EINTR) {
      wait_for(POLLIN);
    } else {
      throw std::runtime_error("recv from " + ep.name + ": " + std::strerror(errno));
    }
  }
}

/// What happened to each request of a `request_set` (for checking the log
/// afterwards). Each index is written by the one connection that sent it.
enum class outcome : std::uint8_t { not_sent = 0, ok = 1, other_status = 2, error = 3 };

/// Counts of one load run, merged over its client threads.
struct load_tally {
  // Latency of the answers (any status) to the requests of the window: sent
  // in it (closed loop: answered in it) or scheduled in it (open loop).
  std::vector<std::uint64_t> latency_ns;
  std::uint64_t ok_in_window = 0;               // good 200 answers read during the window
  std::uint64_t answers_in_window = 0;          // answers of any status read during the window
  std::uint64_t errors_in_window = 0;           // requests failed during the window
  std::uint64_t sent = 0;                       // whole run: warm-up, window and drain
  std::uint64_t ok = 0;                         // whole run
  std::map<int, std::uint64_t> other_status;    // whole run: answers other than a good 200
  std::map<std::string, std::uint64_t> errors;  // whole run: no usable answer, by kind
  std::uint64_t reconnects = 0;                 // server closed an idle connection, or errors
  std::size_t max_pending = 0;                  // open loop: most requests waiting for a connection
  double client_cpu_s = 0;                      // client threads' CPU time in the window
  bool exhausted = false;                       // ran out of pre-built requests
  std::string first_malformed;                  // why the first malformed answer was refused

  std::uint64_t non_ok() const {
    std::uint64_t n = 0;
    for (const auto& [status, count] : other_status) n += count;
    return n;
  }
  std::uint64_t error_count() const {
    std::uint64_t n = 0;
    for (const auto& [kind, count] : errors) n += count;
    return n;
  }
  void merge(load_tally&& o) {
    latency_ns.insert(latency_ns.end(), o.latency_ns.begin(), o.latency_ns.end());
    ok_in_window += o.ok_in_window;
    answers_in_window += o.answers_in_window;
    errors_in_window += o.errors_in_window;
    sent += o.sent;
    ok += o.ok;
    for (const auto& [k, v] : o.other_status) other_status[k] += v;
    for (const auto& [k, v] : o.errors) errors[k] += v;
    reconnects += o.reconnects;
    max_pending = std::max(max_pending, o.max_pending);
    client_cpu_s += o.client_cpu_s;
    exhausted = exhausted || o.exhausted;
    if (first_malformed.empty()) first_malformed = o.first_malformed;
  }
};

/// What a load run shares with its client threads.
struct load_plan {
  const endpoint* target = nullptr;
  const request_set* requests = nullptr;
  std::atomic<std::size_t>* next = nullptr;  // the next request to send; shared across runs
  std::vector<outcome>* outcomes = nullptr;  // optional, indexed like `requests`
  bool wrap = false;  // start over at the first request when all were sent (else stop sending)
  std::string expect_in_ok_body;                   // a 200 whose body lacks this is an error
  std::chrono::milliseconds drain_timeout{10000};  // after the window, for answers in flight
  bench_clock::time_point start, from, to;         // warm-up from start, window [from, to)
};

/// One client thread: its connections, its epoll set, its counts.
class load_worker {
 public:
  explicit load_worker(const load_plan& plan) : plan_(plan) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    tally.latency_ns.reserve(1 << 18);
  }
  ~load_worker() {
    for (auto& c : conns_)
      if (c->fd >= 0) ::close(c->fd);
    if (timer_ >= 0) ::close(timer_);
    ::close(epoll_);
  }
  load_worker(const load_worker&) = delete;
  load_worker& operator=(const load_worker&) = delete;

  /// Opens one more connection; throws if the server cannot be reached.
  void add_connection() {
    auto c = std::make_unique<conn>();
    c->id = conns_.size();
    c->in.reserve(4096);
    c->fd = connect_to(*plan_.target);
    if (c->fd < 0)
      throw std::runtime_error("connect to " + plan_.target->name + ": " + std::strerror(errno));
    watch(*c);
    conns_.push_back(std::move(c));
  }

  /// Closed loop until `plan.to`, then waits for the answers in flight.
  void run_closed() {
    open_loop_ = false;
    for (auto& c : conns_) idle_.push_back(c.get());
    for (;;) {
      const auto now = bench_clock::now();
      sample_cpu(now);
      if (now < plan_.to) {
        while (!idle_.empty()) {
          conn* c = idle_.back();
          idle_.pop_back();
          c->listed = false;
          const std::size_t index = take_index();
          if (index == npos) break;
          send_request(*c, index, bench_clock::now(), false);
          if (c->index == npos && !c->dead) park(*c);  // failed at once: try on the next turn
          if (c->index == npos) break;
        }
      } else if (busy_ == 0 || now >= plan_.to + plan_.drain_timeout) {
        break;
      }
      const auto until = now < plan_.to ? plan_.to : plan_.to + plan_.drain_timeout;
      wait_events(until);
    }
    abandon_in_flight();
    if (!cpu_to_taken_) sample_cpu(plan_.to);
  }

  /// Open loop at `rate` requests per second from `plan.start` until
  /// `plan.to`, on this worker's connections; then waits for the answers in
  /// flight. Latency is counted from each request's scheduled time.
  void run_open(double rate) {
    open_loop_ = true;
    for (auto& c : conns_) park(*c);
    timer_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (timer_ < 0)
      throw std::runtime_error(std::string("timerfd_create: ") + std::strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = timer_tag;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &ev);
    const auto period = std::chrono::duration<double>(1.0 / rate);
    std::uint64_t k = 0;
    auto scheduled = [&](std::uint64_t n) {
      return plan_.start +
             std::chrono::duration_cast<bench_clock::duration>(period * static_cast<double>(n));
    };
    std::deque<bench_clock::time_point> pending;
    for (;;) {
      const auto now = bench_clock::now();
      sample_cpu(now);
      for (auto t = scheduled(k); t <= now && t < plan_.to; t = scheduled(++k))
        pending.push_back(t);
      tally.max_pending = std::max(tally.max_pending, pending.size());
      while (!pending.empty() && !idle_.empty()) {
        conn* c = idle_.back();
        idle_.pop_back();
        c->listed = false;
        const std::size_t index = take_index();
        if (index == npos) {
          pending.clear();
          park(*c);
          break;
        }
        const auto t = pending.front();
        pending.pop_front();
        send_request(*c, index, t, t >= plan_.from && t < plan_.to);
        if (c->index == npos && !c->dead) park(*c);
      }
      const bool schedule_done = scheduled(k) >= plan_.to;
      if (schedule_done && pending.empty() && busy_ == 0) break;
      if (now >= plan_.to + plan_.drain_timeout) {
        if (!pending.empty()) tally.errors["never sent: no connection left"] += pending.size();
        break;
      }
      if (!schedule_done) {
        itimerspec when{};
        const auto ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(scheduled(k).time_since_epoch())
                .count();
        when.it_value.tv_sec = static_cast<time_t>(ns / 1000000000);
        when.it_value.tv_nsec = static_cast<long>(ns % 1000000000);
        ::timerfd_settime(timer_, TFD_TIMER_ABSTIME, &when, nullptr);
      }
      wait_events(schedule_done ? plan_.to + plan_.drain_timeout : bench_clock::time_point::max());
    }
    abandon_in_flight();
    if (!cpu_to_taken_) sample_cpu(plan_.to);
  }

  load_tally tally;

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  static constexpr std::uint64_t timer_tag = ~std::uint64_t{0};

  struct conn {
    std::size_t id = 0;
    int fd = -1;
    std::size_t index = npos;  // the request in flight
    std::string_view out;
    std::size_t sent = 0;
    bench_clock::time_point origin{};  // latency is counted from here
    bool in_window = false;            // open loop: decided by the scheduled time
    bool writing = false;              // EPOLLOUT wanted
    bool listed = false;               // in idle_
    bool dead = false;                 // could not reconnect
    std::string in;
  };

  std::size_t take_index() {
    const std::size_t i = plan_.next->fetch_add(1, std::memory_order_relaxed);
    if (i < plan_.requests->size()) return i;
    if (plan_.wrap && plan_.requests->size() > 0) return i % plan_.requests->size();
    tally.exhausted = true;
    return npos;
  }

  void park(conn& c) {
    if (c.listed || c.dead || c.index != npos) return;
    c.listed = true;
    idle_.push_back(&c);
  }

  void watch(conn& c) {
    epoll_event ev{};
    ev.events = EPOLLIN | (c.writing ? EPOLLOUT : 0u);
    ev.data.u64 = c.id;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev);
  }

  void want_write(conn& c, bool on) {
    if (c.writing == on) return;
    c.writing = on;
    epoll_event ev{};
    ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
    ev.data.u64 = c.id;
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
  }

  void sample_cpu(bench_clock::time_point now) {
    if (!cpu_from_taken_ && now >= plan_.from) {
      cpu_from_ = thread_cpu_seconds();
      cpu_from_taken_ = true;
    }
    if (!cpu_to_taken_ && now >= plan_.to) {
      tally.client_cpu_s = cpu_from_taken_ ? thread_cpu_seconds() - cpu_from_ : 0;
      cpu_to_taken_ = true;
    }
  }

  bool counts(const conn& c, bench_clock::time_point now) const {
    return open_loop_ ? c.in_window : now >= plan_.from && now < plan_.to;
  }

  void send_request(conn& c, std::size_t index, bench_clock::time_point origin, bool in_window) {
    c.index = index;
    c.out = plan_.requests->at(index);
    c.sent = 0;
    c.origin = origin;
    c.in_window = in_window;
    c.in.clear();
    ++busy_;
    ++tally.sent;
    flush(c);
  }

  void flush(conn& c) {
    while (c.sent < c.out.size()) {
      const ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        want_write(c, true);
        return;
      } else {
        fail(c, "send failed");
        return;
      }
    }
    want_write(c, false);
  }

  void wait_events(bench_clock::time_point until) {
    int timeout = -1;
    if (until != bench_clock::time_point::max()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::microseconds>(until - bench_clock::now());
      timeout = left.count() <= 0 ? 0 : static_cast<int>((left.count() + 999) / 1000);
    }
    epoll_event events[128];
    const int n = ::epoll_wait(epoll_, events, 128, timeout);
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 == timer_tag) {
        std::uint64_t expirations = 0;  // the wake-up is what matters, not the count
        [[maybe_unused]] const ssize_t r = ::read(timer_, &expirations, sizeof expirations);
        continue;
      }
      conn& c = *conns_[events[i].data.u64];
      if (c.dead || c.fd < 0) continue;
      if ((events[i].events & EPOLLOUT) && c.index != npos && c.sent < c.out.size()) flush(c);
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(c);
      park(c);
    }
  }

  void on_readable(conn& c) {
    char buf[16384];
    for (;;) {
      const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.in.append(buf, static_cast<std::size_t>(n));
        if (static_cast<std::size_t>(n) < sizeof buf) break;
        continue;
      }
      if (n == 0) {
        if (c.index != npos) {
          fail(c, "connection closed before the answer was complete");
        } else {
          ++tally.reconnects;  // the server closed an idle keep-alive connection
          reconnect(c);
        }
        return;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      fail(c, "recv failed");
      return;
    }
    if (c.index == npos) {
      if (!c.in.empty()) fail(c, "bytes received with no request in flight");
      return;
    }
    response_head head;
    std::string why;
    switch (parse_response(c.in, head, why)) {
      case parse_result::incomplete:
        return;
      case parse_result::malformed:
        if (tally.first_malformed.empty()) tally.first_malformed = why;
        fail(c, "malformed answer");
        return;
      case parse_result::complete:
        break;
    }
    const auto now = bench_clock::now();
    if (c.in.size() > head.header_bytes + head.content_length) {
      fail(c, "bytes after the answer");
      return;
    }
    if (c.sent < c.out.size()) {
      fail(c, "answered before the request was sent in full");
      return;
    }
    const std::string_view body =
        std::string_view(c.in).substr(head.header_bytes, head.content_length);
    const bool good =
        head.status == 200 && (plan_.expect_in_ok_body.empty() ||
                               body.find(plan_.expect_in_ok_body) != std::string_view::npos);
    if (counts(c, now))
      tally.latency_ns.push_back(static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(now - c.origin).count()));
    if (now >= plan_.from && now < plan_.to) {
      ++tally.answers_in_window;
      if (good) ++tally.ok_in_window;
    }
    if (good) {
      ++tally.ok;
    } else {
      ++tally.other_status[head.status];
    }
    if (plan_.outcomes) (*plan_.outcomes)[c.index] = good ? outcome::ok : outcome::other_status;
    c.index = npos;
    --busy_;
    c.in.clear();
    if (head.close) {
      ++tally.reconnects;
      reconnect(c);
    }
  }

  // The request in flight on `c` (if any) gets no usable answer: counted as
  // an error of `kind`; the connection is replaced.
  void fail(conn& c, const char* kind) {
    if (c.index != npos) {
      ++tally.errors[kind];
      const auto now = bench_clock::now();
      if (now >= plan_.from && now < plan_.to) ++tally.errors_in_window;
      if (plan_.outcomes) (*plan_.outcomes)[c.index] = outcome::error;
      c.index = npos;
      --busy_;
    }
    ++tally.reconnects;
    reconnect(c);
  }

  void reconnect(conn& c) {
    ::close(c.fd);  // also leaves the epoll set
    c.in.clear();
    c.writing = false;
    c.fd = connect_to(*plan_.target);
    if (c.fd < 0) {
      ++tally.errors["reconnect failed (connection lost)"];
      c.dead = true;
      return;
    }
    watch(c);
  }

  // After the drain timeout: what is still in flight never got an answer.
  void abandon_in_flight() {
    for (auto& c : conns_)
      if (c->index != npos) {
        ++tally.errors["no answer within the drain timeout"];
        if (plan_.outcomes) (*plan_.outcomes)[c->index] = outcome::error;
        c->index = npos;
        --busy_;
      }
  }

  const load_plan& plan_;
  int epoll_ = -1;
  int timer_ = -1;
  bool open_loop_ = false;
  std::vector<std::unique_ptr<conn>> conns_;
  std::vector<conn*> idle_;
  std::size_t busy_ = 0;
  double cpu_from_ = 0;
  bool cpu_from_taken_ = false;
  bool cpu_to_taken_ = false;
};

/// Figures of one load run.
struct load_figures {
  load_tally tally;
  double window_s = 0;
  double ok_per_s = 0;  // good 200 answers per second in the window
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  double client_cpu_us = 0;   // client CPU time per answer in the window
  double server_cpu_us = -1;  // server CPU time per answer in the window (-1: unknown)
};

/// How to load: `conns` connections over `threads` client threads, closed
/// loop, or (rate > 0) open loop at `rate` requests per second on one thread.
struct load_shape {
  unsigned conns = 1;
  unsigned threads = 1;
  double rate = 0;
  double warmup_s = 1;
  double seconds = 5;
};

/// Runs one load against `plan.target` (its time points are set here).
/// `server_cpu` returns the server's cumulative CPU seconds (sampled at the
/// window's edges); with `server_in_process`, the client threads' CPU time is
/// subtracted from it.
inline load_figures run_load(load_plan plan, const load_shape& shape,
                             const std::function<double()>& server_cpu, bool server_in_process) {
  const unsigned threads = shape.rate > 0 ? 1 : std::max(1u, std::min(shape.threads, shape.conns));
  std::vector<std::unique_ptr<load_worker>> workers;
  for (unsigned t = 0; t < threads; ++t) workers.push_back(std::make_unique<load_worker>(plan));
  for (unsigned i = 0; i < shape.conns; ++i) workers[i % threads]->add_connection();

  plan.start = bench_clock::now() + std::chrono::milliseconds(20);
  plan.from = plan.start + std::chrono::duration_cast<bench_clock::duration>(
                               std::chrono::duration<double>(shape.warmup_s));
  plan.to = plan.from + std::chrono::duration_cast<bench_clock::duration>(
                            std::chrono::duration<double>(shape.seconds));
  std::vector<std::thread> running;
  for (auto& w : workers)
    running.emplace_back([&w, &shape, &plan] {
      std::this_thread::sleep_until(plan.start);
      if (shape.rate > 0)
        w->run_open(shape.rate);
      else
        w->run_closed();
    });
  std::this_thread::sleep_until(plan.from);
  const double server0 = server_cpu ? server_cpu() : -1;
  std::this_thread::sleep_until(plan.to);
  const double server1 = server_cpu ? server_cpu() : -1;
  for (auto& t : running) t.join();

  load_figures f;
  for (auto& w : workers) f.tally.merge(std::move(w->tally));
  workers.clear();  // closes the connections
  f.window_s = shape.seconds;
  f.ok_per_s = static_cast<double>(f.tally.ok_in_window) / f.window_s;
  auto& lat = f.tally.latency_ns;
  if (!lat.empty()) {
    f.max_ms = static_cast<double>(*std::max_element(lat.begin(), lat.end())) / 1e6;
    f.p99_ms = static_cast<double>(percentile(lat, 0.99)) / 1e6;
    f.p50_ms = static_cast<double>(percentile(lat, 0.50)) / 1e6;
  }
  const double answers = static_cast<double>(f.tally.answers_in_window);
  if (answers > 0) {
    f.client_cpu_us = f.tally.client_cpu_s * 1e6 / answers;
    if (server0 >= 0 && server1 >= 0) {
      double cpu = server1 - server0;
      if (server_in_process) cpu -= f.tally.client_cpu_s;
      f.server_cpu_us = std::max(0.0, cpu) * 1e6 / answers;
    }
  }
  return f;
}

}  // namespace fl::bench
