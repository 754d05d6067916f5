// A compact canonical form of an Express or Flask document for the
// parsers' table tests: each scope's answers to four probe requests at its
// sample path, then the origin checks, the notes and the errors.
#pragma once

#include <memory>
#include <string>

#include "analyzer/policy.h"

namespace corslint::testing {

// Loads `text` as the file `name` (its extension picks the grammar) in a
// fresh temporary directory that also holds `siblings` (name, text pairs),
// with that directory as the only allowed root.
std::unique_ptr<Document> LoadCode(
    Format format, const std::string& name, const std::string& text,
    const std::vector<std::pair<std::string, std::string>>& siblings = {},
    int flask_cors_line = 6);

// The probes are GET and a PUT preflight (with Content-Type) from
// https://app.example.com, GET from https://attacker.test, and GET from
// https://app.example.com whose handler fails with 500. Lines:
//   scope NAME @PATH
//     GET app -> STATUS RESPONDER
//       Header: value
//   check KIND PATTERN
//   note LINE:COL MESSAGE
//   error LINE:COL MESSAGE
std::string DumpCode(const Document& document);

}  // namespace corslint::testing
