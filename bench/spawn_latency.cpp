// sitrep-spawn-latency: the cold-start latency of a command-line search, as a web frontend that
// spawns one process per request would see it.
//
//   sitrep-spawn-latency [--runs N] [--warmup K] [--json] [--devnull] --queries FILE -- CMD ARGS...
//
// For every non-empty line of FILE (lines starting with '#' are comments), runs CMD ARGS... QUERY
// (the query as one extra, last argument) and measures the wall time from just before fork() to
// the return of wait4(), with the child's stdout drained through a pipe (or sent to /dev/null with
// --devnull). A frontend must read the whole answer, so draining is part of the cost. All queries
// are run N times (default 5) after K unrecorded warm-up passes (default 1) that fill the page
// cache, so the figures are the process start-up plus search cost, not disk latency.
//
// Prints count, failures, median, p95, mean, min and max in ms, plus the children's mean CPU time
// and peak RSS; --json prints one JSON object instead. Statistics are over successful runs only
// (exit status 0); failures are listed on stderr. Exit status: 0 all ran fine, 1 some failed,
// 2 usage or system error.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct Options {
  int runs = 5;
  int warmup = 1;
  bool json = false;
  bool devnull = false;
  std::string queries_file;
  std::vector<std::string> command;
};

struct RunResult {
  double wall_ms = 0;
  double cpu_ms = 0;  // child's user + system time
  long max_rss_kib = 0;
  std::size_t stdout_bytes = 0;
  int status = 0;      // as from wait4()
  std::string stderr;  // first bytes of the child's stderr, for failure reports
  bool ok() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }
};

[[noreturn]] void usage(const char* why) {
  if (why != nullptr) std::fprintf(stderr, "sitrep-spawn-latency: %s\n", why);
  std::fprintf(stderr,
               "usage: sitrep-spawn-latency [--runs N] [--warmup K] [--json] [--devnull] "
               "--queries FILE -- CMD ARGS...\n"
               "Runs CMD ARGS... QUERY for each line of FILE, N times (default 5) after K warm-up "
               "passes (default 1),\nand prints the wall-time distribution in ms.\n");
  std::exit(2);
}

int parse_count(const char* s, const char* what, int min) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < min || v > 1000000) {
    std::fprintf(stderr, "sitrep-spawn-latency: bad %s: %s\n", what, s);
    std::exit(2);
  }
  return static_cast<int>(v);
}

Options parse_args(int argc, char** argv) {
  Options o;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage("missing value for an option");
      return argv[++i];
    };
    if (a == "--") {
      ++i;
      break;
    } else if (a == "--runs") {
      o.runs = parse_count(value(), "--runs", 1);
    } else if (a == "--warmup") {
      o.warmup = parse_count(value(), "--warmup", 0);
    } else if (a == "--queries") {
      o.queries_file = value();
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--devnull") {
      o.devnull = true;
    } else if (a == "-h" || a == "--help") {
      usage(nullptr);
    } else {
      usage(("unknown option: " + std::string(a)).c_str());
    }
  }
  for (; i < argc; ++i) o.command.emplace_back(argv[i]);
  if (o.queries_file.empty()) usage("--queries FILE is required");
  if (o.command.empty()) usage("no command given after --");
  return o;
}

std::vector<std::string> read_queries(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "sitrep-spawn-latency: cannot read %s: %s\n", path.c_str(),
                 std::strerror(errno));
    std::exit(2);
  }
  std::vector<std::string> queries;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    queries.push_back(line);
  }
  if (queries.empty()) {
    std::fprintf(stderr, "sitrep-spawn-latency: no queries in %s\n", path.c_str());
    std::exit(2);
  }
  return queries;
}

[[noreturn]] void die_errno(const char* what) {
  std::fprintf(stderr, "sitrep-spawn-latency: %s: %s\n", what, std::strerror(errno));
  std::exit(2);
}

RunResult run_once(const Options& o, const std::string& query) {
  // argv is built before the clock starts: only fork, exec, the child's work and the draining of
  // its output are timed.
  std::vector<char*> argv;
  for (const auto& s : o.command) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(const_cast<char*>(query.c_str()));
  argv.push_back(nullptr);

  int out_pipe[2] = {-1, -1};
  int err_pipe[2];
  if (!o.devnull && pipe2(out_pipe, O_CLOEXEC) != 0) die_errno("pipe");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) die_errno("pipe");
  const int devnull = o.devnull ? open("/dev/null", O_WRONLY | O_CLOEXEC) : -1;
  if (o.devnull && devnull < 0) die_errno("/dev/null");

  RunResult r;
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) die_errno("fork");
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    dup2(o.devnull ? devnull : out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execvp(argv[0], argv.data());
    const char* msg = "sitrep-spawn-latency: exec failed: ";
    (void)!write(STDERR_FILENO, msg, std::strlen(msg));
    const char* err = std::strerror(errno);
    (void)!write(STDERR_FILENO, err, std::strlen(err));
    _exit(127);
  }
  if (o.devnull) {
    close(devnull);
  } else {
    close(out_pipe[1]);
  }
  close(err_pipe[1]);

  // Drain stdout and stderr together, so a child that fills one pipe never blocks on it.
  pollfd fds[2] = {{o.devnull ? -1 : out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = o.devnull ? 1 : 2;
  char buf[65536];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      die_errno("poll");
    }
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || fds[k].revents == 0) continue;
      const ssize_t n = read(fds[k].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(fds[k].fd);
        fds[k].fd = -1;
        --open_fds;
      } else if (k == 0) {
        r.stdout_bytes += static_cast<std::size_t>(n);
      } else if (r.stderr.size() < 2048) {
        r.stderr.append(buf, std::min<std::size_t>(static_cast<std::size_t>(n), 2048));
      }
    }
  }
  rusage ru{};
  while (wait4(pid, &r.status, 0, &ru) < 0) {
    if (errno != EINTR) die_errno("wait4");
  }
  const auto t1 = std::chrono::steady_clock::now();
  r.wall_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  r.cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
             (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
  r.max_rss_kib = ru.ru_maxrss;
  return r;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

// Linear interpolation between closest ranks (the "R-7" definition used by numpy and
// spreadsheets), so the figures compare directly with other tools' output.
double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_args(argc, argv);
  const std::vector<std::string> queries = read_queries(o.queries_file);

  for (int w = 0; w < o.warmup; ++w) {
    for (const auto& q : queries) run_once(o, q);
  }

  std::vector<double> wall;
  double cpu_total = 0;
  long max_rss = 0;
  std::size_t out_bytes = 0;
  int failures = 0;
  for (int run = 0; run < o.runs; ++run) {
    for (const auto& q : queries) {
      const RunResult r = run_once(o, q);
      if (!r.ok()) {
        if (++failures <= 5) {
          std::fprintf(stderr, "sitrep-spawn-latency: query %s: %s%s%s\n", json_string(q).c_str(),
                       describe_status(r.status).c_str(), r.stderr.empty() ? "" : ": ",
                       r.stderr.substr(0, r.stderr.find_last_not_of(" \n") + 1).c_str());
        }
        continue;
      }
      wall.push_back(r.wall_ms);
      cpu_total += r.cpu_ms;
      max_rss = std::max(max_rss, r.max_rss_kib);
      out_bytes += r.stdout_bytes;
    }
  }
  if (failures > 5)
    std::fprintf(stderr, "sitrep-spawn-latency: ... %d failures in all\n", failures);

  std::sort(wall.begin(), wall.end());
  const std::size_t n = wall.size();
  std::optional<double> median, p95, mean, min, max, cpu_mean, out_mean;
  if (n > 0) {
    double sum = 0;
    for (double v : wall) sum += v;
    median = quantile(wall, 0.5);
    p95 = quantile(wall, 0.95);
    mean = sum / static_cast<double>(n);
    min = wall.front();
    max = wall.back();
    cpu_mean = cpu_total / static_cast<double>(n);
    out_mean = static_cast<double>(out_bytes) / static_cast<double>(n);
  }
  auto num = [](const std::optional<double>& v) {
    if (!v) return std::string("null");
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", *v);
    return std::string(b);
  };

  if (o.json) {
    std::string cmd = "[";
    for (std::size_t k = 0; k < o.command.size(); ++k) {
      if (k > 0) cmd += ',';
      cmd += json_string(o.command[k]);
    }
    cmd += ']';
    std::printf(
        "{\"command\":%s,\"queries\":%zu,\"runs\":%d,\"warmup\":%d,\"count\":%zu,"
        "\"failures\":%d,\"median_ms\":%s,\"p95_ms\":%s,\"mean_ms\":%s,\"min_ms\":%s,"
        "\"max_ms\":%s,\"cpu_mean_ms\":%s,\"max_rss_kib\":%ld,\"stdout_mean_bytes\":%s}\n",
        cmd.c_str(), queries.size(), o.runs, o.warmup, n, failures, num(median).c_str(),
        num(p95).c_str(), num(mean).c_str(), num(min).c_str(), num(max).c_str(),
        num(cpu_mean).c_str(), max_rss, num(out_mean).c_str());
  } else {
    std::printf("queries: %zu  runs: %d  warmup: %d\n", queries.size(), o.runs, o.warmup);
    std::printf("count: %zu  failures: %d\n", n, failures);
    if (n == 0) {
      std::printf("no successful runs\n");
    } else {
      std::printf("median: %s ms  p95: %s ms  mean: %s ms  min: %s ms  max: %s ms\n",
                  num(median).c_str(), num(p95).c_str(), num(mean).c_str(), num(min).c_str(),
                  num(max).c_str());
      std::printf("child cpu mean: %s ms  max rss: %ld KiB  stdout mean: %s bytes\n",
                  num(cpu_mean).c_str(), max_rss, num(out_mean).c_str());
    }
  }
  return failures > 0 ? 1 : 0;
}
