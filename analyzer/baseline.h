// Baselines: the findings a team has accepted, recorded so that only new
// ones are reported. Findings are matched by rule, file and a fingerprint
// of the offending code, never by line, so edits elsewhere in a file do
// not bring accepted findings back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/check.h"

namespace corslint {

// The fingerprint of each finding, in order: a hash of the rule and of the
// offending code (the text of the finding's primary span, runs of white
// space folded to one space), then `:N` where N counts the earlier
// findings with the same file and hash. The line never enters it.
std::vector<std::string> Fingerprints(const std::vector<Finding>& findings);

struct BaselineEntry {
  std::string rule;
  std::string file;  // relative to the baseline file's directory, `/`
  std::string fingerprint;
};

struct Baseline {
  std::string path;
  std::vector<BaselineEntry> entries;
};

// Writes every finding of `result` to `path` as a baseline (JSON, version
// 1, sorted so that it diffs well). Returns false and sets `error` when
// the file cannot be written.
bool WriteBaseline(const std::string& path, const CheckResult& result,
                   std::string* error);

// Reads the baseline at `path`. Returns nullopt and sets `error` (with the
// line and column of invalid JSON) when it cannot be read or is not a
// baseline.
std::optional<Baseline> ReadBaseline(const std::string& path,
                                     InputError* error);

// Removes from `result` the findings that `baseline` records; returns how
// many were removed.
size_t ApplyBaseline(const Baseline& baseline, CheckResult* result);

}  // namespace corslint
