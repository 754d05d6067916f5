#include "fixers/policy_spec.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "analyzer/fetch_rules.h"

namespace corslint {

namespace {

bool IsDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

std::string Trimmed(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

SpecProblem Problem(std::string message, std::string help = "") {
  SpecProblem problem;
  problem.message = std::move(message);
  problem.help = std::move(help);
  return problem;
}

// The origin a browser would send for what the user probably meant, or
// empty when nothing close is an origin.
std::string NearestOrigin(std::string_view text) {
  std::string candidate = ToLower(Trimmed(text));
  if (candidate.find("://") == std::string::npos) {
    candidate = "https://" + candidate;
  }
  size_t authority = candidate.find("://") + 3;
  size_t path = candidate.find_first_of("/?#", authority);
  if (path != std::string::npos) candidate.erase(path);
  if (candidate.ends_with(":443") && candidate.starts_with("https://")) {
    candidate.erase(candidate.size() - 4);
  }
  if (candidate.ends_with(":80") && candidate.starts_with("http://")) {
    candidate.erase(candidate.size() - 3);
  }
  return IsSerializedOrigin(candidate) && candidate != "null" ? candidate : "";
}

}  // namespace

std::optional<SpecProblem> CheckOriginValue(std::string* origin) {
  *origin = Trimmed(*origin);
  const std::string& value = *origin;

  if (value == "*") {
    return Problem("`*` is not an origin",
                   "allow every origin with --allow-any-origin (policy file: "
                   "`origins: \"*\"`)");
  }
  if (value == "null") {
    return Problem(
        "the origin \"null\" is refused: sandboxed iframes, data: URLs and "
        "local files of any site send it, so allowing it allows them all",
        "list the real origins of the pages that call the API");
  }
  if (value.find('*') != std::string::npos) {
    std::string example = value;
    example.replace(value.find('*'), 1, "app");
    return Problem("\"" + value +
                       "\" has a wildcard, but the generated allowlist "
                       "compares whole origins",
                   "list each origin, e.g. `" + NearestOrigin(example) + "`");
  }
  if (value.find(',') != std::string::npos ||
      value.find(' ') != std::string::npos) {
    return Problem("\"" + value + "\" holds several origins",
                   "give each origin on its own (--origin is repeatable)");
  }
  if (IsSerializedOrigin(value)) {
    size_t sep = value.find("://");
    std::string scheme = value.substr(0, sep);
    if (scheme != "http" && scheme != "https") {
      return Problem("\"" + value + "\" is not an http or https origin");
    }
    return std::nullopt;
  }

  std::string nearest = NearestOrigin(value);
  std::string help = nearest.empty() ? "write an origin as scheme://host[:port]"
                                     : "use `" + nearest + "`";
  std::string why = "is not an origin as browsers send it";
  if (value.find("://") == std::string::npos) {
    why = "has no scheme, but browsers always send one";
  } else if (value.find('/', value.find("://") + 3) != std::string::npos) {
    why = "has a path, but an Origin header never has one";
  } else if (ToLower(value) != value) {
    why = "has upper-case letters, but browsers send origins in lower case";
  } else if (value.ends_with(":443") || value.ends_with(":80")) {
    why = "names the default port, which browsers leave out";
  }
  return Problem("\"" + value + "\" " + why, help);
}

std::optional<SpecProblem> CheckMethodValue(std::string* method) {
  *method = Trimmed(*method);
  std::string& value = *method;
  if (value == "*") {
    return Problem(
        "a `*` method list is refused: it does nothing with credentials and "
        "flask-cors does not support it",
        "list the methods, e.g. --methods GET,POST,PUT,DELETE");
  }
  if (!IsToken(value)) {
    return Problem("\"" + value + "\" is not a method name");
  }
  if (IsForbiddenMethod(value)) {
    return Problem("browsers never let a page send \"" + value + "\"");
  }
  // Browsers compare methods case-sensitively and upper-case only the
  // standard ones, so the usual upper-case spelling is what pages send.
  for (char& c : value) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return std::nullopt;
}

std::optional<SpecProblem> CheckRequestHeaderValue(std::string* name) {
  *name = Trimmed(*name);
  const std::string& value = *name;
  if (value == "*") return std::nullopt;
  if (!IsToken(value)) {
    return Problem("\"" + value + "\" is not a header name");
  }
  if (IsForbiddenRequestHeader(value)) {
    return Problem("\"" + value +
                       "\" is a header that browsers set themselves; page "
                       "script cannot send it",
                   EqualsIgnoreCase(value, "cookie")
                       ? "send cookies with --credentials"
                       : "leave it out");
  }
  return std::nullopt;
}

std::optional<SpecProblem> CheckResponseHeaderValue(std::string* name) {
  *name = Trimmed(*name);
  const std::string& value = *name;
  if (value == "*") return std::nullopt;
  if (!IsToken(value)) {
    return Problem("\"" + value + "\" is not a header name");
  }
  if (EqualsIgnoreCase(value, "set-cookie") ||
      EqualsIgnoreCase(value, "set-cookie2")) {
    return Problem("\"" + value +
                       "\" is never readable by page script, whatever the "
                       "server exposes",
                   "leave it out");
  }
  return std::nullopt;
}

std::optional<SpecProblem> CheckMaxAgeValue(long long seconds) {
  if (seconds < 0) {
    return Problem("a negative max age \"" + std::to_string(seconds) +
                       "\" is not a number of seconds",
                   "use 0 to disable the preflight cache");
  }
  if (seconds > kMaxAgeCap) {
    return Problem("a max age of " + std::to_string(seconds) +
                       " seconds is above what Chromium honours (7200; "
                       "Safari 600), so browsers would silently use less",
                   "use --max-age 7200");
  }
  return std::nullopt;
}

std::vector<SpecProblem> CheckSpecCombination(const PolicySpec& spec) {
  std::vector<SpecProblem> problems;

  if (spec.any_origin && !spec.origins.empty()) {
    SpecProblem problem =
        Problem("a wildcard origin and a list of origins exclude each other",
                "drop --allow-any-origin to allow only the listed origins");
    problem.option = "--allow-any-origin";
    problems.push_back(problem);
  }
  if (!spec.any_origin && spec.origins.empty()) {
    SpecProblem problem = Problem(
        "no origin is allowed",
        "name each allowed origin with --origin, or use --allow-any-origin "
        "for a public API");
    problem.option = "--origin";
    problems.push_back(problem);
  }
  if (spec.any_origin && spec.credentials) {
    SpecProblem problem = Problem(
        "a wildcard origin cannot be combined with credentials: browsers "
        "refuse every credentialed response whose "
        "Access-Control-Allow-Origin is `*`",
        "list the origins that may send credentials with --origin, or drop "
        "--credentials for a public API");
    problem.option = "--credentials";
    problems.push_back(problem);
  }
  if (spec.credentials) {
    for (const auto* list : {&spec.allow_headers, &spec.expose_headers}) {
      if (std::find(list->begin(), list->end(), "*") == list->end()) continue;
      bool request = list == &spec.allow_headers;
      SpecProblem problem = Problem(
          std::string("a `*` in ") +
              (request ? "--allow-headers" : "--expose-headers") +
              " means the literal name `*` when credentials are allowed, so "
              "it would allow nothing",
          "list the header names");
      problem.option = request ? "--allow-headers" : "--expose-headers";
      problems.push_back(problem);
    }
  }

  // A repeated entry is harmless to browsers but a sign of a typo.
  auto check_repeats = [&](const std::vector<std::string>& items,
                           const std::string& option, bool ignore_case) {
    for (size_t i = 0; i < items.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        bool same = ignore_case ? EqualsIgnoreCase(items[i], items[j])
                                : items[i] == items[j];
        if (!same) continue;
        SpecProblem problem =
            Problem("\"" + items[i] + "\" is listed twice", "list it once");
        problem.option = option;
        problems.push_back(problem);
        break;
      }
    }
  };
  check_repeats(spec.origins, "--origin", false);
  check_repeats(spec.methods, "--methods", false);
  check_repeats(spec.allow_headers, "--allow-headers", true);
  check_repeats(spec.expose_headers, "--expose-headers", true);
  return problems;
}

std::vector<SpecProblem> CheckSpec(PolicySpec* spec) {
  std::vector<SpecProblem> problems;
  auto check_all = [&](std::vector<std::string>* items,
                       const std::string& option, auto check) {
    for (std::string& item : *items) {
      if (std::optional<SpecProblem> problem = check(&item)) {
        problem->option = option;
        problems.push_back(*problem);
      }
    }
  };
  check_all(&spec->origins, "--origin", CheckOriginValue);
  check_all(&spec->methods, "--methods", CheckMethodValue);
  check_all(&spec->allow_headers, "--allow-headers", CheckRequestHeaderValue);
  check_all(&spec->expose_headers, "--expose-headers",
            CheckResponseHeaderValue);
  if (spec->max_age) {
    if (std::optional<SpecProblem> problem = CheckMaxAgeValue(*spec->max_age)) {
      problem->option = "--max-age";
      problems.push_back(*problem);
    }
  }
  if (!problems.empty()) return problems;
  return CheckSpecCombination(*spec);
}

namespace {

// Reads a policy file node by node, keeping the position of each value for
// messages.
class SpecReader {
 public:
  SpecReader(const std::string& path, std::vector<SpecProblem>* problems)
      : path_(path), problems_(problems) {}

  std::optional<PolicySpec> Read(const std::string& text) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      Report(e.mark, "", "the policy file is not valid YAML or JSON: " + e.msg);
      return std::nullopt;
    }
    if (!root.IsMap()) {
      Report(root.Mark(), "",
             "the policy file must be a mapping with an `origins` key");
      return std::nullopt;
    }

    PolicySpec spec;
    bool has_origins = false, has_methods = false;
    YAML::Mark origins_mark = root.Mark();
    for (const auto& entry : root) {
      std::string key = entry.first.Scalar();
      const YAML::Node& value = entry.second;
      if (key == "origins") {
        has_origins = true;
        origins_mark = entry.first.Mark();
        if (value.IsScalar() && value.Scalar() == "*") {
          spec.any_origin = true;
          continue;
        }
        ReadList(value, key, &spec.origins, CheckOriginValue);
      } else if (key == "methods") {
        has_methods = true;
        spec.methods.clear();
        ReadList(value, key, &spec.methods, CheckMethodValue);
      } else if (key == "allow_headers") {
        ReadList(value, key, &spec.allow_headers, CheckRequestHeaderValue);
      } else if (key == "expose_headers") {
        ReadList(value, key, &spec.expose_headers, CheckResponseHeaderValue);
      } else if (key == "max_age") {
        ReadMaxAge(value, &spec.max_age);
      } else if (key == "credentials") {
        ReadBool(value, key, &spec.credentials);
      } else {
        Report(entry.first.Mark(), key,
               "unknown key \"" + key + "\"" + Suggestion(key),
               "the keys are origins, methods, allow_headers, "
               "expose_headers, max_age and credentials");
      }
      positions_.emplace_back(key, entry.first.Mark());
    }
    (void)has_methods;
    if (!has_origins) {
      Report(root.Mark(), "origins", "the policy has no `origins` key",
             "add `origins: [https://app.example.com]`, or `origins: \"*\"` "
             "for a public API");
      return std::nullopt;
    }
    if (!problems_->empty()) return std::nullopt;

    for (SpecProblem problem : CheckSpecCombination(spec)) {
      std::string key = KeyFor(problem.option);
      YAML::Mark mark = origins_mark;
      for (const auto& [name, position] : positions_) {
        if (name == key) mark = position;
      }
      problem.option = key;
      problem.where = Where(mark);
      problem.help = RewordHelp(problem.help);
      problems_->push_back(problem);
    }
    if (!problems_->empty()) return std::nullopt;
    return spec;
  }

 private:
  template <typename Check>
  void ReadList(const YAML::Node& node, const std::string& key,
                std::vector<std::string>* items, Check check) {
    std::vector<YAML::Node> values;
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) values.push_back(item);
    } else if (node.IsScalar()) {
      values.push_back(node);
    } else {
      Report(node.Mark(), key, "`" + key + "` must be a list of strings",
             "write `" + key + ": [A, B]`");
      return;
    }
    for (const YAML::Node& item : values) {
      if (!item.IsScalar()) {
        Report(item.Mark(), key, "each item of `" + key + "` must be a string");
        continue;
      }
      std::string value = item.Scalar();
      if (std::optional<SpecProblem> problem = check(&value)) {
        Report(item.Mark(), key, problem->message, RewordHelp(problem->help));
        continue;
      }
      items->push_back(value);
    }
  }

  void ReadMaxAge(const YAML::Node& node, std::optional<int>* max_age) {
    std::string text = node.IsScalar() ? node.Scalar() : "";
    std::string digits = text.starts_with('-') ? text.substr(1) : text;
    if (!node.IsScalar() || !IsDigits(digits) || digits.size() > 9) {
      Report(
          node.Mark(), "max_age",
          "`max_age` must be a whole number of seconds, not \"" + text + "\"",
          "write `max_age: 600`");
      return;
    }
    long long seconds = std::stoll(text);
    if (std::optional<SpecProblem> problem = CheckMaxAgeValue(seconds)) {
      Report(node.Mark(), "max_age", problem->message,
             RewordHelp(problem->help));
      return;
    }
    *max_age = static_cast<int>(seconds);
  }

  void ReadBool(const YAML::Node& node, const std::string& key, bool* out) {
    std::string text = node.IsScalar() ? node.Scalar() : "";
    if (node.IsScalar() && (text == "true" || text == "false")) {
      *out = text == "true";
      return;
    }
    Report(node.Mark(), key,
           "`" + key + "` must be true or false, not \"" + text + "\"");
  }

  // Command-line wording in shared messages becomes the file's keys.
  static std::string RewordHelp(std::string help) {
    static const std::vector<std::pair<std::string, std::string>> kWords = {
        {"--allow-any-origin (policy file: `origins: \"*\"`)",
         "`origins: \"*\"`"},
        {"--allow-any-origin", "`origins: \"*\"`"},
        {"with --origin", "in `origins`"},
        {"--origin is repeatable", "one list item each"},
        {"--credentials", "`credentials: true`"},
        {"--methods GET,POST,PUT,DELETE",
         "`methods: [GET, POST, PUT, DELETE]`"},
        {"--max-age 7200", "`max_age: 7200`"},
    };
    for (const auto& [from, to] : kWords) {
      size_t at = help.find(from);
      if (at != std::string::npos) help.replace(at, from.size(), to);
    }
    return help;
  }

  static std::string KeyFor(const std::string& option) {
    if (option == "--origin" || option == "--allow-any-origin") {
      return "origins";
    }
    if (option == "--credentials") return "credentials";
    if (option == "--methods") return "methods";
    if (option == "--allow-headers") return "allow_headers";
    if (option == "--expose-headers") return "expose_headers";
    return "origins";
  }

  static std::string Suggestion(const std::string& key) {
    static const std::vector<std::string> kKeys = {
        "origins",        "methods", "allow_headers",
        "expose_headers", "max_age", "credentials"};
    auto squeeze = [](std::string_view text) {
      std::string squeezed;
      for (char c : ToLower(text)) {
        if (c != '_' && c != '-') squeezed += c;
      }
      return squeezed;
    };
    std::string given = squeeze(key);
    for (const std::string& known : kKeys) {
      std::string want = squeeze(known);
      if (want == given || want == given + "s" || want + "s" == given) {
        return ", did you mean \"" + known + "\"?";
      }
    }
    return "";
  }

  Location Where(const YAML::Mark& mark) const {
    Location where;
    where.file = path_;
    if (mark.line >= 0) {
      where.line = mark.line + 1;
      where.column = mark.column + 1;
    }
    return where;
  }

  void Report(const YAML::Mark& mark, const std::string& key,
              std::string message, std::string help = "") {
    SpecProblem problem;
    problem.where = Where(mark);
    problem.option = key;
    problem.message = std::move(message);
    problem.help = std::move(help);
    problems_->push_back(std::move(problem));
  }

  std::string path_;
  std::vector<SpecProblem>* problems_;
  std::vector<std::pair<std::string, YAML::Mark>> positions_;
};

}  // namespace

std::optional<PolicySpec> ReadPolicySpec(const std::string& path,
                                         const std::string& text,
                                         std::vector<SpecProblem>* problems) {
  SpecReader reader(path, problems);
  return reader.Read(text);
}

bool LooksLikePolicyFile(const std::string& path, const std::string& text) {
  std::string extension = std::filesystem::path(path).extension().string();
  if (extension != ".yaml" && extension != ".yml" && extension != ".json") {
    return false;
  }
  try {
    YAML::Node root = YAML::Load(text);
    return root.IsMap() && root["origins"].IsDefined();
  } catch (const YAML::Exception&) {
    return extension != ".json" ||
           text.find("\"origins\"") != std::string::npos;
  }
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += ", ";
    joined += item;
  }
  return joined;
}

namespace {

// The scope of a policy document: the answers the policy asks for.
class PolicyScope : public Scope {
 public:
  explicit PolicyScope(PolicySpec spec) : spec_(std::move(spec)) {
    name = "the policy";
  }

  Response Respond(const Request& request) const override {
    Response response;
    bool preflight = request.is_preflight();
    response.status = preflight ? 204 : request.handler_status;
    response.responder = preflight ? Responder::kConfig : Responder::kApp;

    bool allowed = false;
    std::string allow_origin;
    if (spec_.any_origin) {
      allowed = true;
      allow_origin = "*";
    } else if (request.origin &&
               std::find(spec_.origins.begin(), spec_.origins.end(),
                         *request.origin) != spec_.origins.end()) {
      allowed = true;
      allow_origin = *request.origin;
    }

    auto add = [&](std::string name, std::string value) {
      ResponseHeader header;
      header.name = std::move(name);
      header.value = std::move(value);
      header.mechanism = "policy";
      response.headers.push_back(std::move(header));
    };
    if (!spec_.any_origin) add("Vary", "Origin");
    if (!allowed) return response;

    add("Access-Control-Allow-Origin", allow_origin);
    if (spec_.credentials) add("Access-Control-Allow-Credentials", "true");
    if (!spec_.expose_headers.empty()) {
      add("Access-Control-Expose-Headers", JoinList(spec_.expose_headers));
    }
    if (!preflight) return response;

    add("Access-Control-Allow-Methods", JoinList(spec_.methods));
    if (!spec_.allow_headers.empty()) {
      add("Access-Control-Allow-Headers", JoinList(spec_.allow_headers));
    }
    if (spec_.max_age) {
      add("Access-Control-Max-Age", std::to_string(*spec_.max_age));
    }
    return response;
  }

 private:
  PolicySpec spec_;
};

}  // namespace

std::unique_ptr<Document> PolicyDocument(const PolicySpec& spec,
                                         const std::string& path) {
  auto document = std::make_unique<Document>();
  document->path = path;
  document->scopes.push_back(std::make_unique<PolicyScope>(spec));
  const Scope* scope = document->scopes.front().get();
  document->route = [scope](std::string_view, std::string_view) {
    return scope;
  };
  return document;
}

}  // namespace corslint
