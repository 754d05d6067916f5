// The `corslint` command.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/check.h"
#include "analyzer/formats.h"
#include "analyzer/output.h"
#include "analyzer/rule.h"
#include "analyzer/rule_docs.h"
#include "analyzer/simulate_command.h"
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
  bool fix = false;
  bool unsafe_fixes = false;
  bool diff = false;
  bool fix_only = false;
};

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
  if (flags.format != "text" && flags.format != "json") {
    return Usage("--format takes text or json, not \"" + flags.format + "\"");
  }
  options.include_roots = flags.include_roots;
  options.rule_options.trusted_origins = flags.trusted_origins;
  options.rule_options.max_age_limit = flags.max_age_limit;
  options.jobs = flags.jobs;

  if (flags.diff && flags.format != "text") {
    return Usage("--diff prints a diff; it takes no --format");
  }

  std::vector<std::string> paths = flags.paths;
  if (paths.empty()) paths.push_back(".");
  if (flags.fix || flags.fix_only || flags.diff) {
    return RunFixCommand(flags, paths, options, *threshold);
  }
  CheckResult result = RunCheck(paths, options);

  FixReport report;
  report.unsafe = flags.unsafe_fixes;
  if (flags.format == "json") {
    PrintJson(result, std::cout, report);
  } else {
    PrintInputErrors(result, std::cerr);
    PrintText(result, std::cout, report);
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

int RunRulesList(bool markdown) {
  if (markdown) {
    std::cout << RuleTable();
    return kExitClean;
  }
  for (const RuleInfo* rule : AllRules()) {
    std::cout << rule->name << " (" << SeverityName(rule->default_severity)
              << FixKinds(rule->name) << "): " << rule->summary << "\n";
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
  CLI::App* rules = app.add_subcommand("rules", "list every rule");
  rules->add_flag("--markdown", markdown,
                  "print the README's Markdown table instead");

  GenerateFlags generate;
  CLI::App* generate_command = AddGenerateCommand(app, &generate);
  SimulateFlags simulate;
  CLI::App* simulate_command = AddSimulateCommand(app, &simulate);

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
  return kExitUsage;
}

}  // namespace
}  // namespace corslint

int main(int argc, char** argv) { return corslint::Main(argc, argv); }
