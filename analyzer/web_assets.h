// The page that `corslint serve` shows: the files under analyzer/web/,
// embedded into the binary when it is built (cmake/embed_web.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace corslint {

struct WebAsset {
  std::string_view name;          // the file name, `index.html`
  std::string_view content_type;  // `text/html; charset=utf-8`
  std::string_view content;
};

// Every embedded file, sorted by name.
const std::vector<WebAsset>& WebAssets();

}  // namespace corslint
