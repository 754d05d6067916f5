// The sorted table of every rule.
#include "analyzer/rule.h"

namespace corslint {

extern const RuleInfo kAuthorizationNotCoveredByWildcard;
extern const RuleInfo kCorsHeadersMissingOnErrors;
extern const RuleInfo kDuplicateCorsHeader;
extern const RuleInfo kInheritedHeadersDropped;
extern const RuleInfo kInsecureOriginAllowed;
extern const RuleInfo kInvalidCredentialsValue;
extern const RuleInfo kMalformedOrigin;
extern const RuleInfo kMaxAgeExceedsBrowserLimit;
extern const RuleInfo kMissingVaryOrigin;
extern const RuleInfo kMultipleOriginsInHeader;
extern const RuleInfo kNullOriginAllowed;
extern const RuleInfo kPermissiveOriginPattern;
extern const RuleInfo kPreflightNotHandled;
extern const RuleInfo kReflectedOrigin;
extern const RuleInfo kStatefulOriginRegex;
extern const RuleInfo kUntrustedOriginAllowed;
extern const RuleInfo kWildcardIgnoredWithCredentials;
extern const RuleInfo kWildcardOrigin;
extern const RuleInfo kWildcardOriginWithCredentials;

namespace {

// Keep sorted by name; a test checks the order.
const RuleInfo* const kRules[] = {
    &kAuthorizationNotCoveredByWildcard,
    &kCorsHeadersMissingOnErrors,
    &kDuplicateCorsHeader,
    &kInheritedHeadersDropped,
    &kInsecureOriginAllowed,
    &kInvalidCredentialsValue,
    &kMalformedOrigin,
    &kMaxAgeExceedsBrowserLimit,
    &kMissingVaryOrigin,
    &kMultipleOriginsInHeader,
    &kNullOriginAllowed,
    &kPermissiveOriginPattern,
    &kPreflightNotHandled,
    &kReflectedOrigin,
    &kStatefulOriginRegex,
    &kUntrustedOriginAllowed,
    &kWildcardIgnoredWithCredentials,
    &kWildcardOrigin,
    &kWildcardOriginWithCredentials,
};

}  // namespace

std::span<const RuleInfo* const> AllRules() { return kRules; }

}  // namespace corslint
