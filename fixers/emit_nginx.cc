// nginx: `map` allowlists on the whole Origin header, `add_header ...
// always` in one location, and an `if` that answers preflights itself.
#include "fixers/emitters.h"

namespace corslint {

namespace {

// A double-quoted nginx string. Origins and header names are tokens, but
// quoting keeps `{`, `;` and `#` from ever meaning anything.
std::string Quote(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string EmitNginx(const PolicySpec& spec) {
  std::string out = DescribePolicy(spec, "# ", Target::kNginx);
  out +=
      "#\n"
      "# The map blocks belong in the http block (a file in conf.d/ is\n"
      "# read there); merge the location into your own server block.\n"
      "\n";

  // The allowlist: exact keys compare the whole Origin header, so no
  // look-alike origin gets through the way it does with a regex.
  if (!spec.any_origin) {
    out +=
        "# Allowed origins, compared whole: any other Origin gets no CORS\n"
        "# headers, and the page cannot read the response.\n"
        "map $http_origin $cors_allow_origin {\n"
        "    default \"\";\n";
    for (const std::string& origin : spec.origins) {
      out += "    " + Quote(origin) + " " + Quote(origin) + ";\n";
    }
    out += "}\n\n";
    if (spec.credentials) {
      out +=
          "# Credentials only for the allowed origins.\n"
          "map $http_origin $cors_allow_credentials {\n"
          "    default \"\";\n";
      for (const std::string& origin : spec.origins) {
        out += "    " + Quote(origin) + " \"true\";\n";
      }
      out += "}\n\n";
    }
  }

  // Preflight-only headers: an empty value makes add_header send nothing,
  // so they appear on OPTIONS answers only.
  out +=
      "# What preflights may ask for, sent on OPTIONS answers only.\n"
      "map $request_method $cors_allow_methods {\n"
      "    default \"\";\n"
      "    OPTIONS " +
      Quote(JoinList(spec.methods)) +
      ";\n"
      "}\n\n";
  if (!spec.allow_headers.empty()) {
    out +=
        "map $request_method $cors_allow_headers {\n"
        "    default \"\";\n"
        "    OPTIONS " +
        Quote(JoinList(spec.allow_headers)) +
        ";\n"
        "}\n\n";
  }
  if (spec.max_age) {
    out +=
        "# How long browsers may reuse a preflight answer (Chromium caps\n"
        "# it at 7200 s).\n"
        "map $request_method $cors_max_age {\n"
        "    default \"\";\n"
        "    OPTIONS " +
        Quote(std::to_string(*spec.max_age)) +
        ";\n"
        "}\n\n";
  }

  out +=
      "server {\n"
      "    listen 80;\n"
      "\n"
      "    location / {\n"
      "        # `always`: also on 4xx and 5xx answers, so the page can read\n"
      "        # errors instead of seeing an opaque network failure.\n";
  if (spec.any_origin) {
    out += "        add_header Access-Control-Allow-Origin \"*\" always;\n";
  } else {
    out +=
        "        add_header Access-Control-Allow-Origin $cors_allow_origin "
        "always;\n";
    if (spec.credentials) {
      out +=
          "        add_header Access-Control-Allow-Credentials "
          "$cors_allow_credentials always;\n";
    }
    out +=
        "        # The answer depends on the Origin header: caches must "
        "not\n"
        "        # serve one origin's answer to another.\n"
        "        add_header Vary Origin always;\n";
  }
  if (!spec.expose_headers.empty()) {
    out +=
        "        # Response headers page script may read.\n"
        "        add_header Access-Control-Expose-Headers " +
        Quote(JoinList(spec.expose_headers)) + " always;\n";
  }
  out +=
      "        add_header Access-Control-Allow-Methods $cors_allow_methods "
      "always;\n";
  if (!spec.allow_headers.empty()) {
    out +=
        "        add_header Access-Control-Allow-Headers $cors_allow_headers "
        "always;\n";
  }
  if (spec.max_age) {
    out += "        add_header Access-Control-Max-Age $cors_max_age always;\n";
  }
  out +=
      "\n"
      "        # A proxied application's own CORS headers would be sent a\n"
      "        # second time, which browsers refuse: drop them.\n"
      "        proxy_hide_header Access-Control-Allow-Origin;\n"
      "        proxy_hide_header Access-Control-Allow-Credentials;\n"
      "        proxy_hide_header Access-Control-Expose-Headers;\n"
      "        proxy_hide_header Access-Control-Allow-Methods;\n"
      "        proxy_hide_header Access-Control-Allow-Headers;\n"
      "        proxy_hide_header Access-Control-Max-Age;\n"
      "\n"
      "        # Preflights are answered here with the headers above; the\n"
      "        # `if` adds no header of its own, so it keeps them all.\n"
      "        if ($request_method = OPTIONS) {\n"
      "            return 204;\n"
      "        }\n"
      "\n"
      "        # Your root, proxy_pass or other content directives go here.\n"
      "        # An add_header in a nested location or if block would drop\n"
      "        # every header above there.\n"
      "    }\n"
      "}\n";
  return out;
}

}  // namespace corslint
