#include "fixers/generate.h"

#include <fstream>
#include <sstream>

#include "analyzer/origin.h"
#include "fixers/emitters.h"

namespace corslint {

namespace {

constexpr int kExitClean = 0;
constexpr int kExitInputError = 2;
constexpr int kExitUsage = 3;

}  // namespace

CLI::App* AddGenerateCommand(CLI::App& app, GenerateFlags* flags) {
  CLI::App* command =
      app.add_subcommand("generate", "print server code for a CORS policy");
  command
      ->add_option("--target", flags->target, "nginx, apache, express or flask")
      ->required();
  command->add_option("--policy", flags->policy_file,
                      "read the policy from a YAML or JSON file");
  command->add_option("--origin", flags->origins,
                      "an origin allowed to read responses (repeatable)");
  command->add_flag("--allow-any-origin", flags->allow_any_origin,
                    "let any origin read responses (no credentials)");
  command->add_option("--methods", flags->methods,
                      "methods the page sends, comma-separated (default: "
                      "GET,HEAD,POST)");
  command->add_option("--allow-headers", flags->allow_headers,
                      "request headers the page sets, comma-separated");
  command->add_option("--expose-headers", flags->expose_headers,
                      "response headers page script may read, "
                      "comma-separated");
  command->add_option("--max-age", flags->max_age,
                      "seconds browsers may cache a preflight (at most 7200)");
  command->add_flag("--credentials", flags->credentials,
                    "allow cookies and HTTP authentication");
  return command;
}

std::vector<std::string> SplitOptionList(
    const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const std::string& value : values) {
    std::istringstream stream(value);
    std::string item;
    while (std::getline(stream, item, ',')) {
      size_t begin = item.find_first_not_of(" \t");
      if (begin == std::string::npos) continue;
      size_t end = item.find_last_not_of(" \t");
      items.push_back(item.substr(begin, end - begin + 1));
    }
  }
  return items;
}

void PrintSpecProblems(const std::vector<SpecProblem>& problems,
                       std::ostream& err) {
  for (const SpecProblem& problem : problems) {
    if (problem.where.file.empty()) {
      err << "corslint: error: " << problem.option << ": " << problem.message
          << "\n";
    } else {
      err << problem.where.file << ":" << problem.where.line << ":"
          << problem.where.column << ": error: " << problem.message << "\n";
    }
    if (!problem.help.empty()) err << "help: " << problem.help << "\n";
  }
}

int RunGenerate(const GenerateFlags& flags, std::ostream& out,
                std::ostream& err) {
  std::optional<Target> target = ParseTarget(flags.target);
  if (!target) {
    err << "corslint: error: unknown target \"" << flags.target
        << "\" (expected nginx, apache, express or flask)\n";
    return kExitUsage;
  }

  PolicySpec spec;
  if (!flags.policy_file.empty()) {
    bool options_too = !flags.origins.empty() || flags.allow_any_origin ||
                       !flags.methods.empty() || !flags.allow_headers.empty() ||
                       !flags.expose_headers.empty() || flags.max_age ||
                       flags.credentials;
    if (options_too) {
      err << "corslint: error: --policy excludes the policy options "
             "(--origin, --methods, ...)\n"
          << "help: put every setting in the policy file\n";
      return kExitUsage;
    }
    std::ifstream in(flags.policy_file, std::ios::binary);
    if (!in) {
      err << "corslint: error: cannot read policy file \"" << flags.policy_file
          << "\"\n";
      return kExitInputError;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::vector<SpecProblem> problems;
    std::optional<PolicySpec> read =
        ReadPolicySpec(flags.policy_file, text.str(), &problems);
    if (!read) {
      PrintSpecProblems(problems, err);
      return kExitInputError;
    }
    spec = *read;
  } else {
    spec.origins = flags.origins;
    spec.any_origin = flags.allow_any_origin;
    if (!flags.methods.empty()) spec.methods = SplitOptionList(flags.methods);
    spec.allow_headers = SplitOptionList(flags.allow_headers);
    spec.expose_headers = SplitOptionList(flags.expose_headers);
    spec.credentials = flags.credentials;
    if (flags.max_age) {
      if (std::optional<SpecProblem> problem =
              CheckMaxAgeValue(*flags.max_age)) {
        problem->option = "--max-age";
        PrintSpecProblems({*problem}, err);
        return kExitUsage;
      }
      spec.max_age = static_cast<int>(*flags.max_age);
    }
    std::vector<SpecProblem> problems = CheckSpec(&spec);
    if (!problems.empty()) {
      PrintSpecProblems(problems, err);
      return kExitUsage;
    }
  }

  // Plain http is allowed (development, loopback) but worth a word.
  for (const std::string& origin : spec.origins) {
    if (IsInsecureOrigin(origin)) {
      err << "corslint: warning: \"" << origin
          << "\" is plain http: anyone on the network path to that site can "
             "use the trust it gets\n";
    }
  }
  out << Emit(*target, spec);
  return kExitClean;
}

}  // namespace corslint
