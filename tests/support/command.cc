#include "tests/support/command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace corslint::testing {

namespace fs = std::filesystem;

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const CommandOptions& options) {
  CommandResult result;
  ScratchDir capture;
  fs::path out_path = capture.path() / "out";
  fs::path err_path = capture.path() / "err";

  // The environment: the test's, with the requested changes.
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text = *entry;
    size_t equals = text.find('=');
    if (equals == std::string::npos) continue;
    variables[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : options.env) {
    if (value.empty()) {
      variables.erase(name);
    } else {
      variables[name] = value;
    }
  }
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : variables) {
    env_strings.push_back(name + "=" + value);
  }
  std::vector<char*> env;
  for (std::string& entry : env_strings) env.push_back(entry.data());
  env.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!options.cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
  }
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);

  // posix_spawnp searches the PATH of the test, so look the program up in
  // the requested PATH here.
  std::string program = argv.at(0);
  if (program.find('/') == std::string::npos) {
    std::string path = variables.count("PATH") ? variables["PATH"] : "";
    size_t start = 0;
    while (start <= path.size()) {
      size_t colon = path.find(':', start);
      if (colon == std::string::npos) colon = path.size();
      std::string candidate =
          path.substr(start, colon - start) + "/" + argv.at(0);
      if (colon > start && access(candidate.c_str(), X_OK) == 0) {
        program = candidate;
        break;
      }
      start = colon + 1;
    }
  }

  pid_t pid = -1;
  int status = posix_spawn(&pid, program.c_str(), &actions, nullptr,
                           arg_pointers.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (status != 0) {
    result.err = "cannot run " + program + ": " + std::strerror(status);
    return result;
  }
  int wait_status = 0;
  pid_t waited = -1;
  do {
    waited = waitpid(pid, &wait_status, 0);
  } while (waited < 0 && errno == EINTR);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  if (waited > 0 && WIFEXITED(wait_status)) {
    result.exit_code = WEXITSTATUS(wait_status);
  }
  return result;
}

std::string CorslintBinary() { return CORSLINT_BINARY; }

ScratchDir::ScratchDir() {
  std::string pattern =
      (fs::temp_directory_path() / "corslint-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a directory like " + pattern);
  }
  path_ = fs::canonical(pattern);
}

ScratchDir::~ScratchDir() {
  std::error_code error;
  fs::remove_all(path_, error);
}

fs::path ScratchDir::Write(const std::string& relative,
                           const std::string& text) const {
  fs::path file = path_ / relative;
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace corslint::testing
