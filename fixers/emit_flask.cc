// Flask: the flask-cors extension with a list of exact origins, and a hook
// that always varies on Origin.
#include <algorithm>

#include "fixers/emitters.h"

namespace corslint {

namespace {

// Characters that make flask-cors read a string as a regular expression.
constexpr std::string_view kRegexMarkers = "*\\]?$^[()";

bool ReadAsRegex(std::string_view text) {
  return text.find_first_of(kRegexMarkers) != std::string_view::npos;
}

std::string PyString(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

// A list item that flask-cors compares whole: a plain string, or for a
// value with regex characters (an IPv6 origin) an anchored, escaped
// pattern.
std::string PyItem(std::string_view text) {
  if (!ReadAsRegex(text)) return PyString(text);
  return "re.compile(\"^\" + re.escape(" + PyString(text) + ") + \"$\")";
}

std::string PyList(const std::vector<std::string>& items, bool exact) {
  std::string list = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) list += ", ";
    list += exact ? PyItem(items[i]) : PyString(items[i]);
  }
  return list + "]";
}

bool NeedsRe(const PolicySpec& spec) {
  for (const auto* list : {&spec.origins, &spec.allow_headers}) {
    for (const std::string& item : *list) {
      if (item != "*" && ReadAsRegex(item)) return true;
    }
  }
  return false;
}

}  // namespace

std::string EmitFlask(const PolicySpec& spec) {
  std::string out = DescribePolicy(spec, "# ", Target::kFlask);
  out += "\n";
  if (NeedsRe(spec)) out += "import re\n\n";
  out +=
      "from flask import Flask\n"
      "from flask_cors import CORS\n"
      "\n"
      "app = Flask(__name__)\n"
      "\n"
      "# flask-cors runs after every view and error handler, so 404s and\n"
      "# 500s carry the headers too, and it answers OPTIONS preflights.\n"
      "CORS(\n"
      "    app,\n";
  if (spec.any_origin) {
    out +=
        "    # Any origin may read the responses, without credentials.\n"
        "    origins=\"*\",\n"
        "    send_wildcard=True,\n";
  } else {
    bool patterns =
        std::any_of(spec.origins.begin(), spec.origins.end(),
                    [](const std::string& o) { return ReadAsRegex(o); });
    out +=
        patterns
            ? "    # Allowed origins, each compared whole: flask-cors reads a\n"
              "    # string with brackets as a pattern, so such an origin is\n"
              "    # given as an anchored, escaped one.\n"
            : "    # Allowed origins, each compared whole: no string here "
              "holds\n"
              "    # a character that would make flask-cors read it as a\n"
              "    # pattern.\n";
    out += "    origins=" + PyList(spec.origins, true) + ",\n";
  }
  if (spec.credentials) {
    out +=
        "    # Access-Control-Allow-Credentials: true.\n"
        "    supports_credentials=True,\n";
  }
  // flask-cors answers a preflight's Allow-Headers only when the method
  // asked for is in its list; GET, HEAD and POST need no listing in the
  // browser, but a POST with a JSON body is still preflighted.
  std::vector<std::string> methods = spec.methods;
  for (const char* safelisted : {"GET", "HEAD", "POST"}) {
    if (std::find(methods.begin(), methods.end(), safelisted) ==
        methods.end()) {
      methods.push_back(safelisted);
    }
  }
  bool added = methods.size() != spec.methods.size();
  out += added ? "    # What preflights may ask for; flask-cors answers a "
                 "preflight only for\n"
                 "    # a method in this list, so GET, HEAD and POST are "
                 "always in it.\n"
               : "    # What preflights may ask for.\n";
  out += "    methods=" + PyList(methods, false) + ",\n";
  if (spec.allow_headers.size() == 1 && spec.allow_headers.front() == "*") {
    out += "    allow_headers=\"*\",\n";
  } else {
    out +=
        "    # Listed, so that flask-cors does not echo whatever a preflight\n"
        "    # asks for.\n"
        "    allow_headers=" +
        PyList(spec.allow_headers, true) + ",\n";
  }
  if (!spec.expose_headers.empty()) {
    out +=
        "    # Response headers page script may read.\n"
        "    expose_headers=" +
        PyList(spec.expose_headers, false) + ",\n";
  }
  if (spec.max_age) {
    out +=
        "    # How long browsers may reuse a preflight answer (Chromium "
        "caps\n"
        "    # it at 7200 s).\n"
        "    max_age=" +
        std::to_string(*spec.max_age) + ",\n";
  }
  out += ")\n";
  if (!spec.any_origin) {
    out +=
        "\n"
        "\n"
        "@app.after_request\n"
        "def vary_on_origin(response):\n"
        "    # The answer depends on the Origin header, but flask-cors says\n"
        "    # so only for two or more origins: caches must not serve one\n"
        "    # origin's answer to another.\n"
        "    response.vary.add(\"Origin\")\n"
        "    return response\n";
  }
  out +=
      "\n"
      "\n"
      "# Your routes go here.\n";
  return out;
}

}  // namespace corslint
