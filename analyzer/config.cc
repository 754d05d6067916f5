#include "analyzer/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "analyzer/formats.h"
#include "analyzer/glob.h"
#include "analyzer/origin.h"
#include "analyzer/suppressions.h"

namespace corslint {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTopKeys[] = {"exclude", "flask-cors",
                                         "include", "overrides",
                                         "rules",   "trusted-origins"};
constexpr std::string_view kOverrideKeys[] = {"files", "rules",
                                              "trusted-origins"};
constexpr std::string_view kLevelNames[] = {"on", "off", "info", "warning",
                                            "error"};
constexpr RuleLevel kLevels[] = {RuleLevel::kOn, RuleLevel::kOff,
                                 RuleLevel::kInfo, RuleLevel::kWarning,
                                 RuleLevel::kError};

constexpr std::string_view kMaxAgeRule = "max-age-exceeds-browser-limit";
constexpr std::string_view kMaxAgeOption = "max-age-limit";
constexpr size_t kMaxConfigBytes = 1u << 20;

std::string_view LevelName(RuleLevel level) {
  for (size_t i = 0; i < std::size(kLevels); ++i) {
    if (kLevels[i] == level) return kLevelNames[i];
  }
  return "on";
}

// The settings keys of `rule`'s map form.
std::vector<std::string_view> RuleKeys(std::string_view rule) {
  std::vector<std::string_view> keys = {"level"};
  if (rule == kMaxAgeRule) keys.push_back(kMaxAgeOption);
  return keys;
}

std::string Join(std::span<const std::string_view> names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += names[i];
  }
  return text;
}

std::string DidYouMean(std::string_view name,
                       std::span<const std::string_view> candidates) {
  std::string suggestion = SuggestName(name, candidates);
  return suggestion.empty() ? "" : ", did you mean \"" + suggestion + "\"?";
}

// What a YAML node is, for "must be X, not Y" messages.
std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return "\"" + node.Scalar() + "\"";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

// Validates the YAML tree of one file, collecting every error.
class Reader {
 public:
  Reader(const std::string& path, std::vector<InputError>* errors)
      : path_(path), errors_(errors) {}

  bool failed() const { return failed_; }

  void Error(const YAML::Node& node, std::string message) {
    Location where{path_};
    YAML::Mark mark = node.Mark();
    if (!mark.is_null()) {
      where.line = mark.line + 1;
      where.column = mark.column + 1;
    }
    errors_->push_back({where, std::move(message)});
    failed_ = true;
  }

  // The entries of a map whose keys are plain, unique names.
  std::vector<std::pair<YAML::Node, YAML::Node>> Entries(
      const YAML::Node& map) {
    std::vector<std::pair<YAML::Node, YAML::Node>> entries;
    for (auto it = map.begin(); it != map.end(); ++it) {
      YAML::Node key = it->first;
      if (!key.IsScalar()) {
        Error(key, "keys must be names, not " + Describe(key));
        continue;
      }
      auto first =
          std::find_if(entries.begin(), entries.end(), [&](const auto& entry) {
            return entry.first.Scalar() == key.Scalar();
          });
      if (first != entries.end()) {
        Error(key, "duplicate key \"" + key.Scalar() + "\" (first on line " +
                       std::to_string(first->first.Mark().line + 1) + ")");
        continue;
      }
      YAML::Node value = it->second;
      if (value.IsNull()) {
        Error(key, "\"" + key.Scalar() + "\" has no value");
        continue;
      }
      entries.emplace_back(key, value);
    }
    return entries;
  }

  std::optional<std::vector<std::string>> Strings(const YAML::Node& node,
                                                  std::string_view key,
                                                  std::string_view items) {
    if (!node.IsSequence()) {
      Error(node, "\"" + std::string(key) + "\" must be a list of " +
                      std::string(items) + ", not " + Describe(node));
      return std::nullopt;
    }
    std::vector<std::string> values;
    bool ok = true;
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) {
        Error(item, "each item of \"" + std::string(key) + "\" must be " +
                        std::string(items) + ", not " + Describe(item));
        ok = false;
        continue;
      }
      values.push_back(item.Scalar());
    }
    if (!ok) return std::nullopt;
    return values;
  }

  std::optional<std::vector<std::string>> Origins(const YAML::Node& node,
                                                  std::string_view key) {
    std::optional<std::vector<std::string>> origins =
        Strings(node, key, "origins");
    if (!origins) return std::nullopt;
    bool ok = true;
    for (size_t i = 0; i < origins->size(); ++i) {
      std::string error = TrustedOriginError((*origins)[i]);
      if (error.empty()) continue;
      Error(node[i],
            "\"" + (*origins)[i] + "\" is not a trusted origin: " + error);
      ok = false;
    }
    if (!ok) return std::nullopt;
    return origins;
  }

  std::optional<std::vector<std::string>> Globs(const YAML::Node& node,
                                                std::string_view key) {
    std::optional<std::vector<std::string>> globs =
        Strings(node, key, "glob patterns");
    if (!globs) return std::nullopt;
    bool ok = true;
    for (size_t i = 0; i < globs->size(); ++i) {
      std::string error = GlobError((*globs)[i]);
      if (error.empty()) continue;
      Error(node[i], "bad pattern \"" + (*globs)[i] + "\": " + error);
      ok = false;
    }
    if (!ok) return std::nullopt;
    return globs;
  }

  // A whole number from `min` to `max`, or nullopt after an error.
  std::optional<int> Number(const YAML::Node& node, std::string_view key,
                            std::string_view unit, int min, int max) {
    std::string text = node.IsScalar() ? node.Scalar() : "";
    bool digits = !text.empty() && text.size() <= 9 &&
                  std::all_of(text.begin(), text.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoi(text) < min || std::stoi(text) > max) {
      Error(node, "\"" + std::string(key) + "\" must be " + std::string(unit) +
                      ", not " + Describe(node));
      return std::nullopt;
    }
    return std::stoi(text);
  }

  std::optional<RuleLevel> Level(const YAML::Node& node,
                                 std::string_view rule) {
    if (node.IsScalar()) {
      for (size_t i = 0; i < std::size(kLevels); ++i) {
        if (node.Scalar() == kLevelNames[i]) return kLevels[i];
      }
    }
    Error(node,
          "rule \"" + std::string(rule) + "\" takes " + Join(kLevelNames) +
              ", not " + Describe(node) +
              (node.IsScalar() ? DidYouMean(node.Scalar(), kLevelNames) : ""));
    return std::nullopt;
  }

  void Rules(const YAML::Node& node, std::map<std::string, RuleSetting>* out) {
    if (!node.IsMap()) {
      Error(node, "\"rules\" must be a map from rule names to settings, not " +
                      Describe(node));
      return;
    }
    for (const auto& [key, value] : Entries(node)) {
      std::string rule = key.Scalar();
      if (FindAnyRule(rule) == nullptr) {
        std::string suggestion = SuggestAnyRule(rule);
        Error(key, "unknown rule \"" + rule + "\"" +
                       (suggestion.empty()
                            ? std::string()
                            : ", did you mean \"" + suggestion + "\"?"));
        continue;
      }
      RuleSetting setting;
      if (!value.IsMap()) {
        setting.level = Level(value, rule);
        (*out)[rule] = setting;
        continue;
      }
      std::vector<std::string_view> keys = RuleKeys(rule);
      for (const auto& [option, option_value] : Entries(value)) {
        std::string name = option.Scalar();
        if (name == "level") {
          setting.level = Level(option_value, rule);
        } else if (name == kMaxAgeOption && rule == kMaxAgeRule) {
          setting.max_age_limit =
              Number(option_value, kMaxAgeOption, "a whole number of seconds",
                     0, 999999999);
        } else {
          Error(option, "rule \"" + rule + "\" has no setting \"" + name +
                            "\" (it takes " + Join(keys) + ")" +
                            DidYouMean(name, keys));
        }
      }
      (*out)[rule] = setting;
    }
  }

  void Override(const YAML::Node& node, Config::Override* out) {
    if (!node.IsMap()) {
      Error(node,
            "each item of \"overrides\" must be a map with \"files\", not " +
                Describe(node));
      return;
    }
    bool files = false;
    for (const auto& [key, value] : Entries(node)) {
      std::string name = key.Scalar();
      if (name == "files") {
        files = true;
        out->files = Globs(value, "files").value_or(std::vector<std::string>());
      } else if (name == "rules") {
        Rules(value, &out->rules);
      } else if (name == "trusted-origins") {
        out->trusted_origins = Origins(value, name);
      } else {
        Error(key, "unknown key \"" + name + "\" in an override (it takes " +
                       Join(kOverrideKeys) + ")" +
                       DidYouMean(name, kOverrideKeys));
      }
    }
    if (!files)
      Error(node, "an override needs \"files\": the globs it applies to");
  }

  void Top(const YAML::Node& root, Config* config) {
    for (const auto& [key, value] : Entries(root)) {
      std::string name = key.Scalar();
      if (name == "trusted-origins") {
        config->trusted_origins = Origins(value, name);
      } else if (name == "rules") {
        Rules(value, &config->rules);
      } else if (name == "include") {
        config->include =
            Globs(value, name).value_or(std::vector<std::string>());
      } else if (name == "exclude") {
        config->exclude =
            Globs(value, name).value_or(std::vector<std::string>());
      } else if (name == "overrides") {
        if (!value.IsSequence()) {
          Error(value,
                "\"overrides\" must be a list of maps with \"files\", not " +
                    Describe(value));
          continue;
        }
        for (const YAML::Node& item : value) {
          Config::Override entry;
          Override(item, &entry);
          config->overrides.push_back(std::move(entry));
        }
      } else if (name == "flask-cors") {
        constexpr std::string_view kVersions =
            "3 or 6, the flask-cors major version";
        config->flask_cors = Number(value, name, kVersions, 3, 6);
        if (config->flask_cors && *config->flask_cors != 3 &&
            *config->flask_cors != 6) {
          config->flask_cors.reset();
          Error(value, "\"flask-cors\" must be " + std::string(kVersions) +
                           ", not " + Describe(value));
        }
      } else {
        Error(key, "unknown key \"" + name + "\"" + DidYouMean(name, kTopKeys));
      }
    }
  }

 private:
  const std::string& path_;
  std::vector<InputError>* errors_;
  bool failed_ = false;
};

fs::path Absolute(const std::string& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error).lexically_normal();
  if (absolute.has_filename() || absolute == absolute.root_path()) {
    return absolute;
  }
  return absolute.parent_path();  // drop a trailing separator
}

// The root of the git repository holding `dir`, or empty.
fs::path RepositoryRoot(fs::path dir) {
  std::error_code error;
  while (true) {
    if (fs::exists(dir / ".git", error)) return dir;
    if (dir == dir.parent_path()) return {};
    dir = dir.parent_path();
  }
}

// `absolute` as messages show it: relative to the working directory when
// it is below it.
std::string Display(const fs::path& absolute) {
  fs::path relative = absolute.lexically_relative(Absolute("."));
  if (relative.empty() || *relative.begin() == "..") return absolute.string();
  return relative.string();
}

std::string Relative(const fs::path& absolute, const std::string& base) {
  return absolute.lexically_relative(base).generic_string();
}

bool AnyMatches(const std::vector<std::string>& globs,
                const std::string& relative) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
    return GlobMatches(g, relative);
  });
}

void Merge(const std::map<std::string, RuleSetting>& from,
           std::map<std::string, RuleSetting>* into) {
  for (const auto& [rule, setting] : from) {
    RuleSetting& target = (*into)[rule];
    if (setting.level) target.level = setting.level;
    if (setting.max_age_limit) target.max_age_limit = setting.max_age_limit;
  }
}

}  // namespace

std::string TrustedOriginError(std::string_view origin) {
  std::string concrete(origin);
  size_t wildcard = concrete.find("://*.");
  if (wildcard != std::string::npos) concrete.replace(wildcard + 3, 1, "x");
  std::string defect = OriginDefect(concrete, false);
  if (!defect.empty()) return "it " + defect;
  if (!ParseOrigin(concrete)) {
    return "expected `scheme://host[:port]` or `scheme://*.domain[:port]`";
  }
  return "";
}

std::optional<Config> ParseConfig(const std::string& path,
                                  const std::string& text,
                                  std::vector<InputError>* errors) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    Location where{path};
    if (!e.mark.is_null()) {
      where.line = e.mark.line + 1;
      where.column = e.mark.column + 1;
    }
    errors->push_back({where, "invalid YAML: " + e.msg});
    return std::nullopt;
  }

  Config config;
  config.path = path;
  config.base_dir = Absolute(path).parent_path().string();
  Reader reader(path, errors);
  if (documents.size() > 1) {
    reader.Error(
        documents[1],
        "the configuration must be one YAML document, but a second one starts here");
    return std::nullopt;
  }
  if (documents.empty() || documents[0].IsNull()) return config;
  if (!documents[0].IsMap()) {
    reader.Error(documents[0],
                 "the configuration must be a map of settings, not " +
                     Describe(documents[0]));
    return std::nullopt;
  }
  reader.Top(documents[0], &config);
  if (reader.failed()) return std::nullopt;
  return config;
}

RuleLevel FileSettings::LevelOf(std::string_view rule) const {
  auto it = rules.find(std::string(rule));
  if (it == rules.end() || !it->second.level) return RuleLevel::kOn;
  return *it->second.level;
}

ConfigSet::ConfigSet(std::optional<std::string> explicit_path,
                     CommandLineSettings command_line)
    : explicit_path_(std::move(explicit_path)),
      command_line_(std::move(command_line)) {
  defaults_.base_dir = Absolute(".").string();
  if (explicit_path_) Load(*explicit_path_);
}

void ConfigSet::AddRoot(const std::string& path) {
  fs::path absolute = Absolute(path);
  std::error_code error;
  fs::path dir =
      fs::is_directory(absolute, error) ? absolute : absolute.parent_path();
  fs::path boundary = RepositoryRoot(dir);
  if (boundary.empty()) {
    // Outside a repository: up to the working directory when the path is
    // below it, else the checked directory itself.
    fs::path cwd = Absolute(".");
    fs::path below = dir.lexically_relative(cwd);
    bool inside = !below.empty() && *below.begin() != "..";
    boundary = inside ? cwd : dir;
  }
  roots_.emplace_back(dir.string(), boundary.string());
}

const Config* ConfigSet::Load(const std::string& path) {
  auto it = loaded_.find(path);
  if (it != loaded_.end()) return it->second.get();

  std::unique_ptr<Config>& slot = loaded_[path];
  std::string text, error;
  if (!ReadSourceFile(path, kMaxConfigBytes, &text, &error)) {
    errors_.push_back(
        {Location{path}, "cannot read configuration file: " + error});
    return nullptr;
  }
  std::optional<Config> config = ParseConfig(path, text, &errors_);
  if (!config) return nullptr;
  slot = std::make_unique<Config>(std::move(*config));
  return slot.get();
}

const Config* ConfigSet::Find(const std::string& absolute_file) {
  std::error_code error;
  fs::path dir = fs::is_directory(absolute_file, error)
                     ? fs::path(absolute_file)
                     : fs::path(absolute_file).parent_path();
  if (auto cached = by_directory_.find(dir.string());
      cached != by_directory_.end()) {
    return cached->second;
  }

  // The search stops at the boundary of the checked path holding the file.
  std::string boundary;
  size_t best = 0;
  for (const auto& [root, root_boundary] : roots_) {
    fs::path relative = dir.lexically_relative(root);
    bool inside = !relative.empty() && *relative.begin() != "..";
    if (inside && root.size() >= best) {
      best = root.size();
      boundary = root_boundary;
    }
  }
  if (boundary.empty()) {
    fs::path repository = RepositoryRoot(dir);
    boundary = (repository.empty() ? dir : repository).string();
  }

  std::vector<std::string> visited;
  const Config* found = nullptr;
  for (fs::path at = dir;; at = at.parent_path()) {
    auto cached = by_directory_.find(at.string());
    if (cached != by_directory_.end()) {
      found = cached->second;
      break;
    }
    visited.push_back(at.string());
    fs::path candidate = at / kConfigFileName;
    if (fs::is_regular_file(candidate, error)) {
      found = Load(Display(candidate));
      if (found == nullptr) found = &defaults_;
      break;
    }
    if (at.string() == boundary || at == at.parent_path()) break;
  }
  if (found == nullptr) found = &defaults_;
  for (const std::string& dir_path : visited) by_directory_[dir_path] = found;
  return found;
}

const FileSettings& ConfigSet::ForFile(const std::string& path) {
  fs::path absolute = Absolute(path);
  std::unique_ptr<FileSettings>& slot = settings_[absolute.string()];
  if (slot) return *slot;

  const Config* config =
      explicit_path_ ? Load(*explicit_path_) : Find(absolute.string());
  if (config == nullptr) config = &defaults_;

  // The file's configuration, then the overrides that match it in order,
  // then the command line.
  auto settings = std::make_unique<FileSettings>();
  settings->config = config;
  settings->rules = config->rules;
  std::optional<std::vector<std::string>> trusted = config->trusted_origins;
  std::string relative = Relative(absolute, config->base_dir);
  for (const Config::Override& entry : config->overrides) {
    if (!AnyMatches(entry.files, relative)) continue;
    Merge(entry.rules, &settings->rules);
    if (entry.trusted_origins) trusted = entry.trusted_origins;
  }
  if (!command_line_.trusted_origins.empty()) {
    trusted = command_line_.trusted_origins;
  }
  settings->rule_options.trusted_origins =
      trusted.value_or(std::vector<std::string>());
  auto max_age = settings->rules.find(std::string(kMaxAgeRule));
  if (max_age != settings->rules.end() && max_age->second.max_age_limit) {
    settings->rule_options.max_age_limit = *max_age->second.max_age_limit;
  }
  if (command_line_.max_age_limit) {
    settings->rule_options.max_age_limit = *command_line_.max_age_limit;
  }
  settings->flask_cors = config->flask_cors;
  slot = std::move(settings);
  return *slot;
}

std::string ConfigSet::Exclusion(const std::string& path, bool named) {
  const FileSettings& settings = ForFile(path);
  const Config& config = *settings.config;
  std::string relative = Relative(Absolute(path), config.base_dir);
  for (const std::string& glob : config.exclude) {
    if (GlobMatches(glob, relative)) {
      return "excluded by \"" + glob + "\" in " + config.path;
    }
  }
  if (!named && !config.include.empty() &&
      !AnyMatches(config.include, relative)) {
    return "not matched by \"include\" in " + config.path;
  }
  return "";
}

std::string ShowConfig(const FileSettings& settings, const std::string& path) {
  const Config& config = *settings.config;
  YAML::Emitter out;
  out << YAML::Comment("effective configuration for " + path);
  out << YAML::Newline
      << YAML::Comment(config.path.empty()
                           ? "no " + std::string(kConfigFileName) +
                                 " found: built-in defaults"
                           : "from " + config.path);
  out << YAML::BeginMap;

  out << YAML::Key << "trusted-origins" << YAML::Value;
  if (settings.rule_options.trusted_origins.empty()) out << YAML::Flow;
  out << YAML::BeginSeq;
  for (const std::string& origin : settings.rule_options.trusted_origins) {
    out << origin;
  }
  out << YAML::EndSeq;

  out << YAML::Key << "rules" << YAML::Value << YAML::BeginMap;
  std::vector<const RuleInfo*> rules(AllRules().begin(), AllRules().end());
  for (const RuleInfo* rule : MetaRules()) rules.push_back(rule);
  for (const RuleInfo* rule : rules) {
    RuleLevel level = settings.LevelOf(rule->name);
    out << YAML::Key << std::string(rule->name) << YAML::Value;
    if (rule->name == kMaxAgeRule) {
      out << YAML::BeginMap << YAML::Key << "level" << YAML::Value
          << std::string(LevelName(level)) << YAML::Key
          << std::string(kMaxAgeOption) << YAML::Value
          << settings.rule_options.max_age_limit << YAML::EndMap;
      continue;
    }
    out << std::string(LevelName(level));
    if (level == RuleLevel::kOn) {
      out << YAML::Comment(std::string(
          rule->severity_note.empty() ? SeverityName(rule->default_severity)
                                      : rule->severity_note));
    }
  }
  out << YAML::EndMap;

  for (const auto& [key, globs] : {std::pair{"include", &config.include},
                                   std::pair{"exclude", &config.exclude}}) {
    out << YAML::Key << key << YAML::Value;
    if (globs->empty()) out << YAML::Flow;
    out << YAML::BeginSeq;
    for (const std::string& glob : *globs) out << glob;
    out << YAML::EndSeq;
  }
  out << YAML::Key << "flask-cors" << YAML::Value
      << settings.flask_cors.value_or(LoaderOptions().flask_cors_line);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace corslint
