// `corslint simulate`: one browser request against a configuration, an
// application or a policy file, explained step by step.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace corslint {

struct SimulateFlags {
  std::string file;
  std::string origin;
  std::string path;
  std::string method = "GET";
  std::vector<std::string> headers;  // `Name: value`
  std::string credentials = "same-origin";
  std::string format = "text";
  std::string host;
  std::string lang;
  int upstream_status = 200;
  std::vector<std::string> upstream_headers;  // `Name: value`
};

// Declares the subcommand and its options on `app`, filling `flags`.
CLI::App* AddSimulateCommand(CLI::App& app, SimulateFlags* flags);

// Runs the simulation and prints it. Returns the exit code: 0 when the
// browser allows the request, 1 when it refuses it or when the answer
// depends on earlier requests, 2 when the file cannot be read or parsed, 3
// for bad options.
int RunSimulate(const SimulateFlags& flags, std::ostream& out,
                std::ostream& err);

}  // namespace corslint
