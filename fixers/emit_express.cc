// Express: the `cors` middleware with an array of exact origins, mounted
// before everything else.
#include "fixers/emitters.h"

namespace corslint {

namespace {

// A single-quoted JavaScript string.
std::string JsString(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::string JsArray(const std::vector<std::string>& items) {
  std::string array = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) array += ", ";
    array += JsString(items[i]);
  }
  return array + "]";
}

}  // namespace

std::string EmitExpress(const PolicySpec& spec) {
  std::string out = DescribePolicy(spec, "// ", Target::kExpress);
  out +=
      "'use strict';\n"
      "\n"
      "const express = require('express');\n"
      "const cors = require('cors');\n"
      "\n"
      "const app = express();\n"
      "\n"
      "const corsOptions = {\n";
  if (spec.any_origin) {
    out +=
        "  // Any origin may read the responses, without credentials.\n"
        "  origin: '*',\n";
  } else {
    out +=
        "  // Allowed origins: cors compares each string with === against\n"
        "  // the whole Origin header, and adds Vary: Origin.\n"
        "  origin: " +
        JsArray(spec.origins) + ",\n";
  }
  if (spec.credentials) {
    out +=
        "  // Access-Control-Allow-Credentials: true, for the allowed "
        "origins.\n"
        "  credentials: true,\n";
  }
  out +=
      "  // What preflights may ask for.\n"
      "  methods: " +
      JsArray(spec.methods) +
      ",\n"
      "  // Listed, so that cors does not echo whatever a preflight asks "
      "for.\n"
      "  allowedHeaders: " +
      JsArray(spec.allow_headers) + ",\n";
  if (!spec.expose_headers.empty()) {
    out +=
        "  // Response headers page script may read.\n"
        "  exposedHeaders: " +
        JsArray(spec.expose_headers) + ",\n";
  }
  if (spec.max_age) {
    out +=
        "  // How long browsers may reuse a preflight answer (Chromium "
        "caps\n"
        "  // it at 7200 s).\n"
        "  maxAge: " +
        std::to_string(*spec.max_age) + ",\n";
  }
  out +=
      "};\n"
      "\n"
      "// First, before every other middleware and route: every response,\n"
      "// errors and 404s included, then carries the headers, and cors()\n"
      "// answers each OPTIONS preflight itself with 204.\n"
      "app.use(cors(corsOptions));\n"
      "\n"
      "// Your routes go here, after cors().\n"
      "\n"
      "module.exports = app;\n";
  return out;
}

}  // namespace corslint
