// Rendering check results for people (text) and programs (JSON).
#pragma once

#include <ostream>

#include "analyzer/check.h"

namespace corslint {

// What a run may do and did about fixes, for the reports.
struct FixReport {
  bool unsafe = false;  // --unsafe-fixes: unsafe fixes count as fixable
  bool fixing = false;  // --fix ran; the findings are those that remain
  size_t applied = 0;   // fixes applied
  size_t files = 0;     // files changed
};

// Findings in the diagnostic form `path:line:col: severity: message [rule]`
// with the source line, a caret, notes, the demonstrating request, a help
// line and the fixes on offer (`fix:` and `suggestion:` lines), then a
// summary that says how many findings `--fix` would mend and how many more
// `--unsafe-fixes` would. Columns count bytes from 1.
void PrintText(const CheckResult& result, std::ostream& out,
               const FixReport& fixes = {});

// Input errors (unreadable or unparsable files) in the same form, for
// stderr.
void PrintInputErrors(const CheckResult& result, std::ostream& out);

// What the analyzer could not follow in application code and
// configurations, as `path:line:col: note: message` lines. With `all`
// false, only the notes that hide a policy: those at an origin check of
// unknown kind, or at code that sends a CORS header whose value is unknown.
void PrintModelNotes(const CheckResult& result, bool all, std::ostream& out);

// The documented JSON form (schema version 1): `findings` (each with its
// `fixes` and their edits), `errors`, `notes` (every model note, with
// `hides_policy`) and `summary`.
void PrintJson(const CheckResult& result, std::ostream& out,
               const FixReport& fixes = {});

}  // namespace corslint
