// What corslint says about itself: its version and where its
// documentation lives.
#pragma once

#include <string>
#include <string_view>

namespace corslint {

// The release, e.g. "0.1.0".
std::string_view Version();

// The absolute URI, ending in `/`, below which `README.md` and
// `docs/rules/NAME.md` are found: the URL the build was configured with
// (CORSLINT_DOCS_URL), else the documentation installed beside the running
// program, else the source tree it was built from.
std::string DocsBaseUri();

// `path` as a `file://` URI, percent-encoding what a URI cannot hold.
std::string FileUri(std::string_view absolute_path);

// `path` percent-encoded for use as a relative URI reference.
std::string EncodeUriPath(std::string_view path);

}  // namespace corslint
