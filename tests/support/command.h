// Runs programs for tests (the built corslint, pre-commit, git, npm
// tools) and scratch directories for them to work in.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace corslint::testing {

struct CommandResult {
  int exit_code = -1;  // -1: could not be run, or died of a signal
  std::string out;     // standard output
  std::string err;     // standard error, or why it could not be run
};

struct CommandOptions {
  std::filesystem::path cwd;  // empty: the test's own
  // Variables to set (or, with an empty value, to remove) on top of the
  // test's environment.
  std::map<std::string, std::string> env;
};

// Runs `argv` (argv[0] is found on PATH when it has no `/`) to its end
// with standard input from /dev/null.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const CommandOptions& options = {});

// The built corslint program.
std::string CorslintBinary();

// A fresh directory below the system's temporary directory, removed with
// the object.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to `relative` below the directory, creating parents;
  // returns the file's path.
  std::filesystem::path Write(const std::string& relative,
                              const std::string& text) const;

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::filesystem::path& path);

}  // namespace corslint::testing
