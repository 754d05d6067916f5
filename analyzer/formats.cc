#include "analyzer/formats.h"

#include <algorithm>
#include <filesystem>

#include "parsers/apache_model.h"
#include "parsers/express_model.h"
#include "parsers/flask_model.h"
#include "parsers/nginx_model.h"
#include "parsers/tree_sitter_support.h"

namespace corslint {

namespace fs = std::filesystem;

std::optional<Format> DetectFormat(const std::string& path,
                                   const std::string& text) {
  fs::path file(path);
  std::string name = file.filename().string();
  std::string extension = file.extension().string();
  std::string parent = file.parent_path().filename().string();

  if (name == "nginx.conf") return Format::kNginx;
  if (name == ".htaccess" || name == "apache2.conf" || name == "httpd.conf") {
    return Format::kApache;
  }
  bool config_name = extension == ".conf" || parent == "sites-enabled" ||
                     parent == "sites-available" || parent == "conf.d" ||
                     parent == "snippets" || parent == "conf-enabled" ||
                     parent == "conf-available";

  // Application code: read when it mentions CORS at all.
  if (name.ends_with(".d.ts")) return std::nullopt;
  if (extension == ".js" || extension == ".mjs" || extension == ".cjs" ||
      extension == ".ts" || extension == ".tsx" || extension == ".mts" ||
      extension == ".cts") {
    if (express::LooksLikeExpress(text)) return Format::kExpress;
    return std::nullopt;
  }
  if (extension == ".py") {
    if (flask::LooksLikeFlask(text)) return Format::kFlask;
    return std::nullopt;
  }

  if (!config_name) return std::nullopt;
  if (nginx::LooksLikeNginx(text)) return Format::kNginx;
  if (apache::LooksLikeApache(text)) return Format::kApache;
  return std::nullopt;
}

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "nginx") return Format::kNginx;
  if (name == "apache") return Format::kApache;
  if (name == "express" || name == "js" || name == "javascript" ||
      name == "ts" || name == "typescript") {
    return Format::kExpress;
  }
  if (name == "flask" || name == "python") return Format::kFlask;
  return std::nullopt;
}

std::string_view FormatNames() { return "nginx, apache, express, flask"; }

namespace {

bool NamesFlask(const std::string& text) {
  return text.find("flask") != std::string::npos ||
         text.find("Flask") != std::string::npos;
}

// The script file name for Express code: TypeScript only when the text
// is not JavaScript but is TypeScript.
std::string ScriptName(const std::string& text) {
  if (!ts::ParsesCleanly(ts::Grammar::kJavaScript, text) &&
      ts::ParsesCleanly(ts::Grammar::kTypeScript, text)) {
    return "snippet.ts";
  }
  return "snippet.js";
}

}  // namespace

std::optional<PasteFormat> DetectPasteFormat(const std::string& text) {
  // Code: a short Python call can be JavaScript too, so Python must also
  // name Flask, and a comment-only configuration parses as Python.
  if (NamesFlask(text) && ts::ParsesCleanly(ts::Grammar::kPython, text) &&
      DetectFormat("snippet.py", text) == Format::kFlask) {
    return PasteFormat{Format::kFlask, "snippet.py"};
  }
  for (auto [grammar, name] :
       {std::pair{ts::Grammar::kJavaScript, "snippet.js"},
        std::pair{ts::Grammar::kTypeScript, "snippet.ts"}}) {
    if (ts::ParsesCleanly(grammar, text) &&
        DetectFormat(name, text) == Format::kExpress) {
      return PasteFormat{Format::kExpress, name};
    }
  }

  // Configurations, told apart as `corslint check` tells a `.conf` file.
  if (std::optional<Format> format = DetectFormat("snippet.conf", text)) {
    return PasteFormat{*format, "snippet.conf"};
  }
  return std::nullopt;
}

std::optional<PasteFormat> NamedPasteFormat(std::string_view name,
                                            const std::string& text) {
  std::optional<Format> format = ParseFormat(name);
  if (!format) return std::nullopt;
  switch (*format) {
    case Format::kExpress:
      if (name == "ts" || name == "typescript") {
        return PasteFormat{*format, "snippet.ts"};
      }
      if (name == "js" || name == "javascript") {
        return PasteFormat{*format, "snippet.js"};
      }
      return PasteFormat{*format, ScriptName(text)};
    case Format::kFlask:
      return PasteFormat{*format, "snippet.py"};
    default:
      return PasteFormat{*format, "snippet.conf"};
  }
}

std::unique_ptr<Document> LoadDocument(Format format, const std::string& path,
                                       std::string text,
                                       const LoaderOptions& options) {
  switch (format) {
    case Format::kNginx: {
      nginx::LoadOptions nginx_options;
      nginx_options.allowed_roots = options.allowed_roots;
      nginx_options.max_file_bytes = options.max_file_bytes;
      nginx_options.overlay = options.overlay;
      return nginx::Load(path, std::move(text), nginx_options);
    }
    case Format::kApache: {
      apache::LoadOptions apache_options;
      apache_options.allowed_roots = options.allowed_roots;
      apache_options.max_file_bytes = options.max_file_bytes;
      apache_options.overlay = options.overlay;
      return apache::Load(path, std::move(text), apache_options);
    }
    case Format::kExpress: {
      express::LoadOptions express_options;
      express_options.allowed_roots = options.allowed_roots;
      express_options.max_file_bytes =
          std::min(options.max_file_bytes, express_options.max_file_bytes);
      return express::Load(path, std::move(text), express_options);
    }
    case Format::kFlask: {
      flask::LoadOptions flask_options;
      flask_options.allowed_roots = options.allowed_roots;
      flask_options.max_file_bytes =
          std::min(options.max_file_bytes, flask_options.max_file_bytes);
      flask_options.flask_cors_line = options.flask_cors_line;
      return flask::Load(path, std::move(text), flask_options);
    }
  }
  auto document = std::make_unique<Document>();
  document->format = format;
  document->path = path;
  document->errors.push_back(
      {Location{path},
       "unknown input format \"" + std::string(FormatName(format)) + "\""});
  return document;
}

}  // namespace corslint
