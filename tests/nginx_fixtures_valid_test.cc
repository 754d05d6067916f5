// Every nginx fixture and example is a configuration that the real nginx
// accepts, and every file under a directory named `invalid` is one that it
// rejects. One case per file, named after the file's path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "tests/support/real_nginx.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;

using ::testing::HasSubstr;

struct ConfigCase {
  std::string path;  // absolute
  std::string name;  // the path below the scanned directory, as a test name
};

void PrintTo(const ConfigCase& config_case, std::ostream* out) {
  *out << config_case.path;
}

// Which files of a scanned directory a suite takes.
enum class Pick { kValid, kInvalid };

bool UnderInvalid(const fs::path& relative) {
  return std::any_of(relative.begin(), relative.end(),
                     [](const fs::path& part) { return part == "invalid"; });
}

// The files below `dir` (relative to the source tree), sorted, except
// Markdown files; with kValid those outside any `invalid` directory, with
// kInvalid those inside one.
std::vector<ConfigCase> CollectCases(const std::string& dir, Pick pick) {
  fs::path root = fs::path(CORSLINT_SOURCE_DIR) / dir;
  std::vector<fs::path> files;
  std::error_code failure;
  for (fs::recursive_directory_iterator it(root, failure), end;
       !failure && it != end; it.increment(failure)) {
    if (!it->is_regular_file() || it->path().extension() == ".md") continue;
    bool invalid = UnderInvalid(it->path().lexically_relative(root));
    if (invalid == (pick == Pick::kInvalid)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());

  // gtest names hold letters, digits and underscores only; a clash after
  // the mapping gets a number.
  std::vector<ConfigCase> cases;
  std::set<std::string> taken;
  for (const fs::path& file : files) {
    std::string name = file.lexically_relative(root).string();
    for (char& c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    std::string unique = name;
    for (int n = 2; !taken.insert(unique).second; ++n) {
      unique = name + "_" + std::to_string(n);
    }
    cases.push_back({file.string(), unique});
  }
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<ConfigCase>& info) {
  return info.param.name;
}

class NginxAcceptsFileTest : public ::testing::TestWithParam<ConfigCase> {};
class NginxRejectsFileTest : public NginxAcceptsFileTest {};

TEST_P(NginxAcceptsFileTest, Accepted) {
  std::string output;
  EXPECT_TRUE(NginxAcceptsFile(GetParam().path, &output))
      << GetParam().path << ":\n"
      << output;
}

TEST_P(NginxRejectsFileTest, Rejected) {
  std::string output;
  EXPECT_FALSE(NginxAcceptsFile(GetParam().path, &output)) << GetParam().path;
  EXPECT_THAT(output, HasSubstr("test failed")) << GetParam().path;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, NginxAcceptsFileTest,
                         ::testing::ValuesIn(CollectCases("fixtures/nginx",
                                                          Pick::kValid)),
                         CaseName);
INSTANTIATE_TEST_SUITE_P(Examples, NginxAcceptsFileTest,
                         ::testing::ValuesIn(CollectCases("examples/nginx",
                                                          Pick::kValid)),
                         CaseName);
INSTANTIATE_TEST_SUITE_P(InvalidFixtures, NginxRejectsFileTest,
                         ::testing::ValuesIn(CollectCases("fixtures/nginx",
                                                          Pick::kInvalid)),
                         CaseName);

// A wrong path or a lost directory would leave the suites above empty.
TEST(NginxFixtureFilesTest, EverySuiteHasFiles) {
  EXPECT_FALSE(CollectCases("fixtures/nginx", Pick::kValid).empty());
  EXPECT_FALSE(CollectCases("fixtures/nginx", Pick::kInvalid).empty());
  EXPECT_FALSE(CollectCases("examples/nginx", Pick::kValid).empty());
}

}  // namespace
}  // namespace corslint
