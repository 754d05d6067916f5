// The syntax of nginx configuration files, read the way nginx's own
// tokenizer (ngx_conf_read_token) reads them.
#pragma once

#include <string>
#include <vector>

#include "analyzer/source.h"

namespace corslint::nginx {

// One word of a directive after nginx's escape decoding: `\"`, `\'`, `\\`,
// `\t`, `\r` and `\n` are decoded, any other `\x` stays as two characters.
struct Word {
  std::string value;
  Span span;  // the word as written, quotes included
  bool quoted = false;
};

// A directive: its words (the first is the name) and, for a block
// directive, the directives inside its braces.
struct Directive {
  std::vector<Word> words;
  Span span;  // from the first word to the `;` or the closing `}`
  bool has_block = false;
  std::vector<Directive> block;

  std::string_view name() const { return words.front().value; }
  size_t arg_count() const { return words.size() - 1; }
  const std::string& arg(size_t i) const { return words[i + 1].value; }
};

// Nesting deeper than this is refused with an error, so that hostile input
// cannot exhaust the stack. Real configurations nest a handful of levels.
inline constexpr int kMaxNesting = 100;

// Parses a whole file, replacing the contents of `out`. On a syntax error,
// returns false, fills `error` with the message nginx would report
// (`unexpected "}"`, `unexpected end of file, expecting ";" or "}"`, ...)
// and the position of the culprit (the end of the file for an unexpected
// end), and leaves in `out` the directives read before the error: blocks
// still open at the error are closed there and hold what was read of them.
// Words of 4096 bytes or more are refused as nginx refuses them ("too long
// parameter"), and so is a file too large for a Span's 32-bit offsets.
// Parsing uses no recursion, so hostile nesting cannot exhaust the stack.
bool Parse(const SourceFile& file, std::vector<Directive>* out,
           InputError* error);

// A compact canonical form of parsed directives for tests and debugging:
// one line per directive, indented two spaces per nesting level, holding
// its words and then `;`, or ` {` for a block directive (whose directives
// follow on the deeper lines). Each word is shown in double quotes with
// `\"`, `\\`, `\t`, `\r`, `\n` and `\xHH` escapes (for other bytes outside
// printable ASCII), prefixed by `q` when it was quoted in the source:
//   "location" "/" {
//     "add_header" "X" q"a b";
std::string DumpSyntax(const std::vector<Directive>& directives);

}  // namespace corslint::nginx
