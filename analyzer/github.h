// GitHub Actions workflow commands, so that findings appear as
// annotations on a pull request.
#pragma once

#include <ostream>

#include "analyzer/check.h"

namespace corslint {

// One command per finding, `::error file=F,line=L,col=C,endLine=EL,`
// `endColumn=EC,title=RULE::MESSAGE` on one line: errors as `::error`,
// warnings as `::warning`, infos as `::notice`, the help line after the
// message. Input errors become `::error` commands titled `corslint`,
// input warnings `::warning`. Columns count bytes from 1.
void PrintGithub(const CheckResult& result, std::ostream& out);

}  // namespace corslint
