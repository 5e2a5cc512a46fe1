#pragma once

// Small helpers shared by the benchmark programs: a scratch data directory,
// percentiles, page-cache eviction of our own files, and the machine line.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fl::bench {

using bench_clock = std::chrono::steady_clock;

inline double seconds_since(bench_clock::time_point start) {
  return std::chrono::duration<double>(bench_clock::now() - start).count();
}

/// CPU time (user + system) this process has used so far, in seconds.
inline double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

/// CPU time the calling thread has used so far, in seconds.
inline double thread_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

/// This process's threads (ids) whose name is `name`.
inline std::vector<int> threads_named(const std::string& name) {
  std::vector<int> out;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string n;
    std::getline(comm, n);
    if (n == name) out.push_back(std::stoi(task.path().filename().string()));
  }
  return out;
}

/// CPU time (user + system) thread `tid` of this process has used, in
/// seconds, at the kernel's clock-tick resolution (10 ms here); -1 if gone.
inline double task_cpu_seconds(int tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return -1;
  // Fields after the parenthesised name: state is field 3; utime, stime are 14, 15.
  std::size_t p = stat.rfind(')');
  if (p == std::string::npos) return -1;
  std::vector<std::string> fields;
  std::size_t i = p + 2;
  while (i < stat.size() && fields.size() < 13) {
    std::size_t j = stat.find(' ', i);
    if (j == std::string::npos) j = stat.size();
    fields.push_back(stat.substr(i, j - i));
    i = j + 1;
  }
  if (fields.size() < 13) return -1;
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return (std::stod(fields[11]) + std::stod(fields[12])) / ticks;
}

/// The first three fields of /proc/loadavg: how busy the rest of the
/// machine was (other processes share these cores).
inline std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

/// The `p`-th quantile (0 < p <= 1) of `samples` by the nearest-rank method;
/// 0 if there are none. Reorders `samples`.
inline std::uint64_t percentile(std::vector<std::uint64_t>& samples, double p) {
  if (samples.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(samples.size())));
  rank = std::clamp<std::size_t>(rank, 1, samples.size()) - 1;
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(rank),
                   samples.end());
  return samples[rank];
}

/// A directory the benchmark owns: created empty (after removing what an
/// earlier run of the benchmark left, recognised by a marker file) and
/// removed on destruction unless `keep`. Refuses to touch a non-empty
/// directory it did not create.
class scratch_dir {
 public:
  scratch_dir(std::filesystem::path path, bool keep, bool reuse = false)
      : path_(std::move(path)), keep_(keep) {
    namespace fs = std::filesystem;
    if (fs::exists(path_) && !fs::is_empty(path_)) {
      if (!fs::exists(path_ / marker))
        throw std::runtime_error(
            path_.string() + " is not empty and was not made by a benchmark; refusing to use it");
      if (!reuse) fs::remove_all(path_);
    }
    fs::create_directories(path_);
    std::ofstream(path_ / marker) << "benchmark scratch data; safe to delete\n";
  }
  ~scratch_dir() {
    std::error_code ec;
    if (!keep_) std::filesystem::remove_all(path_, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  static constexpr const char* marker = ".fl-bench";
  std::filesystem::path path_;
  bool keep_;
};

/// Drops the page-cache pages of every file under `dir` (they are clean:
/// RocksDB syncs what it writes), so the next read comes from the disk. Only
/// our own files are touched; nothing system-wide.
inline void evict_page_cache(const std::filesystem::path& dir) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    int fd = ::open(entry.path().c_str(), O_RDONLY);
    if (fd < 0) continue;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

inline std::string filesystem_type(const std::filesystem::path& dir) {
  struct statfs s {};
  if (::statfs(dir.c_str(), &s) != 0) return "unknown";
  switch (static_cast<unsigned long>(s.f_type)) {
    case 0xEF53:
      return "ext4";
    case 0x58465342:
      return "xfs";
    case 0x9123683E:
      return "btrfs";
    case 0x01021994:
      return "tmpfs";
    case 0x794C7630:
      return "overlayfs";
    default: {
      char out[32];
      std::snprintf(out, sizeof out, "fs 0x%lx", static_cast<unsigned long>(s.f_type));
      return out;
    }
  }
}

/// "cpu: <model>, <n> hardware threads; data: <dir> (<fs>)".
inline std::string machine_line(const std::filesystem::path& data_dir) {
  std::string model = "unknown cpu";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  return "cpu: " + model + ", " + std::to_string(std::thread::hardware_concurrency()) +
         " hardware threads; data: " + data_dir.string() + " (" + filesystem_type(data_dir) +
         "); load average " + load_average();
}

/// The first line printed by `command` in a shell (trailing newlines cut).
inline std::string shell_line(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

/// Now, as "2026-11-23 14:28:00 UTC".
inline std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return out;
}

/// "commit: <short hash>[ + uncommitted changes in the tree]" of the sources
/// in `source_dir`.
inline std::string commit_line(const std::string& source_dir) {
  const std::string head =
      shell_line("git -C '" + source_dir + "' rev-parse --short HEAD 2>/dev/null");
  if (head.empty()) return "commit: unknown (no git)";
  // --no-optional-locks: others work in this tree; do not take index.lock.
  const std::string dirty = shell_line("git --no-optional-locks -C '" + source_dir +
                                       "' status --porcelain --untracked-files=no 2>/dev/null");
  return "commit: " + head + (dirty.empty() ? "" : " + uncommitted changes in the tree");
}

}  // namespace fl::bench
