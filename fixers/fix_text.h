// Building edits that fit the text around them: the line a construct
// stands on, its indentation, the file's line endings and quoting. Shared
// by the fixers of every format.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analyzer/rule.h"

namespace corslint {

// "\r\n" when the line holding `offset` ends so, "\n" when it ends with a
// bare newline; for a last line without a terminator, the ending of the
// line before it, else "\n".
std::string LineEndingAt(std::string_view text, size_t offset);

// The blanks between the start of the line holding `offset` and `offset`,
// or nullopt when something else stands there.
std::optional<std::string> IndentBefore(std::string_view text, size_t offset);

// Whether only blanks follow `offset` to the end of its line, or blanks and
// then a comment opened by `comment` (0: comments not allowed).
bool RestOfLineBlank(std::string_view text, size_t offset, char comment);

// An edit that adds `line` (without a terminator) after the construct
// `span`: on a line of its own with the construct's indentation when the
// construct stands alone on its lines, otherwise right after it, after one
// space. `comment` is the format's comment character, which may follow the
// construct on its line.
Edit InsertLineAfter(const Span& span, std::string_view line, char comment);

// An edit that adds `line` before the construct `span`, on a line of its
// own with its indentation when it stands alone on its line, otherwise
// right before it, followed by one space.
Edit InsertLineBefore(const Span& span, std::string_view line);

// An edit that removes the construct `span`: its whole line, terminator
// included, when it stands alone there (a comment after it goes too),
// otherwise the construct and the blanks that follow it on its line.
Edit RemoveConstruct(const Span& span, char comment);

// A span of `file` from `begin` to `end`.
Span SpanOf(const SourceFile* file, size_t begin, size_t end);

// Replaces the content of the word written at `word` (quotes included
// when `quoted`), keeping its quotes: `"True"` becomes `"true"`. `decoded`
// is its value after unescaping; when that differs from what is written
// between the quotes, the word holds escapes, its content cannot be
// replaced by position, and nullopt is returned.
std::optional<Edit> ReplaceWordContent(const Span& word, bool quoted,
                                       std::string_view decoded,
                                       std::string_view replacement);

// The item list of a header value with `*` taken out: `GET, *, PUT`
// becomes `GET, PUT`, keeping the separators of the remaining items.
// Returns nullopt when `*` is not an item or is the only one.
std::optional<std::string> RemoveStarItem(std::string_view value);

}  // namespace corslint
