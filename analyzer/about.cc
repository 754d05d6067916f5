#include "analyzer/about.h"

#include <cctype>
#include <filesystem>
#include <system_error>

namespace corslint {

namespace fs = std::filesystem;

std::string_view Version() { return CORSLINT_VERSION; }

std::string EncodeUriPath(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : path) {
    bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '.' ||
                 c == '_' || c == '~';
    if (plain) {
      encoded += static_cast<char>(c);
      continue;
    }
    encoded += '%';
    encoded += kHex[c >> 4];
    encoded += kHex[c & 15];
  }
  return encoded;
}

std::string FileUri(std::string_view absolute_path) {
  return "file://" + EncodeUriPath(absolute_path);
}

std::string DocsBaseUri() {
  std::string_view configured = CORSLINT_DOCS_URL;
  if (!configured.empty()) {
    std::string base(configured);
    if (!base.ends_with('/')) base += '/';
    return base;
  }

  // An installed program finds its documentation under the same prefix:
  // one level up from the binary directory for each of its components.
  std::error_code error;
  fs::path program = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    fs::path prefix = program.parent_path();
    for ([[maybe_unused]] const auto& part :
         fs::path(CORSLINT_INSTALL_BINDIR)) {
      prefix = prefix.parent_path();
    }
    fs::path docs = prefix / CORSLINT_INSTALL_DOCDIR;
    if (fs::exists(docs / "docs" / "rules", error)) {
      return FileUri(docs.lexically_normal().string()) + "/";
    }
  }
  return FileUri(CORSLINT_SOURCE_ROOT) + "/";
}

}  // namespace corslint
