// Measures `corslint check` on a generated corpus: files and MB per second
// on one core and on all, peak memory of a whole run, and the wall time a
// pre-commit hook pays to check one file. Also measures the floors: reading
// the bytes, and tokenizing alone.
//
//   corslint_bench [--corpus nginx|apache|express|flask|all] [--files N]
//                  [--runs N]
//   corslint_bench --corpus NAME --files N --write DIR
//
// The second form only writes the corpus into DIR, for profiling.
//
// For Express and Flask the parse floor is tree-sitter alone on the same
// files; the whole check should stay within 1.5 times of it.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/check.h"
#include "bench/corpus.h"
#include "parsers/apache_syntax.h"
#include "parsers/nginx_syntax.h"
#include "parsers/tree_sitter_support.h"

namespace corslint::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<std::string> ListFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Runs the corslint command and returns its wall time; `peak_kib` receives
// the child's peak resident memory.
double RunCommand(const std::vector<std::string>& args, long* peak_kib) {
  std::vector<char*> argv;
  for (const std::string& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);

  // posix_spawn, unlike fork, does not copy this process's page tables,
  // which would add the benchmark's own size to every measured run.
  auto start = Clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) !=
      0) {
    std::cerr << "corslint_bench: cannot run " << args[0] << "\n";
    return 0;
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  double seconds = Seconds(start);
  if (peak_kib != nullptr) *peak_kib = usage.ru_maxrss;
  if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
    std::cerr << "corslint_bench: " << args[0] << " exited with status "
              << WEXITSTATUS(status) << "\n";
  }
  return seconds;
}

// User and system time this process has used, on every thread.
double CpuSeconds() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + time.tv_usec / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void Report(const char* what, size_t files, size_t bytes, double seconds) {
  double mb = static_cast<double>(bytes) / 1e6;
  std::printf("%-34s %8.3f s %10.0f files/s %8.1f MB/s\n", what, seconds,
              files / seconds, mb / seconds);
}

// A generated corpus and the parser that is its floor.
struct Corpus {
  const char* name;
  size_t (*write)(const std::string& dir, size_t count);
  // Parses one file without building the model.
  void (*parse)(const SourceFile& file);
};

void ParseNginx(const SourceFile& file) {
  std::vector<nginx::Directive> directives;
  InputError error;
  nginx::Parse(file, &directives, &error);
}

void ParseApache(const SourceFile& file) {
  std::vector<apache::Directive> directives;
  InputError error;
  apache::Parse(file, &directives, &error);
}

// JavaScript, TypeScript and Python: the tree-sitter parse the readers
// start from.
void ParseCode(const SourceFile& file) {
  ts::Tree tree(ts::GrammarForPath(file.path()), file);
  if (!tree.ok()) std::cerr << "corslint_bench: cannot parse " << file.path();
}

const Corpus kCorpora[] = {
    {"nginx", WriteNginxCorpus, ParseNginx},
    {"apache", WriteApacheCorpus, ParseApache},
    {"express", WriteExpressCorpus, ParseCode},
    {"flask", WriteFlaskCorpus, ParseCode},
};

void Measure(const Corpus& corpus, size_t count, int runs) {
  std::string binary = CORSLINT_BINARY;
  std::string dir = (fs::temp_directory_path() /
                     ("corslint-bench-" + std::string(corpus.name)))
                        .string();
  fs::remove_all(dir);
  size_t bytes = corpus.write(dir, count);
  std::vector<std::string> files = ListFiles(dir);
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::printf("corpus: %zu %s files, %.1f MB; %u cores\n", files.size(),
              corpus.name, bytes / 1e6, cores);

  // Whole runs of the command come first, while this process is small:
  // a program started from it counts this process's peak in its own
  // (Linux keeps the larger across exec), so later runs would report the
  // benchmark's size instead of corslint's.
  struct rusage self {};
  getrusage(RUSAGE_SELF, &self);
  long peak_kib = 0;
  double seconds =
      RunCommand({binary, "check", "--format", "json", dir}, &peak_kib);
  Report("corslint check DIR (process)", files.size(), bytes, seconds);
  std::printf("%-34s %.1f MB (of which up to %.1f MB is the benchmark's)\n",
              "peak memory (process)", peak_kib / 1024.0,
              self.ru_maxrss / 1024.0);

  // What a pre-commit hook pays: one process checking one file.
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    times.push_back(
        RunCommand({binary, "check", files[run % files.size()]}, nullptr));
  }
  std::sort(times.begin(), times.end());
  std::printf("%-34s median %.1f ms, p95 %.1f ms (%d runs)\n",
              "corslint check FILE (process)", times[times.size() / 2] * 1e3,
              times[times.size() * 95 / 100] * 1e3, runs);

  // Floor: reading the bytes.
  auto start = Clock::now();
  size_t read = 0;
  for (const std::string& file : files) {
    std::string text, error;
    ReadSourceFile(file, 1u << 30, &text, &error);
    read += text.size();
  }
  Report("floor: read bytes (1 core)", files.size(), read, Seconds(start));

  // Floor: reading and parsing into the syntax tree.
  start = Clock::now();
  for (const std::string& file : files) {
    std::string text, error;
    ReadSourceFile(file, 1u << 30, &text, &error);
    corpus.parse(SourceFile(file, std::move(text)));
  }
  double parse = Seconds(start);
  Report("floor: read + parse (1 core)", files.size(), read, parse);

  // The whole check in this process, on one core and on all; the fastest
  // of kRepeats runs, as other programs on the machine only slow it down.
  constexpr int kRepeats = 3;
  for (int jobs : {1, static_cast<int>(cores)}) {
    CheckOptions options;
    options.jobs = jobs;
    CheckResult result;
    double seconds = 0, cpu = 0;
    for (int repeat = 0; repeat < kRepeats; ++repeat) {
      start = Clock::now();
      double cpu_start = CpuSeconds();
      CheckResult run = RunCheck({dir}, options);
      double run_seconds = Seconds(start);
      double run_cpu = CpuSeconds() - cpu_start;
      if (repeat == 0 || run_seconds < seconds) seconds = run_seconds;
      if (repeat == 0 || run_cpu < cpu) cpu = run_cpu;
      result = std::move(run);
    }
    std::string what = "check (" + std::to_string(jobs) +
                       (jobs == 1 ? " core, best of " : " cores, best of ") +
                       std::to_string(kRepeats) + ")";
    Report(what.c_str(), result.files_read, result.bytes_read, seconds);
    if (jobs == 1) {
      // CPU time, unlike wall time, does not grow when other programs
      // share the machine.
      std::printf("%-34s %8.3f s of CPU %20.1f MB/s per core\n", "", cpu,
                  static_cast<double>(result.bytes_read) / 1e6 / cpu);
      std::printf("%-34s %zu findings, %zu input errors; %.2fx the parse\n", "",
                  result.findings.size(), result.errors.size(),
                  seconds / parse);
    }
  }

  std::printf("\n");
  fs::remove_all(dir);
}

int Main(int argc, char** argv) {
  size_t count = 10000;
  int runs = 50;
  std::string which = "all";
  std::string write_dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--files") count = std::stoul(argv[i + 1]);
    if (flag == "--runs") runs = std::stoi(argv[i + 1]);
    if (flag == "--corpus") which = argv[i + 1];
    if (flag == "--write") write_dir = argv[i + 1];
  }
  for (const Corpus& corpus : kCorpora) {
    if (!write_dir.empty()) {
      if (which != corpus.name) continue;
      size_t bytes = corpus.write(write_dir, count);
      std::printf("wrote %zu %s files, %.1f MB, into %s\n", count, corpus.name,
                  bytes / 1e6, write_dir.c_str());
      return 0;
    }
    if (which == "all" || which == corpus.name) Measure(corpus, count, runs);
  }
  return 0;
}

}  // namespace
}  // namespace corslint::bench

int main(int argc, char** argv) { return corslint::bench::Main(argc, argv); }
