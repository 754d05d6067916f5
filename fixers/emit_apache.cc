// Apache httpd: SetEnvIf with anchored, escaped patterns for the
// allowlist, `Header always` so that httpd's own error pages carry the
// headers too, and a rewrite rule that answers preflights.
#include "fixers/emitters.h"

namespace corslint {

namespace {

// `^origin$` with every PCRE metacharacter escaped, so the pattern matches
// the whole Origin header and nothing else.
std::string AnchoredPattern(std::string_view origin) {
  static constexpr std::string_view kMeta = "\\^$.|?*+()[]{}";
  std::string pattern = "^";
  for (char c : origin) {
    if (kMeta.find(c) != std::string_view::npos) pattern += '\\';
    pattern += c;
  }
  return pattern + "$";
}

}  // namespace

std::string EmitApache(const PolicySpec& spec) {
  std::string out = DescribePolicy(spec, "# ", Target::kApache);
  out +=
      "#\n"
      "# Put these directives in your <VirtualHost> (or the server\n"
      "# config). They need mod_setenvif, mod_headers and mod_rewrite:\n"
      "#   a2enmod setenvif headers rewrite\n"
      "\n";

  if (!spec.any_origin) {
    out +=
        "# Allowed origins: each pattern is anchored and escaped, so it\n"
        "# matches the whole Origin header and no look-alike.\n";
    for (const std::string& origin : spec.origins) {
      out += "SetEnvIf Origin \"" + AnchoredPattern(origin) +
             "\" CORS_ALLOW_ORIGIN=$0\n";
    }
    out += "\n";
  }

  out +=
      "# `always`: also on the error pages httpd makes itself (404, 401,\n"
      "# 500), so the page can read errors instead of seeing an opaque\n"
      "# network failure.\n";
  if (spec.any_origin) {
    out += "Header always set Access-Control-Allow-Origin \"*\"\n";
  } else {
    out +=
        "Header always set Access-Control-Allow-Origin "
        "\"%{CORS_ALLOW_ORIGIN}e\" env=CORS_ALLOW_ORIGIN\n";
    if (spec.credentials) {
      out +=
          "Header always set Access-Control-Allow-Credentials \"true\" "
          "env=CORS_ALLOW_ORIGIN\n";
    }
    out +=
        "# The answer depends on the Origin header: caches must not serve\n"
        "# one origin's answer to another.\n"
        "Header always merge Vary Origin\n";
  }
  if (!spec.expose_headers.empty()) {
    out +=
        "# Response headers page script may read.\n"
        "Header always set Access-Control-Expose-Headers \"" +
        JoinList(spec.expose_headers) + "\"\n";
  }

  std::string on_options = "\"expr=%{REQUEST_METHOD} == 'OPTIONS'\"";
  out +=
      "\n"
      "# What preflights may ask for, sent on OPTIONS answers only.\n"
      "Header always set Access-Control-Allow-Methods \"" +
      JoinList(spec.methods) + "\" " + on_options + "\n";
  if (!spec.allow_headers.empty()) {
    out += "Header always set Access-Control-Allow-Headers \"" +
           JoinList(spec.allow_headers) + "\" " + on_options + "\n";
  }
  if (spec.max_age) {
    out +=
        "# How long browsers may reuse a preflight answer (Chromium caps\n"
        "# it at 7200 s).\n"
        "Header always set Access-Control-Max-Age \"" +
        std::to_string(*spec.max_age) + "\" " + on_options + "\n";
  }

  out +=
      "\n"
      "# Preflights are answered here with 204 and the `always` headers;\n"
      "# they never reach the application or its authentication.\n"
      "RewriteEngine On\n"
      "RewriteCond %{REQUEST_METHOD} =OPTIONS\n"
      "RewriteRule ^ - [R=204,L]\n";
  return out;
}

}  // namespace corslint
