// Suppression comments, written in each format's own comment syntax:
//
//   # corslint: disable=RULE[,RULE] [-- reason]
//   # corslint: disable-next-line=RULE[,RULE] [-- reason]
//   # corslint: disable-file=RULE[,RULE] [-- reason]
//
// (`//` instead of `#` in JavaScript). `disable` covers its own line when
// it follows code there, and the next line when the comment stands alone;
// `disable-next-line` always covers the next line; `disable-file` covers
// the whole file. A finding is covered when its primary location starts on
// a covered line of the file holding the comment.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/policy.h"
#include "analyzer/rule.h"

namespace corslint {

inline constexpr std::string_view kUnusedSuppression = "unused-suppression";

// The meta-rules, reported by the engine rather than by a catalog rule:
// today only `unused-suppression`. Sorted by name.
std::span<const RuleInfo* const> MetaRules();

// The catalog rule or meta-rule named `name`, or null.
const RuleInfo* FindAnyRule(std::string_view name);

// The catalog or meta-rule name closest to `name`, or empty.
std::string SuggestAnyRule(std::string_view name);

// One parsed suppression comment.
struct Suppression {
  enum class Kind { kLine, kNextLine, kFile };

  struct Name {
    std::string rule;
    Span span;  // the name inside the comment
    bool used = false;
  };

  Kind kind = Kind::kLine;
  const SourceFile* file = nullptr;
  int target_line = 0;  // the covered line; 0 for kFile
  std::vector<Name> names;
  std::string reason;  // the text after `--`; may be empty
  Span span;           // from `corslint:` to the end of the comment
};

// The suppressions in the comments of every file of `document`, read with
// the comment syntax of its format. A comment that starts with
// `corslint:` but does not parse adds an `unused-suppression` finding to
// `malformed` naming what is wrong.
std::vector<Suppression> ReadSuppressions(const Document& document,
                                          std::vector<Finding>* malformed);

// Removes from `findings` those a suppression of `document` covers, then
// adds an `unused-suppression` finding (warning) for each rule name of a
// suppression that covered nothing: names of unknown rules always, with a
// "did you mean"; names of known rules when `enabled(rule)` is true (a
// rule turned off in the configuration may fire elsewhere, so suppressing
// it is not reported). `unused-suppression` findings can be suppressed
// like any other.
void ApplySuppressions(const Document& document,
                       const std::function<bool(std::string_view)>& enabled,
                       std::vector<Finding>* findings);

}  // namespace corslint
