#include "parsers/nginx_model.h"

#include <algorithm>
#include <memory>
#include <string_view>
#include <utility>

#include "parsers/nginx_config.h"
#include "parsers/nginx_include.h"
#include "parsers/nginx_syntax.h"

namespace corslint::nginx {
namespace {

// Top-level directives that only the body of `http` holds.
bool IsHttpBodyDirective(std::string_view name) {
  return name == "server" || name == "map" || name == "upstream" ||
         name == "geo" || name == "split_clients";
}

RootContext ContextOf(const std::vector<Directive>& directives) {
  bool http_body = false;
  for (const Directive& directive : directives) {
    std::string_view name = directive.name();
    if (name == "http" || name == "events") return RootContext::kMain;
    http_body = http_body || IsHttpBodyDirective(name);
  }
  return http_body ? RootContext::kHttp : RootContext::kLocation;
}

// Directive names that, between them, only nginx configurations use.
bool IsNginxShaped(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "add_header",
      "add_header_inherit",
      "error_page",
      "events",
      "fastcgi_pass",
      "grpc_pass",
      "http",
      "listen",
      "location",
      "map",
      "more_clear_headers",
      "more_set_headers",
      "proxy_hide_header",
      "proxy_pass",
      "proxy_set_header",
      "return",
      "rewrite",
      "server",
      "server_name",
      "try_files",
      "upstream",
      "uwsgi_pass",
      "worker_processes",
  };
  return std::find(std::begin(kNames), std::end(kNames), name) !=
         std::end(kNames);
}

bool HasNginxShapedDirective(const std::vector<Directive>& directives) {
  for (const Directive& directive : directives) {
    if (IsNginxShaped(directive.name())) return true;
    if (directive.has_block && HasNginxShapedDirective(directive.block)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::unique_ptr<Document> Load(const std::string& path, std::string text,
                               const LoadOptions& options) {
  auto document = std::make_unique<Document>();
  document->format = Format::kNginx;
  document->path = path;
  const SourceFile* root = document->AddFile(path, std::move(text));

  bool changed = false;
  std::vector<Directive> directives =
      ReadWithIncludes(root, options, document.get(), &changed);
  BuildConfig(directives, ContextOf(directives), Span{root, 0, 0},
              document.get());
  // The fixers read the tree again unless it is the root file's own,
  // parsed without an error.
  if (!changed && document->errors.empty()) {
    document->root_syntax =
        std::make_shared<const std::vector<Directive>>(std::move(directives));
  }
  return document;
}

bool LooksLikeNginx(const std::string& text) {
  // httpd containers and header directives never start an nginx file.
  // One pass for each marker's first character: '<' and 'H' are rare in
  // nginx configurations.
  std::string_view view(text);
  for (size_t at = view.find('<'); at != view.npos;
       at = view.find('<', at + 1)) {
    for (std::string_view tag :
         {"VirtualHost", "Directory", "IfModule", "Location"}) {
      if (view.substr(at + 1).starts_with(tag)) return false;
    }
  }
  for (size_t at = view.find("Header"); at != view.npos;
       at = view.find("Header", at + 1)) {
    size_t next = at + 6;
    if (at > 0 && view[at - 1] == '\n' && next < view.size() &&
        (view[next] == ' ' || view[next] == '\t')) {
      return false;
    }
  }

  // The first directives tell; a prefix is usually enough and keeps
  // detection cheap beside the full parse that follows it. A short prefix
  // only ever says yes. A prefix that holds only comments says nothing,
  // so the whole text decides then.
  constexpr size_t kGlance = 512;
  constexpr size_t kSample = 4 * 1024;
  for (size_t limit : {kGlance, kSample, text.size()}) {
    SourceFile file("", text.substr(0, limit));
    std::vector<Directive> directives;
    InputError error;
    Parse(file, &directives, &error);
    if (HasNginxShapedDirective(directives)) return true;
    if (limit == kGlance && limit < text.size()) continue;
    if (!directives.empty() || limit >= text.size()) return false;
  }
  return false;
}

}  // namespace corslint::nginx
