// `corslint check --fix`: check, apply the fixes that may be applied,
// check the edited text again, and repeat until nothing changes. The loop
// works on texts in memory; writing them is left to the caller, so that
// `--diff` shows exactly what `--fix` would write.
#pragma once

#include <string>
#include <vector>

#include "analyzer/check.h"

namespace corslint {

struct FixLoopOptions {
  bool unsafe = false;  // also apply unsafe fixes (--unsafe-fixes)
  // A round applies every fix that conflicts with no earlier one; fixes
  // left out, and findings that a fix reveals, wait for the next round.
  int max_rounds = 10;
};

// A file whose text the fixes changed.
struct FixedFile {
  std::string path;  // as the check named it
  std::string original;
  std::string fixed;
};

struct FixLoopResult {
  // The check of the fixed texts: the findings that remain.
  CheckResult result;
  // Changed files, sorted by path.
  std::vector<FixedFile> files;
  // Fixes applied over all rounds.
  size_t applied = 0;
  // False when the last round still applied fixes: the fixes of some
  // findings keep undoing each other. The texts are those of that round.
  bool settled = true;
  // Errors the fixed texts have that the originals did not have: a fix
  // broke the syntax. Such texts must not be written.
  std::vector<InputError> broken;
};

// Checks `paths` as RunCheck does and fixes them in memory. Only files
// below a checked directory, or in the directory of a checked file, are
// changed: a file that an include reaches through --include-root is read,
// never written, and a fix that would edit it is not applied.
FixLoopResult RunFixLoop(const std::vector<std::string>& paths,
                         const CheckOptions& options,
                         const FixLoopOptions& fix_options);

// Writes every changed file with WriteFileAtomically, checking that it
// still holds its original text. Returns the errors, one per file that
// could not be written, as `path: message`; the other files are written.
std::vector<std::string> WriteFixedFiles(const std::vector<FixedFile>& files);

}  // namespace corslint
