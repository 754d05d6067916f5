// `corslint generate`: server code for a CORS policy given on the command
// line or in a policy file.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fixers/policy_spec.h"

namespace corslint {

struct GenerateFlags {
  std::string target;
  std::string policy_file;
  std::vector<std::string> origins;
  bool allow_any_origin = false;
  std::vector<std::string> methods;  // comma-separated items allowed
  std::vector<std::string> allow_headers;
  std::vector<std::string> expose_headers;
  std::optional<long long> max_age;
  bool credentials = false;
};

// Declares the subcommand and its options on `app`, filling `flags`.
CLI::App* AddGenerateCommand(CLI::App& app, GenerateFlags* flags);

// Prints the code to `out`, or the reasons for refusing the policy to
// `err`. Returns the exit code: 0, 2 for a policy file that cannot be read
// or is refused, 3 for refused options.
int RunGenerate(const GenerateFlags& flags, std::ostream& out,
                std::ostream& err);

// Splits comma-separated option values and drops empty items.
std::vector<std::string> SplitOptionList(
    const std::vector<std::string>& values);

// Prints problems as `corslint: error: OPTION: message` or
// `file:line:col: error: message`, each followed by its `help:` line.
void PrintSpecProblems(const std::vector<SpecProblem>& problems,
                       std::ostream& err);

}  // namespace corslint
