// Glob patterns for the `include`, `exclude` and `overrides` lists of the
// configuration file.
#pragma once

#include <string>
#include <string_view>

namespace corslint {

// Whether `path` (relative, `/`-separated, no leading `./`) matches
// `pattern`. `*` matches any run of characters within one path segment,
// `?` one character, `[...]` a character class (`[!...]` negated), and a
// segment that is exactly `**` matches any number of segments. A pattern
// without `/` matches the file name at any depth (`*.conf`); a pattern
// ending in `/` matches everything below that directory.
bool GlobMatches(std::string_view pattern, std::string_view path);

// Why `pattern` is not a usable glob (an unclosed `[`, `**` glued to other
// characters), or empty when it is one.
std::string GlobError(std::string_view pattern);

}  // namespace corslint
