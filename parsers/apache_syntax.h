// The syntax of Apache httpd configuration files and .htaccess files, read
// the way httpd's own reader (ap_cfg_getline, ap_getword_conf and
// ap_build_config) reads them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/source.h"

namespace corslint::apache {

// One argument after httpd's word splitting. A word that starts with `"` or
// `'` runs to the matching quote, and inside it `\<quote>` and `\\` are
// decoded; an unquoted word runs to the next whitespace and only `\\` is
// decoded. Quotes elsewhere in a word are ordinary characters.
struct Word {
  std::string value;
  Span span;  // the word as written, quotes included
  bool quoted = false;
};

// A directive, or a section (`<Location /x>` ... `</Location>`) with the
// directives inside it.
struct Directive {
  std::string name;  // as written; a section's name without the `<`
  Span name_span;
  std::vector<Word> args;  // a section's arguments without the final `>`
  Span span;               // the logical line; a section's opening line
  bool is_section = false;
  std::vector<Directive> body;

  // Directive names are case-insensitive in httpd.
  bool Is(std::string_view other) const;
};

// Sections nested deeper than this are refused with an error, so that
// hostile input cannot exhaust memory or the stack. Real configurations
// nest a handful of levels.
inline constexpr int kMaxNesting = 100;

// httpd refuses a logical line longer than this in the main configuration.
inline constexpr size_t kMaxLineBytes = 16u << 20;

// Parses a whole file. Backslash-newline joins physical lines (before the
// comment test, so a comment ending in `\` swallows the next line), a
// logical line whose first non-blank character is `#` is a comment, and
// `${VAR}` is left as written. On a syntax error (an unclosed, mismatched
// or stray section, a section line without `>`, nesting deeper than
// kMaxNesting, an over-long line) returns false, fills `error` with the
// message and position, and leaves in `out` the directives read before the
// error, with any open sections closed.
bool Parse(const SourceFile& file, std::vector<Directive>* out,
           InputError* error);

// A compact canonical form of parsed directives for tests: one line per
// directive, sections indented, each argument in brackets.
std::string DumpDirectives(const std::vector<Directive>& directives);

}  // namespace corslint::apache
