#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fl::testing {

/// A program run by a test, with its stdout and stderr captured through one
/// pipe. Killed (SIGKILL) if still running when destroyed.
class child_process {
 public:
  explicit child_process(std::vector<std::string> argv) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::dup2(fds[1], 2);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
    ::fcntl(out_, F_SETFL, O_NONBLOCK);
  }
  ~child_process() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) { ::kill(pid_, sig); }

  /// Reads output until `needle` appears or `timeout`; true if it appeared.
  bool wait_for_output(const std::string& needle, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (output_.find(needle) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      if (!drain()) return output_.find(needle) != std::string::npos;
    }
    return true;
  }

  /// Waits for the exit (up to `timeout`) and returns the exit code, or
  /// nullopt if it did not exit normally in time.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!status_) {
      drain();
      int st = 0;
      pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        status_ = st;
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      pollfd p{out_, POLLIN, 0};
      ::poll(&p, 1, 20);
    }
    drain();
    if (!WIFEXITED(*status_)) return std::nullopt;
    return WEXITSTATUS(*status_);
  }

  const std::string& output() {
    drain();
    return output_;
  }

 private:
  // Reads what is available; false at end of file.
  bool drain() {
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(out_, buf, sizeof buf);
      if (n > 0) {
        output_.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      return n != 0;
    }
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string output_;
  std::optional<int> status_;
};

/// Runs a program to completion; its exit code and output.
inline std::pair<int, std::string> run_program(std::vector<std::string> argv) {
  child_process p(std::move(argv));
  auto code = p.wait_exit(std::chrono::seconds(60));
  return {code.value_or(-1), p.output()};
}

}  // namespace fl::testing
