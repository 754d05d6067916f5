#include "analyzer/origin.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace corslint {
namespace {

OriginCheck RegexCheck(const std::string& pattern, bool case_insensitive) {
  OriginCheck check;
  check.kind = OriginCheckKind::kRegex;
  check.pattern = pattern;
  check.case_insensitive = case_insensitive;
  RegexOptions options;
  options.case_insensitive = case_insensitive;
  std::string error;
  check.regex = Regex::Compile(pattern, options, &error);
  EXPECT_NE(check.regex, nullptr) << error;
  return check;
}

struct IntendedCase {
  const char* pattern;
  std::vector<std::string> origins;
  bool subdomains;
};

TEST(IntendedOriginsTest, ReadsOriginsFromRegexes) {
  const IntendedCase cases[] = {
      {R"(^https://app\.example\.com$)", {"https://app.example.com"}, false},
      {R"(example\.com)", {"https://example.com"}, false},
      {R"(^https://(app|admin)\.example\.com$)",
       {"https://app.example.com", "https://admin.example.com"},
       false},
      {R"(^https://(www\.)?example\.com$)",
       {"https://example.com", "https://www.example.com"},
       false},
      {R"(^https://[a-z0-9-]+\.example\.com$)",
       {"https://www.example.com"},
       true},
      {R"(^https?://app\.example\.com(:\d+)?$)",
       {"http://app.example.com", "http://app.example.com:0",
        "https://app.example.com", "https://app.example.com:0"},
       false},
  };
  for (const IntendedCase& c : cases) {
    OriginCheck check = RegexCheck(c.pattern, true);
    bool subdomains = false;
    EXPECT_EQ(IntendedOrigins(check, &subdomains), c.origins) << c.pattern;
    EXPECT_EQ(subdomains, c.subdomains) << c.pattern;
  }
}

TEST(DeriveAttackersTest, OrdersTheClassicBypassesFirst) {
  std::vector<AttackerOrigin> attackers =
      DeriveAttackers("https://app.example.com", false);
  std::vector<std::string> origins;
  for (const AttackerOrigin& attacker : attackers) {
    origins.push_back(attacker.origin);
  }
  EXPECT_EQ(origins, (std::vector<std::string>{
                         "https://app.example.com.attacker.test",
                         "https://evilexample.com",
                         "https://appxexample.com",
                         "https://app.example.com_.attacker.test",
                         "https://app.example.com`.attacker.test",
                         "https://attacker.app.example.com",
                     }));
}

TEST(DeriveAttackersTest, LeavesOutSubdomainsWhenTheyAreIntended) {
  for (const AttackerOrigin& attacker :
       DeriveAttackers("https://www.example.com", true)) {
    EXPECT_NE(attacker.how, "any subdomain");
  }
}

TEST(OriginDefectTest, FindsWhatBrowsersNeverSend) {
  EXPECT_EQ(OriginDefect("https://app.example.com", true), "");
  EXPECT_EQ(OriginDefect("null", true), "");
  EXPECT_NE(OriginDefect("https://app.example.com/", true), "");
  EXPECT_NE(OriginDefect("https://app.example.com/api", true), "");
  EXPECT_NE(OriginDefect("https://*.example.com", true), "");
  EXPECT_NE(OriginDefect("https://app.example.com:443", true), "");
  EXPECT_NE(OriginDefect("app.example.com", true), "");
  EXPECT_NE(OriginDefect("https://App.example.com", true), "");
  EXPECT_EQ(OriginDefect("https://App.example.com", false), "");
  EXPECT_EQ(OriginDefect("https://app.example.com:8443", true), "");
}

TEST(IsInsecureOriginTest, ExemptsLoopback) {
  EXPECT_TRUE(IsInsecureOrigin("http://app.example.com"));
  EXPECT_FALSE(IsInsecureOrigin("https://app.example.com"));
  EXPECT_FALSE(IsInsecureOrigin("http://localhost:3000"));
  EXPECT_FALSE(IsInsecureOrigin("http://127.0.0.1:8080"));
  EXPECT_FALSE(IsInsecureOrigin("http://[::1]:8080"));
  EXPECT_TRUE(IsInsecureOrigin("http://[2001:db8::1]:8080"));
}

TEST(TrustedPatternMatchesTest, CoversExactOriginsAndSubdomainPatterns) {
  EXPECT_TRUE(TrustedPatternMatches("https://app.example.com",
                                    "https://app.example.com"));
  EXPECT_TRUE(TrustedPatternMatches("https://*.example.com",
                                    "https://a.b.example.com"));
  EXPECT_FALSE(
      TrustedPatternMatches("https://*.example.com", "https://example.com"));
  EXPECT_FALSE(
      TrustedPatternMatches("https://*.example.com", "http://a.example.com"));
  EXPECT_FALSE(TrustedPatternMatches("https://*.example.com",
                                     "https://evilexample.com"));
}

TEST(OriginCheckTest, HostnameMasksIgnoreTheScheme) {
  OriginCheck check;
  check.kind = OriginCheckKind::kHostnameMask;
  check.pattern = "*.example.com";
  EXPECT_TRUE(check.Matches("https://a.example.com"));
  EXPECT_TRUE(check.Matches("http://x.y.example.com"));
  EXPECT_FALSE(check.Matches("https://a.example.com:8443"));
  EXPECT_FALSE(check.Matches("https://example.com"));
}

// What `/pattern/g` (or `/pattern/y`, anchored where lastIndex stands)
// answers for an origin, first and right after a test that matched it, as
// RegExp.prototype.test does.
struct StatefulCase {
  const char* pattern;
  bool sticky;
  const char* origin;
  bool fresh;
  std::optional<bool> after_match;
};

TEST(OriginCheckTest, StatefulRegexAnswersByWhereTheLastMatchEnded) {
  const StatefulCase cases[] = {
      // Anchored: the search resumes at the end and finds nothing.
      {R"(^https://app\.example\.com$)", false, "https://app.example.com", true,
       false},
      // Unanchored: a second occurrence after the first match is found.
      {R"(app)", false, "https://app.app.example.com", true, true},
      {R"(example\.com)", false, "https://app.example.com", true, false},
      // A pattern that matches the empty string matches again.
      {R"(x*)", false, "https://app.example.com", true, true},
      // An origin the pattern never matches leaves lastIndex at 0.
      {R"(^https://app\.example\.com$)", false, "https://attacker.test", false,
       false},
      // Sticky: only a match that starts where lastIndex stands counts.
      {R"(https://app\.example\.com)", true, "https://app.example.com", true,
       false},
      {R"(app)", true, "https://app.example.com", false, false},
  };
  for (const StatefulCase& c : cases) {
    SCOPED_TRACE(c.pattern + std::string(" on ") + c.origin);
    OriginCheck check = RegexCheck(c.pattern, false);
    RegexOptions options;
    options.anchor = c.sticky ? RegexAnchor::kStart : RegexAnchor::kSearch;
    std::string error;
    check.regex = Regex::Compile(c.pattern, options, &error);
    check.stateful = true;
    EXPECT_EQ(check.MatchesIn(RegexState::kFresh, c.origin), c.fresh);
    EXPECT_EQ(check.MatchesIn(RegexState::kAfterMatch, c.origin),
              c.after_match);
    EXPECT_EQ(check.MatchesIn(RegexState::kUnknown, c.origin), std::nullopt);
  }
}

TEST(OriginCheckTest, StatelessChecksIgnoreTheRegexState) {
  OriginCheck check = RegexCheck(R"(^https://app\.example\.com$)", false);
  EXPECT_EQ(check.MatchesIn(RegexState::kUnknown, "https://app.example.com"),
            true);
  EXPECT_EQ(check.MatchesIn(RegexState::kAfterMatch, "https://app.example.com"),
            true);
}

}  // namespace
}  // namespace corslint
