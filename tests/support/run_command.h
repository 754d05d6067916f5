// Runs a program for tests and captures what it prints.
#pragma once

#include <string>
#include <vector>

namespace corslint::testing {

// Runs `argv` (argv[0] looked up in PATH) with stdout and stderr both
// captured into `output`, after setting the `NAME=value` entries of `env`.
// Returns the exit status, or -1 when the program could not be started or
// was killed by a signal.
int RunCommand(const std::vector<std::string>& argv, std::string* output,
               const std::vector<std::string>& env = {});

// A new empty directory below the system's temporary directory.
std::string MakeTempDir();

// Writes `text` to `path`; false when it cannot.
bool WriteFile(const std::string& path, const std::string& text);

}  // namespace corslint::testing
