#include "parsers/nginx_model.h"

#include <algorithm>
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
    const std::string& name = directive.name();
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

  std::vector<Directive> directives =
      ReadWithIncludes(root, options, document.get());
  BuildConfig(directives, ContextOf(directives), Span{root, 0, 0},
              document.get());
  return document;
}

bool LooksLikeNginx(const std::string& text) {
  // httpd containers and header directives never start an nginx file.
  for (std::string_view marker : {"<VirtualHost", "<Directory", "<IfModule",
                                  "<Location", "\nHeader ", "\nHeader\t"}) {
    if (text.find(marker) != std::string::npos) return false;
  }

  // The first directives tell; a prefix is enough and keeps detection
  // cheap beside the full parse that follows it.
  constexpr size_t kSample = 16 * 1024;
  SourceFile file("", text.substr(0, kSample));
  std::vector<Directive> directives;
  InputError error;
  Parse(file, &directives, &error);
  return HasNginxShapedDirective(directives);
}

}  // namespace corslint::nginx
