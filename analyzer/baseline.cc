#include "analyzer/baseline.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

namespace corslint {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxBaselineBytes = 64u << 20;

// 64-bit FNV-1a: stable across platforms and releases, which is all a
// fingerprint needs.
uint64_t Fnv1a(std::string_view text, uint64_t hash = 14695981039346656037u) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211u;
  }
  return hash;
}

std::string FoldSpace(std::string_view text) {
  std::string folded;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !folded.empty();
      continue;
    }
    if (space) folded += ' ';
    space = false;
    folded += c;
  }
  return folded;
}

std::string FileOf(const Finding& finding) {
  return finding.span.valid() ? finding.span.file->path() : std::string();
}

// `path` relative to `dir`, with `/` separators.
std::string RelativeTo(const std::string& path, const fs::path& dir) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error).lexically_normal();
  return absolute.lexically_relative(dir).generic_string();
}

fs::path DirectoryOf(const std::string& baseline_path) {
  std::error_code error;
  return fs::absolute(baseline_path, error).lexically_normal().parent_path();
}

}  // namespace

std::vector<std::string> Fingerprints(const std::vector<Finding>& findings) {
  std::vector<std::string> prints;
  std::map<std::pair<std::string, uint64_t>, int> seen;
  for (const Finding& finding : findings) {
    uint64_t hash = Fnv1a(finding.rule);
    hash = Fnv1a(std::string_view("\0", 1), hash);
    hash = Fnv1a(FoldSpace(finding.span.text()), hash);
    int occurrence = seen[{FileOf(finding), hash}]++;
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%016llx",
                  static_cast<unsigned long long>(hash));
    prints.push_back(std::string(hex) + ":" + std::to_string(occurrence));
  }
  return prints;
}

bool WriteBaseline(const std::string& path, const CheckResult& result,
                   std::string* error) {
  fs::path dir = DirectoryOf(path);
  std::vector<std::string> prints = Fingerprints(result.findings);
  std::vector<nlohmann::json> entries;
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const Finding& finding = result.findings[i];
    entries.push_back({{"rule", finding.rule},
                       {"file", RelativeTo(FileOf(finding), dir)},
                       {"fingerprint", prints[i]},
                       {"message", finding.message}});
  }
  std::stable_sort(entries.begin(), entries.end(), [](auto& a, auto& b) {
    return std::tie(a["file"], a["rule"], a["fingerprint"]) <
           std::tie(b["file"], b["rule"], b["fingerprint"]);
  });
  nlohmann::json document = {{"version", 1}, {"findings", entries}};

  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << document.dump(2) << "\n";
  out.close();
  if (!out) {
    *error = "cannot write baseline \"" + path + "\"";
    return false;
  }
  return true;
}

std::optional<Baseline> ReadBaseline(const std::string& path,
                                     InputError* error) {
  std::string text, read_error;
  if (!ReadSourceFile(path, kMaxBaselineBytes, &text, &read_error)) {
    *error = {Location{path}, "cannot read baseline: " + read_error};
    return std::nullopt;
  }
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // The byte offset of the error, as a line and column.
    SourceFile file(path, text);
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    Location where{path};
    file.Position(offset, &where.line, &where.column);
    std::string message = e.what();
    size_t detail = message.find("syntax error");
    *error = {
        where,
        "invalid JSON in baseline: " +
            (detail == std::string::npos ? message : message.substr(detail))};
    return std::nullopt;
  }

  auto fail = [&](std::string message) {
    *error = {Location{path}, std::move(message)};
    return std::nullopt;
  };
  if (!document.is_object() || !document.contains("version") ||
      document["version"] != 1) {
    return fail(
        "not a corslint baseline: expected an object with \"version\": 1");
  }
  if (!document.contains("findings") || !document["findings"].is_array()) {
    return fail("\"findings\" must be a list");
  }
  Baseline baseline;
  baseline.path = path;
  const nlohmann::json& findings = document["findings"];
  for (size_t i = 0; i < findings.size(); ++i) {
    const nlohmann::json& item = findings[i];
    for (const char* key : {"rule", "file", "fingerprint"}) {
      if (!item.is_object() || !item.contains(key) || !item[key].is_string()) {
        return fail("\"/findings/" + std::to_string(i) + "/" + key +
                    "\" must be a string");
      }
    }
    baseline.entries.push_back(
        {item["rule"], item["file"], item["fingerprint"]});
  }
  return baseline;
}

size_t ApplyBaseline(const Baseline& baseline, CheckResult* result) {
  std::set<std::tuple<std::string, std::string, std::string>> known;
  for (const BaselineEntry& entry : baseline.entries) {
    known.emplace(entry.rule, entry.file, entry.fingerprint);
  }
  fs::path dir = DirectoryOf(baseline.path);
  std::vector<std::string> prints = Fingerprints(result->findings);

  std::vector<Finding> kept;
  for (size_t i = 0; i < result->findings.size(); ++i) {
    Finding& finding = result->findings[i];
    auto key = std::make_tuple(finding.rule, RelativeTo(FileOf(finding), dir),
                               prints[i]);
    if (known.count(key)) continue;
    kept.push_back(std::move(finding));
  }
  size_t removed = result->findings.size() - kept.size();
  result->findings = std::move(kept);
  return removed;
}

}  // namespace corslint
