#include "tests/support/run_command.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace corslint::testing {

int RunCommand(const std::vector<std::string>& argv, std::string* output,
               const std::vector<std::string>& env) {
  output->clear();
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return -1;

  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    for (const std::string& entry : env) {
      size_t equals = entry.find('=');
      setenv(entry.substr(0, equals).c_str(), entry.substr(equals + 1).c_str(),
             1);
    }
    std::vector<char*> args;
    for (const std::string& arg : argv) {
      args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }

  close(pipe_fds[1]);
  char buffer[4096];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof(buffer))) > 0) {
    output->append(buffer, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void StopProcess(pid_t pid, SignalTarget term, SignalTarget kill,
                 std::chrono::milliseconds timeout) {
  if (pid <= 0) return;
  auto target = [pid](SignalTarget who) {
    return who == SignalTarget::kGroup ? -pid : pid;
  };
  ::kill(target(term), SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(target(kill), SIGKILL);
  waitpid(pid, &status, 0);
}

bool ListensOn(pid_t pid, int port) {
  std::set<std::string> sockets;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the column names
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid,
          timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >>
          retransmits >> uid >> timeout >> inode;
      size_t colon = local.rfind(':');
      if (state != "0A" || colon == std::string::npos) continue;  // LISTEN
      if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) {
        sockets.insert("socket:[" + inode + "]");
      }
    }
  }
  std::error_code error;
  namespace fs = std::filesystem;
  fs::path fds = fs::path("/proc") / std::to_string(pid) / "fd";
  for (const auto& entry : fs::directory_iterator(fds, error)) {
    if (sockets.count(fs::read_symlink(entry.path(), error).string())) {
      return true;
    }
  }
  return false;
}

std::string MakeTempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "corslint-test-XXXXXX")
          .string();
  char* made = mkdtemp(pattern.data());
  return made == nullptr ? "" : std::string(made);
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return out.good();
}

}  // namespace corslint::testing
