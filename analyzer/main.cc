// The `corslint` command.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/about.h"
#include "analyzer/baseline.h"
#include "analyzer/check.h"
#include "analyzer/config.h"
#include "analyzer/formats.h"
#include "analyzer/github.h"
#include "analyzer/output.h"
#include "analyzer/rule.h"
#include "analyzer/rule_docs.h"
#include "analyzer/sarif.h"
#include "analyzer/serve.h"
#include "analyzer/simulate_command.h"
#include "analyzer/suppressions.h"
#include "fixers/apply.h"
#include "fixers/fix_loop.h"
#include "fixers/fixes.h"
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

// Configuration errors (a bad .corslint.yaml or baseline), for stderr.
int ConfigErrors(const std::vector<InputError>& errors) {
  for (const InputError& error : errors) {
    std::cerr << error.where.file;
    if (error.where.line > 0) {
      std::cerr << ":" << error.where.line << ":" << error.where.column;
    }
    std::cerr << ": error: " << error.message << "\n";
  }
  return kExitUsage;
}

// Whether some input could not be read or parsed; warnings (an include
// left out on purpose) do not count.
bool HasInputErrors(const CheckResult& result) {
  return std::any_of(result.errors.begin(), result.errors.end(),
                     [](const InputError& error) { return !error.warning; });
}

// Settings that `check` and `config --show` share.
struct ConfigFlags {
  std::string config_path;  // --config; empty: search for .corslint.yaml
  std::vector<std::string> trusted_origins;
  std::optional<int> max_age_limit;
};

struct CheckFlags {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string fail_on = "warning";
  std::string lang;
  std::vector<std::string> include_roots;
  int flask_cors = 0;  // 0: as the configuration file says
  ConfigFlags config;
  std::string baseline;
  std::string write_baseline;
  bool exit_zero = false;
  bool skip_unrecognized = false;
  int jobs = 0;
  bool verbose = false;
  bool fix = false;
  bool unsafe_fixes = false;
  bool diff = false;
  bool fix_only = false;
};

// The configuration files of a run with the command line over them, or
// nullptr after printing why the command line is wrong.
std::unique_ptr<ConfigSet> MakeConfigs(const ConfigFlags& flags) {
  for (const std::string& origin : flags.trusted_origins) {
    std::string error = TrustedOriginError(origin);
    if (error.empty()) continue;
    Usage("--trusted-origin \"" + origin +
          "\" is not a trusted origin: " + error);
    return nullptr;
  }
  if (flags.max_age_limit && *flags.max_age_limit < 0) {
    Usage("--max-age-limit must not be negative");
    return nullptr;
  }
  CommandLineSettings command_line{flags.trusted_origins, flags.max_age_limit};
  std::optional<std::string> explicit_path;
  if (!flags.config_path.empty()) explicit_path = flags.config_path;
  return std::make_unique<ConfigSet>(explicit_path, command_line);
}

// --fix, --fix-only and --diff: mend the files, then report what remains
// (--fix), only what was mended (--fix-only), or show the change without
// writing it (--diff).
int RunFixCommand(const CheckFlags& flags,
                  const std::vector<std::string>& paths,
                  const CheckOptions& options, Severity threshold) {
  FixLoopOptions fix_options;
  fix_options.unsafe = flags.unsafe_fixes;
  FixLoopResult loop = RunFixLoop(paths, options, fix_options);
  const CheckResult& result = loop.result;

  // A fix that breaks a file is a corslint bug; nothing is written then.
  if (!loop.broken.empty()) {
    for (const InputError& error : loop.broken) {
      std::cerr << "corslint: error: the fixes would make "
                << error.where.file << ":" << error.where.line << ":"
                << error.where.column << " unreadable (" << error.message
                << "); nothing was written\n";
    }
    return kExitInputError;
  }
  if (!loop.settled) {
    std::cerr << "corslint: warning: the fixes still changed the files after "
              << fix_options.max_rounds << " rounds; the last round is kept\n";
  }

  if (flags.diff) {
    PrintInputErrors(result, std::cerr);
    for (const FixedFile& file : loop.files) {
      std::cout << UnifiedDiff(file.path, file.original, file.fixed);
    }
    if (!result.errors.empty()) return kExitInputError;
    return loop.files.empty() ? kExitClean : kExitFindings;
  }

  std::vector<std::string> write_errors = WriteFixedFiles(loop.files);
  for (const std::string& error : write_errors) {
    std::cerr << "corslint: error: cannot write " << error << "\n";
  }
  FixReport report;
  report.unsafe = flags.unsafe_fixes;
  report.fixing = true;
  report.applied = loop.applied;
  report.files = loop.files.size() - write_errors.size();

  if (flags.fix_only) {
    CheckResult mended;
    mended.files_read = result.files_read;
    mended.errors = result.errors;
    if (flags.format == "json") {
      PrintJson(mended, std::cout, report);
    } else {
      PrintInputErrors(result, std::cerr);
      std::cout << "applied " << report.applied
                << (report.applied == 1 ? " fix" : " fixes") << " to "
                << report.files << (report.files == 1 ? " file" : " files")
                << "\n";
    }
    bool failed = !result.errors.empty() || !write_errors.empty();
    return failed ? kExitInputError : kExitClean;
  }

  if (flags.format == "json") {
    PrintJson(result, std::cout, report);
  } else {
    PrintInputErrors(result, std::cerr);
    PrintText(result, std::cout, report);
  }
  if (!result.errors.empty() || !write_errors.empty()) return kExitInputError;
  for (const Finding& finding : result.findings) {
    if (finding.severity >= threshold) return kExitFindings;
  }
  return kExitClean;
}

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
  const std::string formats[] = {"text", "json", "sarif", "github"};
  if (std::find(std::begin(formats), std::end(formats), flags.format) ==
      std::end(formats)) {
    return Usage("--format takes text, json, sarif or github, not \"" +
                 flags.format + "\"");
  }
  if (flags.flask_cors != 0 && flags.flask_cors != 3 && flags.flask_cors != 6) {
    return Usage("--flask-cors takes 3 or 6, not \"" +
                 std::to_string(flags.flask_cors) + "\"");
  }
  options.flask_cors_line = flags.flask_cors;
  options.include_roots = flags.include_roots;
  options.jobs = flags.jobs;
  options.skip_unrecognized = flags.skip_unrecognized;

  // Configuration files and the baseline, before any input is read.
  std::unique_ptr<ConfigSet> configs = MakeConfigs(flags.config);
  if (!configs) return kExitUsage;
  if (!configs->errors().empty()) return ConfigErrors(configs->errors());
  options.configs = configs.get();
  std::optional<Baseline> baseline;
  if (!flags.baseline.empty()) {
    InputError error;
    baseline = ReadBaseline(flags.baseline, &error);
    if (!baseline) return ConfigErrors({error});
  }

  if (flags.diff && flags.format != "text") {
    return Usage("--diff prints a diff; it takes no --format");
  }

  std::vector<std::string> paths = flags.paths;
  if (paths.empty()) paths.push_back(".");
  if (flags.fix || flags.fix_only || flags.diff) {
    return RunFixCommand(flags, paths, options, *threshold);
  }
  CheckResult result = RunCheck(paths, options);
  if (!configs->errors().empty()) return ConfigErrors(configs->errors());
  if (flags.verbose) {
    for (const std::string& skipped : result.skipped) {
      std::cerr << "corslint: " << skipped << "\n";
    }
  }

  // Recording a baseline accepts every current finding.
  if (!flags.write_baseline.empty()) {
    std::string error;
    if (!WriteBaseline(flags.write_baseline, result, &error)) {
      return Usage(error);
    }
    PrintInputErrors(result, std::cerr);
    std::cerr << "corslint: wrote " << result.findings.size()
              << (result.findings.size() == 1 ? " finding" : " findings")
              << " to " << flags.write_baseline << "\n";
    return HasInputErrors(result) ? kExitInputError : kExitClean;
  }
  if (baseline) {
    size_t known = ApplyBaseline(*baseline, &result);
    if (flags.verbose) {
      std::cerr << "corslint: " << known << " findings are in the baseline "
                << flags.baseline << "\n";
    }
  }

  FixReport report;
  report.unsafe = flags.unsafe_fixes;
  if (flags.format == "json") {
    PrintJson(result, std::cout, report);
  } else if (flags.format == "sarif") {
    PrintSarif(result, std::cout);
  } else if (flags.format == "github") {
    PrintGithub(result, std::cout);
  } else {
    PrintInputErrors(result, std::cerr);
    PrintModelNotes(result, flags.verbose, std::cerr);
    PrintText(result, std::cout, report);
  }

  if (HasInputErrors(result)) return kExitInputError;
  if (flags.exit_zero) return kExitClean;
  for (const Finding& finding : result.findings) {
    if (finding.severity >= *threshold) return kExitFindings;
  }
  return kExitClean;
}

int RunConfigShow(const ConfigFlags& flags, const std::string& path) {
  std::unique_ptr<ConfigSet> configs = MakeConfigs(flags);
  if (!configs) return kExitUsage;
  if (!configs->errors().empty()) return ConfigErrors(configs->errors());
  configs->AddRoot(path);
  const FileSettings& settings = configs->ForFile(path);
  if (!configs->errors().empty()) return ConfigErrors(configs->errors());
  std::cout << ShowConfig(settings, path);
  return kExitClean;
}

int RunExplain(const std::string& name) {
  const RuleInfo* rule = FindAnyRule(name);
  if (rule == nullptr) {
    std::string suggestion = SuggestAnyRule(name);
    return Usage("unknown rule \"" + name + "\"" +
                 (suggestion.empty() ? "" : ", did you mean \"" + suggestion + "\"?"));
  }
  std::cout << RulePage(*rule);
  return kExitClean;
}

// The kinds of fix a rule offers, as listed by `corslint rules`:
// ", safe fix", ", unsafe fix", ", safe and display-only fixes"; empty
// when it offers none.
std::string FixKinds(std::string_view rule) {
  static constexpr std::pair<FixSafety, std::string_view> kNames[] = {
      {FixSafety::kSafe, "safe"},
      {FixSafety::kUnsafe, "unsafe"},
      {FixSafety::kDisplayOnly, "display-only"},
  };
  std::vector<std::string> kinds;
  for (const auto& [safety, name] : kNames) {
    bool offered = std::any_of(
        FixCatalog().begin(), FixCatalog().end(), [&](const FixKind& fix) {
          return fix.rule == rule && fix.safety == safety;
        });
    if (offered) kinds.emplace_back(name);
  }
  if (kinds.empty()) return "";
  std::string text = ", " + kinds[0];
  for (size_t i = 1; i < kinds.size(); ++i) {
    text += (i + 1 == kinds.size() ? " and " : ", ") + kinds[i];
  }
  return text + (kinds.size() == 1 ? " fix" : " fixes");
}

int RunRulesList(bool markdown, const std::string& docs_dir) {
  if (!docs_dir.empty()) {
    std::string error;
    if (!WriteRulePages(docs_dir, &error)) return Usage(error);
    return kExitClean;
  }
  if (markdown) {
    std::cout << RuleTable();
    return kExitClean;
  }
  for (const RuleInfo* rule : AllRules()) {
    std::cout << rule->name << " (" << SeverityName(rule->default_severity)
              << FixKinds(rule->name) << "): " << rule->summary << "\n";
  }
  for (const RuleInfo* rule : MetaRules()) {
    std::cout << rule->name << " (" << SeverityName(rule->default_severity)
              << ", meta-rule): " << rule->summary << "\n";
  }
  return kExitClean;
}

// The options that `check` and `config --show` share. `max_age_limit` is
// copied into `flags` after parsing when the option was given.
void AddConfigOptions(CLI::App* command, ConfigFlags* flags,
                      int* max_age_limit) {
  command->add_option("--config", flags->config_path,
                      "use this configuration file instead of searching "
                      "for .corslint.yaml");
  command
      ->add_option("--trusted-origin", flags->trusted_origins,
                   "an origin the project trusts (repeatable; "
                   "`https://*.example.com` covers subdomains); replaces "
                   "the configuration's trusted-origins")
      ->allow_extra_args(false);
  command->add_option("--max-age-limit", *max_age_limit,
                      "seconds of Access-Control-Max-Age above which to "
                      "warn (default 7200); wins over the configuration");
}

int Main(int argc, char** argv) {
  CLI::App app{"corslint: a static analyzer for CORS configurations",
               "corslint"};
  app.set_version_flag("--version", "corslint " + std::string(Version()));
  app.require_subcommand(1);

  CheckFlags check;
  CLI::App* check_command =
      app.add_subcommand("check", "check files and directories for CORS mistakes");
  check_command->add_option("paths", check.paths,
                            "files and directories (default: .)");
  check_command
      ->add_option("--format", check.format, "text, json, sarif or github")
      ->capture_default_str();
  check_command
      ->add_option("--fail-on", check.fail_on,
                   "lowest severity that makes the exit code 1: error, "
                   "warning or info")
      ->capture_default_str();
  check_command->add_option(
      "--lang", check.lang,
      "read every file as this format (nginx, apache, express, flask)");
  check_command
      ->add_option("--flask-cors", check.flask_cors,
                   "the flask-cors release line Flask code runs with: 3 "
                   "(3.0.x, as Debian ships it) or 6")
      ->capture_default_str();
  check_command->add_option(
      "--include-root", check.include_roots,
      "a directory outside the checked paths that include directives may read")
      ->allow_extra_args(false);
  int check_max_age = 0;
  AddConfigOptions(check_command, &check.config, &check_max_age);
  check_command->add_option("--baseline", check.baseline,
                            "report only findings that this baseline file "
                            "does not record");
  check_command->add_option("--write-baseline", check.write_baseline,
                            "record every current finding in this file and "
                            "exit 0");
  check_command->add_flag("--exit-zero", check.exit_zero,
                          "exit 0 even when findings are reported (input "
                          "and usage errors still fail)");
  check_command->add_flag("--skip-unrecognized", check.skip_unrecognized,
                          "skip named files of no format corslint reads, "
                          "as directory walks do (for pre-commit)");
  check_command->add_option("-j,--jobs", check.jobs,
                            "worker threads (default: one per core)");
  check_command->add_flag("-v,--verbose", check.verbose,
                          "say which files were skipped and what code was not followed");
  check_command->add_flag("--fix", check.fix,
                          "apply the safe fixes to the files, then report "
                          "what remains");
  check_command->add_flag("--unsafe-fixes", check.unsafe_fixes,
                          "also apply (or count as fixable) the fixes that "
                          "change which origins or requests are allowed");
  check_command->add_flag("--diff", check.diff,
                          "print the fixes as a unified diff and write "
                          "nothing");
  check_command->add_flag("--fix-only", check.fix_only,
                          "apply the fixes and report only how many were "
                          "applied");

  std::string rule_name;
  CLI::App* explain = app.add_subcommand("explain", "print a rule's documentation");
  explain->add_option("rule", rule_name, "the rule's name")->required();

  bool markdown = false;
  std::string docs_dir;
  CLI::App* rules = app.add_subcommand("rules", "list every rule");
  rules->add_flag("--markdown", markdown,
                  "print the README's Markdown table instead");
  rules->add_option("--write-docs", docs_dir,
                    "write every rule's page to DIR/NAME.md (docs/rules)");

  ConfigFlags config;
  int config_max_age = 0;
  bool show = false;
  std::string show_path = ".";
  CLI::App* config_command = app.add_subcommand(
      "config", "print the effective configuration for a path");
  config_command->add_flag("--show", show, "print it as YAML")->required();
  config_command->add_option("path", show_path,
                             "a file or directory (default: .)");
  AddConfigOptions(config_command, &config, &config_max_age);

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

  if (check_command->count("--max-age-limit")) {
    check.config.max_age_limit = check_max_age;
  }
  if (config_command->count("--max-age-limit")) {
    config.max_age_limit = config_max_age;
  }

  if (check_command->parsed()) return RunCheckCommand(check);
  if (explain->parsed()) return RunExplain(rule_name);
  if (rules->parsed()) return RunRulesList(markdown, docs_dir);
  if (config_command->parsed()) return RunConfigShow(config, show_path);
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
