// Glob patterns of the configuration's include, exclude and overrides.
#include "analyzer/glob.h"

#include <gtest/gtest.h>

namespace corslint {
namespace {

struct GlobCase {
  const char* pattern;
  const char* path;
  bool matches;
};

TEST(GlobTest, MatchesAsDocumented) {
  const GlobCase cases[] = {
      // A bare name matches at any depth.
      {"*.conf", "site.conf", true},
      {"*.conf", "conf.d/site.conf", true},
      {"*.conf", "site.conf.bak", false},
      {"nginx.conf", "etc/nginx/nginx.conf", true},
      // With a slash, the pattern is anchored at the configuration's
      // directory, and `*` stays within one segment.
      {"conf.d/*.conf", "conf.d/site.conf", true},
      {"conf.d/*.conf", "etc/conf.d/site.conf", false},
      {"conf.d/*.conf", "conf.d/sub/site.conf", false},
      {"/conf.d/*.conf", "conf.d/site.conf", true},
      {"./conf.d/*.conf", "conf.d/site.conf", true},
      // `**` takes any number of segments, none included.
      {"vendor/**", "vendor/a/b.conf", true},
      {"vendor/**", "vendored/a.conf", false},
      {"**/legacy/*.conf", "legacy/a.conf", true},
      {"**/legacy/*.conf", "x/y/legacy/a.conf", true},
      {"a/**/b.conf", "a/b.conf", true},
      {"a/**/b.conf", "a/x/y/b.conf", true},
      // A trailing slash covers the directory's tree.
      {"legacy/", "legacy/old/site.conf", true},
      {"legacy/", "legacy.conf", false},
      // Character classes and `?`.
      {"site-?.conf", "site-a.conf", true},
      {"site-?.conf", "site-ab.conf", false},
      {"site-[ab].conf", "site-b.conf", true},
      {"site-[!ab].conf", "site-b.conf", false},
      // Hidden files are not special.
      {"*.conf", ".hidden.conf", true},
  };
  for (const GlobCase& c : cases) {
    EXPECT_EQ(GlobMatches(c.pattern, c.path), c.matches)
        << "pattern " << c.pattern << " path " << c.path;
  }
}

TEST(GlobTest, RejectsUnusablePatterns) {
  EXPECT_EQ(GlobError("conf.d/*.conf"), "");
  EXPECT_EQ(GlobError("**/x"), "");
  EXPECT_EQ(GlobError("[]x]"), "");
  EXPECT_NE(GlobError(""), "");
  EXPECT_NE(GlobError("site-[ab.conf"), "");
  EXPECT_NE(GlobError("a/**b/c"), "");
}

}  // namespace
}  // namespace corslint
