// Runs a program for tests and captures what it prints.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace corslint::testing {

// Runs `argv` (argv[0] looked up in PATH) with stdout and stderr both
// captured into `output`, after setting the `NAME=value` entries of `env`.
// Returns the exit status, or -1 when the program could not be started or
// was killed by a signal.
int RunCommand(const std::vector<std::string>& argv, std::string* output,
               const std::vector<std::string>& env = {});

// Who a signal goes to: the process, or the process group it leads.
enum class SignalTarget { kProcess, kGroup };

// Stops the server process `pid` and reaps it: SIGTERM to `term`, then,
// if it has not exited within `timeout`, SIGKILL to `kill`.
void StopProcess(pid_t pid, SignalTarget term, SignalTarget kill,
                 std::chrono::milliseconds timeout);

// Whether process `pid` holds a socket listening on `port`. Another test's
// server, started at the same moment, may have picked the same port and
// bound it first; a connection alone would reach that one.
bool ListensOn(pid_t pid, int port);

// A new empty directory below the system's temporary directory.
std::string MakeTempDir();

// Writes `text` to `path`; false when it cannot.
bool WriteFile(const std::string& path, const std::string& text);

}  // namespace corslint::testing
