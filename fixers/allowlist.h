// The origins a mended origin check should admit, and the regular
// expression (PCRE, as nginx and httpd use it) that admits exactly those.
// Shared by the unsafe fixes of every format.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/policy.h"

namespace corslint {

// An allowlist entry is an exact origin (`https://app.example.com`) or an
// origin whose host starts with `*.`, for any subdomain of the rest
// (`https://*.example.com`, as in `trusted-origins`).

// What a mended check keeps of the origins it seems meant to admit.
enum class Mend {
  kAnchor,        // all of them, matched whole
  kDropNull,      // all but `null`
  kDropInsecure,  // all but `http://` ones other than loopback
};

// The entries `check` should admit once mended: the origins it seems meant
// to admit (a label that the pattern leaves open becomes `*.`), without
// `null`, without `http://` origins other than loopback for kDropInsecure
// and kAnchor, and, when `trusted` is not empty, only those it covers.
// Empty when the intended origins cannot be read or nothing remains.
std::vector<std::string> MendedOrigins(const OriginCheck& check, Mend mend,
                                       const std::vector<std::string>& trusted);

// An anchored expression that matches exactly `entries`:
// `^https://app\.example\.com$`, several joined in one group with `|`,
// `*.` as one or more labels.
std::string AllowlistRegex(const std::vector<std::string>& entries);

// Whether `regex`, compiled as the check compiles its own (the same case
// sensitivity), admits every entry (a subdomain for `*.` ones) and none of
// the origins an attacker would try against them, nor `null`. Guards every
// rewritten pattern before it is offered.
bool AllowlistRegexHolds(const std::string& regex, bool case_insensitive,
                         const std::vector<std::string>& entries);

// Whether `text` reads as an nginx or httpd value that uses a capture of
// the last regex match (`$1` to `$9`), which a rewritten pattern would
// renumber.
bool UsesCaptures(std::string_view text);

}  // namespace corslint
