// Applying fixes to text: choosing the fixes of one round that can go
// together, editing the text, showing the change as a unified diff and
// writing it back so that a file is never left half-written.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"

namespace corslint {

// Whether a run applies `fix`: safe fixes always, unsafe ones only when
// `unsafe` (--unsafe-fixes), display-only ones never. A fix without edits
// is never applied.
bool FixApplies(const Fix& fix, bool unsafe);

// One edit resolved to a byte range of a file's text.
struct TextEdit {
  size_t begin = 0;
  size_t end = 0;  // begin == end inserts
  std::string replacement;

  bool operator==(const TextEdit& other) const = default;
};

// Whether two edits of one text cannot both be applied: they replace a
// common byte, one inserts strictly inside the range the other replaces,
// or both insert different text at the same place. Edits that only touch
// (an insertion at either end of a replaced range) do not conflict; the
// insertion at the start goes before the replacement, the one at the end
// after it.
bool EditsConflict(const TextEdit& a, const TextEdit& b);

// The edits chosen for one round.
struct EditPlan {
  // Per file (the SourceFile the spans point into): edits sorted by
  // position, none conflicting, no two equal.
  std::map<const SourceFile*, std::vector<TextEdit>> edits;
  // Indices into the fixes given: those whose edits are all in the plan
  // (a fix whose edits an earlier fix already made counts as applied),
  // and those left out because an edit conflicts with an earlier fix.
  std::vector<size_t> applied;
  std::vector<size_t> deferred;
};

// Takes `fixes` in the order given and keeps each fix whose edits conflict
// with no edit kept before, all of a fix's edits or none. The result
// depends only on the order and content of `fixes`. Edits whose span has
// no file, or runs past the end of its file, make their fix deferred.
EditPlan PlanEdits(const std::vector<const Fix*>& fixes);

// `text` with `edits` applied. The edits must be sorted by (begin, end)
// and must not conflict; every byte outside their ranges is kept, in
// order.
std::string ApplyEdits(std::string_view text,
                       const std::vector<TextEdit>& edits);

// A unified diff with three lines of context from `before` to `after`,
// headed `--- a/PATH` and `+++ b/PATH`; empty when the texts are equal.
// Lines keep their `\r`; a last line without a newline is followed by
// `\ No newline at end of file`.
std::string UnifiedDiff(std::string_view path, std::string_view before,
                        std::string_view after);

// Replaces the content of the file at `path` with `text`, so that a reader
// or an interrupted run sees either the old content or the new one: the
// text goes to a temporary file in the same directory, which gets the
// file's permission bits (and owner, where allowed), is flushed to disk
// and renamed over the file. When `path` is a symbolic link, the file it
// points to is replaced and the link stays. When `expected` is given, the
// file must still hold exactly that text, so that a change made on disk
// since it was read is not overwritten. Returns false with `error` set
// when the file could not be replaced; it is then unchanged.
bool WriteFileAtomically(const std::string& path, std::string_view text,
                         const std::string* expected, std::string* error);

}  // namespace corslint
