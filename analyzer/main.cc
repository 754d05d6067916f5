// The `corslint` command.
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/check.h"
#include "analyzer/formats.h"
#include "analyzer/output.h"
#include "analyzer/rule.h"
#include "analyzer/rule_docs.h"
#include "analyzer/serve.h"
#include "analyzer/simulate_command.h"
#include "fixers/generate.h"

namespace corslint {
namespace {

// Exit codes, documented in the README.
constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitInputError = 2;
constexpr int kExitUsage = 3;

int Usage(const std::string& message) {
  std::cerr << "corslint: error: " << message << "\n";
  return kExitUsage;
}

struct CheckFlags {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string fail_on = "warning";
  std::string lang;
  std::vector<std::string> include_roots;
  std::vector<std::string> trusted_origins;
  int max_age_limit = 7200;
  int jobs = 0;
  bool verbose = false;
};

int RunCheckCommand(const CheckFlags& flags) {
  CheckOptions options;
  if (!flags.lang.empty()) {
    options.forced_format = ParseFormat(flags.lang);
    if (!options.forced_format) {
      return Usage("unknown language \"" + flags.lang + "\" (expected " +
                   std::string(FormatNames()) + ")");
    }
  }
  std::optional<Severity> threshold = ParseSeverity(flags.fail_on);
  if (!threshold) {
    return Usage("--fail-on takes error, warning or info, not \"" +
                 flags.fail_on + "\"");
  }
  if (flags.format != "text" && flags.format != "json") {
    return Usage("--format takes text or json, not \"" + flags.format + "\"");
  }
  options.include_roots = flags.include_roots;
  options.rule_options.trusted_origins = flags.trusted_origins;
  options.rule_options.max_age_limit = flags.max_age_limit;
  options.jobs = flags.jobs;

  std::vector<std::string> paths = flags.paths;
  if (paths.empty()) paths.push_back(".");
  CheckResult result = RunCheck(paths, options);

  if (flags.format == "json") {
    PrintJson(result, std::cout);
  } else {
    PrintInputErrors(result, std::cerr);
    PrintText(result, std::cout);
  }
  if (flags.verbose) {
    for (const std::string& skipped : result.skipped) {
      std::cerr << "corslint: " << skipped << "\n";
    }
  }

  for (const InputError& error : result.errors) {
    if (!error.warning) return kExitInputError;
  }
  for (const Finding& finding : result.findings) {
    if (finding.severity >= *threshold) return kExitFindings;
  }
  return kExitClean;
}

int RunExplain(const std::string& name) {
  const RuleInfo* rule = FindRule(name);
  if (rule == nullptr) {
    std::string suggestion = SuggestRule(name);
    return Usage("unknown rule \"" + name + "\"" +
                 (suggestion.empty() ? "" : ", did you mean \"" + suggestion + "\"?"));
  }
  std::cout << RulePage(*rule);
  return kExitClean;
}

int RunRulesList(bool markdown) {
  if (markdown) {
    std::cout << RuleTable();
    return kExitClean;
  }
  for (const RuleInfo* rule : AllRules()) {
    std::cout << rule->name << " (" << SeverityName(rule->default_severity)
              << "): " << rule->summary << "\n";
  }
  return kExitClean;
}

int Main(int argc, char** argv) {
  CLI::App app{"corslint: a static analyzer for CORS configurations",
               "corslint"};
  app.set_version_flag("--version", "corslint 0.1.0");
  app.require_subcommand(1);

  CheckFlags check;
  CLI::App* check_command =
      app.add_subcommand("check", "check files and directories for CORS mistakes");
  check_command->add_option("paths", check.paths,
                            "files and directories (default: .)");
  check_command->add_option("--format", check.format, "text or json")
      ->capture_default_str();
  check_command
      ->add_option("--fail-on", check.fail_on,
                   "lowest severity that makes the exit code 1: error, "
                   "warning or info")
      ->capture_default_str();
  check_command->add_option("--lang", check.lang,
                            "read every file as this format (nginx)");
  check_command->add_option(
      "--include-root", check.include_roots,
      "a directory outside the checked paths that include directives may read")
      ->allow_extra_args(false);
  check_command->add_option("--trusted-origin", check.trusted_origins,
                            "an origin the project trusts (repeatable; "
                            "`https://*.example.com` covers subdomains)")
      ->allow_extra_args(false);
  check_command->add_option("--max-age-limit", check.max_age_limit,
                            "seconds of Access-Control-Max-Age above which "
                            "to warn")
      ->capture_default_str();
  check_command->add_option("-j,--jobs", check.jobs,
                            "worker threads (default: one per core)");
  check_command->add_flag("-v,--verbose", check.verbose,
                          "say which files were skipped and why");

  std::string rule_name;
  CLI::App* explain = app.add_subcommand("explain", "print a rule's documentation");
  explain->add_option("rule", rule_name, "the rule's name")->required();

  bool markdown = false;
  CLI::App* rules = app.add_subcommand("rules", "list every rule");
  rules->add_flag("--markdown", markdown,
                  "print the README's Markdown table instead");

  GenerateFlags generate;
  CLI::App* generate_command = AddGenerateCommand(app, &generate);
  SimulateFlags simulate;
  CLI::App* simulate_command = AddSimulateCommand(app, &simulate);
  ServeFlags serve;
  CLI::App* serve_command = AddServeCommand(app, &serve);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return Usage(e.what());
  }

  if (check_command->parsed()) return RunCheckCommand(check);
  if (explain->parsed()) return RunExplain(rule_name);
  if (rules->parsed()) return RunRulesList(markdown);
  if (generate_command->parsed()) {
    return RunGenerate(generate, std::cout, std::cerr);
  }
  if (simulate_command->parsed()) {
    return RunSimulate(simulate, std::cout, std::cerr);
  }
  if (serve_command->parsed()) return RunServe(serve, std::cout, std::cerr);
  return kExitUsage;
}

}  // namespace
}  // namespace corslint

int main(int argc, char** argv) { return corslint::Main(argc, argv); }
