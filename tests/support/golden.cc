#include "tests/support/golden.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace corslint::testing {

void ExpectGolden(const std::string& name, const std::string& actual) {
  std::filesystem::path path =
      std::filesystem::path(CORSLINT_SOURCE_DIR) / "tests" / "golden" / name;

  const char* update = std::getenv("CORSLINT_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
    return;
  }

  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "golden file " << path
                         << " is missing; run the tests with "
                            "CORSLINT_UPDATE_GOLDEN=1 to create it";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual)
      << "output differs from " << path
      << "; if the change is intended, rerun with CORSLINT_UPDATE_GOLDEN=1 "
         "and review the diff";
}

}  // namespace corslint::testing
