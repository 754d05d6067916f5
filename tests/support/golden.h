// Golden (snapshot) files for rendered output. A test compares what it
// renders with tests/golden/NAME; the files change only when the tests run
// with CORSLINT_UPDATE_GOLDEN=1 in the environment, and the new files are
// then reviewed like code.
#pragma once

#include <string>

namespace corslint::testing {

// Expects `actual` to equal the golden file `name` (a path below
// tests/golden/). With CORSLINT_UPDATE_GOLDEN=1 writes `actual` there
// instead and passes. A missing golden file fails the test.
void ExpectGolden(const std::string& name, const std::string& actual);

}  // namespace corslint::testing
