// The project configuration file, `.corslint.yaml`: which origins are
// trusted, what each rule does, which files are checked, and per-path
// overrides. Found by walking up from each checked file, or named with
// --config.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "analyzer/source.h"

namespace corslint {

inline constexpr std::string_view kConfigFileName = ".corslint.yaml";

// What a configuration says a rule does.
enum class RuleLevel {
  kOn,    // runs with the rule's own severities
  kOff,   // does not report
  kInfo,  // reports every finding at this severity
  kWarning,
  kError,
};

// A rule's entry in `rules:`; absent fields leave the setting as it was.
struct RuleSetting {
  std::optional<RuleLevel> level;
  std::optional<int> max_age_limit;  // max-age-exceeds-browser-limit only
};

// One configuration file as written, validated.
struct Config {
  std::string path;      // the file; empty for the built-in defaults
  std::string base_dir;  // absolute; globs are relative to it
  std::optional<std::vector<std::string>> trusted_origins;
  std::map<std::string, RuleSetting> rules;
  std::vector<std::string> include;  // empty: every file corslint reads
  std::vector<std::string> exclude;
  struct Override {
    std::vector<std::string> files;  // globs; the override applies to a
                                     // file that matches any of them
    std::optional<std::vector<std::string>> trusted_origins;
    std::map<std::string, RuleSetting> rules;
  };
  std::vector<Override> overrides;  // later ones win
  std::optional<int> flask_cors;    // the flask-cors major version, 3 or 6
};

// Reads the YAML text of a configuration file. Returns nullopt after
// adding at least one error to `errors`, each with the file, line and
// column of the YAML at fault: invalid YAML, unknown keys and rule names
// (with a "did you mean"), wrong types and values.
std::optional<Config> ParseConfig(const std::string& path,
                                  const std::string& text,
                                  std::vector<InputError>* errors);

// Settings given on the command line; they win over every file.
struct CommandLineSettings {
  std::vector<std::string> trusted_origins;  // empty: not given
  std::optional<int> max_age_limit;
};

// What applies to one checked file: its configuration with the matching
// overrides and the command line folded in.
struct FileSettings {
  const Config* config = nullptr;  // never null; may be the defaults
  RuleOptions rule_options;
  std::map<std::string, RuleSetting> rules;
  // The flask-cors release line Flask code is read with; absent: the
  // command's default.
  std::optional<int> flask_cors;

  // The level of `rule`: kOn unless the configuration says otherwise.
  RuleLevel LevelOf(std::string_view rule) const;
};

// Why `origin` cannot be a trusted origin, or empty when it can: it must
// be `scheme://host[:port]` or `scheme://*.domain[:port]`.
std::string TrustedOriginError(std::string_view origin);

// The configurations of one run. Not thread-safe: resolve every file
// before parallel work starts.
class ConfigSet {
 public:
  // With `explicit_path` (--config), that file applies to every checked
  // file; otherwise each file gets the nearest `.corslint.yaml`.
  ConfigSet(std::optional<std::string> explicit_path,
            CommandLineSettings command_line);

  // Registers a checked path (a file or directory given by the user). The
  // search for a file's configuration goes up from the file to the root
  // of the git repository holding that path; outside a repository, to the
  // working directory when the path is below it, else to the checked
  // directory itself: never further.
  void AddRoot(const std::string& path);

  // The settings of the file at `path` (or of a directory, searching from
  // the directory itself). A configuration that cannot be read adds to
  // errors() and the built-in defaults apply meanwhile.
  const FileSettings& ForFile(const std::string& path);

  // Why the file at `path` is left out by `include` or `exclude`, or
  // empty when it is checked. `named` files (given on the command line)
  // are subject to `exclude` only.
  std::string Exclusion(const std::string& path, bool named);

  // Configuration errors so far, in the order found.
  const std::vector<InputError>& errors() const { return errors_; }

 private:
  const Config* Load(const std::string& path);
  const Config* Find(const std::string& absolute_file);

  std::optional<std::string> explicit_path_;
  CommandLineSettings command_line_;
  Config defaults_;
  std::vector<std::pair<std::string, std::string>> roots_;  // dir, boundary
  std::map<std::string, std::unique_ptr<Config>> loaded_;   // by file
  std::map<std::string, const Config*> by_directory_;
  std::map<std::string, std::unique_ptr<FileSettings>> settings_;
  std::vector<InputError> errors_;
};

// The effective configuration of `settings` as YAML that ParseConfig
// reads back to the same settings, headed by comments naming its source.
std::string ShowConfig(const FileSettings& settings, const std::string& path);

}  // namespace corslint
