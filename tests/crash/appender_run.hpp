#pragma once

// Running the crash appender (fl_crash_appender) and killing it: the child
// process side of the crash test. Its includer defines FL_CRASH_APPENDER,
// the appender's path (tests/crash/CMakeLists.txt).

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/crash/crash_protocol.hpp"

namespace fl::crash_test {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// What one run of the appender reported before it was killed.
struct round_report {
  std::vector<crash::ack_line> lines;
  std::vector<std::string> unparsable;
  std::size_t torn_bytes = 0;
  int wait_status = 0;
};

// When to kill the appender: `after` it started, or after it reported the
// store open (its first line) if `from_open`.
struct kill_at {
  milliseconds after{0};
  bool from_open = false;
};

// However slow the machine, an appender not open after this is stuck.
constexpr milliseconds kOpenTimeout{60000};

// Starts the appender on `dir`, lets it run while reading what it reports,
// SIGKILLs it and reaps it.
inline round_report run_and_kill(const std::filesystem::path& dir, std::uint64_t seed,
                                 kill_at when) {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  std::string exe = FL_CRASH_APPENDER;
  std::string dir_arg = dir.string();
  std::string seed_arg = std::to_string(seed);
  std::array<char*, 4> argv{exe.data(), dir_arg.data(), seed_arg.data(), nullptr};

  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // Only async-signal-safe calls until exec: the test has threads.
    if (::dup2(fds[1], STDOUT_FILENO) < 0) ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);

  crash::line_buffer buffer;
  std::array<char, 65536> chunk;
  auto read_some = [&] {
    for (;;) {
      ssize_t got = ::read(fds[0], chunk.data(), chunk.size());
      if (got < 0 && errno == EINTR) continue;
      if (got > 0) buffer.append({chunk.data(), static_cast<std::size_t>(got)});
      return got > 0;
    }
  };
  // The deliberate random run time: read until the deadline (or until the
  // child ends on its own, which the exit status then shows).
  auto deadline = steady_clock::now() + (when.from_open ? kOpenTimeout : when.after);
  bool counting = !when.from_open;
  for (;;) {
    if (!counting && buffer.has_line()) {
      deadline = steady_clock::now() + when.after;
      counting = true;
    }
    auto left = std::chrono::ceil<milliseconds>(deadline - steady_clock::now()).count();
    if (left <= 0) break;
    pollfd p{fds[0], POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready > 0 && !read_some()) break;
  }
  ::kill(pid, SIGKILL);
  round_report report;
  while (::waitpid(pid, &report.wait_status, 0) < 0 && errno == EINTR) {
  }
  while (read_some()) {
  }
  ::close(fds[0]);

  for (const auto& line : buffer.take_lines()) {
    if (auto parsed = crash::parse_line(line))
      report.lines.push_back(std::move(*parsed));
    else
      report.unparsable.push_back(line);
  }
  report.torn_bytes = buffer.rest().size();
  return report;
}

inline std::string describe_status(int status) {
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "status " + std::to_string(status);
}

}  // namespace fl::crash_test
