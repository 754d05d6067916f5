// `corslint check`: discovery, parsing, rules and the ordered result.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/config.h"
#include "analyzer/policy.h"
#include "analyzer/rule.h"

namespace corslint {

struct CheckOptions {
  std::optional<Format> forced_format;  // --lang
  // Directories outside the checked paths that `include` may read.
  std::vector<std::string> include_roots;
  RuleOptions rule_options;
  // The flask-cors release line Flask code is read with: 3 or 6, or 0 to
  // take it from each file's configuration (default 6).
  int flask_cors_line = 0;
  int jobs = 0;  // 0: one worker per core
  // Configuration files: rule options, levels, include and exclude per
  // file. Null: `rule_options` for every file. Errors loading them are in
  // configs->errors(); RunCheck then stops after discovery.
  ConfigSet* configs = nullptr;
  // Skip named files of no recognised format, as directory walks do,
  // instead of reporting them (for hook managers that pass every file).
  bool skip_unrecognized = false;
  // Edited texts read instead of the files on disk (the fix loop); may be
  // null.
  const SourceOverlay* overlay = nullptr;
};

struct CheckResult {
  // Sorted by file, line, column, rule; no two findings are equal.
  std::vector<Finding> findings;
  // Inputs that could not be read or parsed, sorted by position.
  std::vector<InputError> errors;
  // Files passed over and why (binary, unknown format), for --verbose.
  std::vector<std::string> skipped;
  // The documents the findings point into; spans stay valid while held.
  // Only their files and errors are kept: scopes and checks are released
  // once the rules have run.
  std::vector<std::unique_ptr<Document>> documents;
  size_t files_read = 0;
  size_t bytes_read = 0;
};

CheckResult RunCheck(const std::vector<std::string>& paths,
                     const CheckOptions& options);

}  // namespace corslint
