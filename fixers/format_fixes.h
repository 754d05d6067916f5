// The fixers of each input format, called by AddFixes. Internal to
// fixers/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/analysis.h"
#include "analyzer/rule.h"

namespace corslint {

struct FixContext {
  const Analysis& analysis;
  const RuleOptions& options;
};

// Attach fixes to the findings of a document of each format; `findings`
// holds every finding of the document, so that a fixer can weigh one
// finding against the others.
void AddNginxFixes(const FixContext& context, std::vector<Finding>* findings);
void AddApacheFixes(const FixContext& context, std::vector<Finding>* findings);
void AddExpressFixes(const FixContext& context, std::vector<Finding>* findings);
void AddFlaskFixes(const FixContext& context, std::vector<Finding>* findings);

Fix MakeFix(FixSafety safety, std::string description, std::vector<Edit> edits);

// The origin check of `document` whose pattern is written at `span`, or
// null.
const OriginCheck* CheckAt(const Document& document, const Span& span);

// Whether `response` tells caches that it depends on the Origin: a `Vary`
// that lists `Origin` or `*`, or one whose value is unknown.
bool VariesOnOrigin(const Response& response);

// A name for something new (a variable): `base` when no file of
// `document` contains it yet, else `base_2`, `base_3`, ...
std::string UnusedName(const Document& document, const std::string& base);

// Whether some finding says that origins outside the intended ones are
// allowed (reflection, a loose pattern, `null`, `http://`, an untrusted
// origin): a fix that makes credentials work would then hand them to
// those origins, so it is unsafe.
bool AdmitsUnintendedOrigins(const std::vector<Finding>& findings);

}  // namespace corslint
