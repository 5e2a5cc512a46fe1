#pragma once

// A server program run by a benchmark as a child process: started with its
// own environment and its output in a log file, its CPU time read from /proc,
// stopped with SIGTERM. Also: running a program to completion with its output
// in a file.

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace fl::bench {

namespace process_detail {

// This process's environment without the variables whose names start with
// one of `drop`, plus `set`.
inline std::vector<std::string> environment(
    const std::vector<std::string>& drop,
    const std::vector<std::pair<std::string, std::string>>& set) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    bool dropped = false;
    for (const auto& prefix : drop) dropped = dropped || entry.rfind(prefix, 0) == 0;
    for (const auto& [name, value] : set) dropped = dropped || entry.rfind(name + "=", 0) == 0;
    if (!dropped) out.push_back(entry);
  }
  for (const auto& [name, value] : set) out.push_back(name + "=" + value);
  return out;
}

// Forks and execs `argv` with `env` (nullptr: this process's), stdout to
// `out_path` (and stderr too if `with_stderr`, else stderr is inherited).
inline pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>* env,
                   const std::filesystem::path& out_path, bool with_stderr, bool die_with_parent) {
  // Everything the child needs is prepared before fork (no allocation after).
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  if (env) {
    for (const auto& e : *env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
  }
  const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0)
    throw std::runtime_error("cannot write " + out_path.string() + ": " + std::strerror(errno));
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    if (die_with_parent) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(126);
    }
    ::dup2(out, 1);
    if (with_stderr) ::dup2(out, 2);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    if (env)
      ::execve(args[0], args.data(), envp.data());
    else
      ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out);
  return pid;
}

}  // namespace process_detail

/// A long-running child (a server). SIGTERM-ed and waited for on destruction
/// if still running; SIGKILL-ed if it does not stop within 30 s.
class server_process {
 public:
  /// Starts `argv` with this process's environment minus the variables whose
  /// names start with one of `drop`, plus `set`; stdout and stderr go to `log`.
  server_process(const std::vector<std::string>& argv, const std::vector<std::string>& drop,
                 const std::vector<std::pair<std::string, std::string>>& set,
                 std::filesystem::path log)
      : log_(std::move(log)) {
    const auto env = process_detail::environment(drop, set);
    pid_ = process_detail::spawn(argv, &env, log_, true, true);
  }
  ~server_process() {
    if (running()) stop(std::chrono::seconds(30));
  }
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  pid_t pid() const { return pid_; }

  /// True until the child has exited (reaps it when it has).
  bool running() {
    if (status_) return false;
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) status_ = st;
    return !status_;
  }

  /// How the child ended ("exit code 3", "killed by signal 9"); empty while running.
  std::string how_it_ended() {
    if (running()) return "";
    if (WIFEXITED(*status_)) return "exit code " + std::to_string(WEXITSTATUS(*status_));
    if (WIFSIGNALED(*status_)) return "killed by signal " + std::to_string(WTERMSIG(*status_));
    return "status " + std::to_string(*status_);
  }

  /// SIGTERM, then waits up to `timeout` (SIGKILL after it). The exit code,
  /// or -1 if it did not exit normally.
  int stop(std::chrono::seconds timeout) {
    if (running()) {
      ::kill(pid_, SIGTERM);
      const auto deadline = std::chrono::steady_clock::now() + timeout;
      while (running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (running()) {
        ::kill(pid_, SIGKILL);
        int st = 0;
        ::waitpid(pid_, &st, 0);
        status_ = st;
      }
    }
    return WIFEXITED(*status_) ? WEXITSTATUS(*status_) : -1;
  }

  /// CPU time (user + system, all threads, reaped children not included) the
  /// child has used, at the clock-tick resolution; -1 if it is gone.
  double cpu_seconds() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) return -1;
    const std::size_t p = stat.rfind(')');
    if (p == std::string::npos) return -1;
    std::istringstream fields(stat.substr(p + 2));
    std::string field;
    double utime = -1, stime = -1;
    for (int i = 3; fields >> field; ++i) {  // field 3 is the state
      if (i == 14) utime = std::stod(field);
      if (i == 15) {
        stime = std::stod(field);
        break;
      }
    }
    if (utime < 0 || stime < 0) return -1;
    return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }

  /// The last `bytes` of the log, for error messages.
  std::string log_tail(std::size_t bytes = 2000) const {
    std::ifstream in(log_, std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return all.size() > bytes ? "..." + all.substr(all.size() - bytes) : all;
  }

  const std::filesystem::path& log() const { return log_; }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

/// Runs `argv` to completion (this process's environment), its stdout into
/// `out` (and stderr too if `with_stderr`). The exit code, or -1.
inline int run_to_file(const std::vector<std::string>& argv, const std::filesystem::path& out,
                       bool with_stderr) {
  const pid_t pid = process_detail::spawn(argv, nullptr, out, with_stderr, true);
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

}  // namespace fl::bench
