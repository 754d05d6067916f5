// Regular expressions evaluated with PCRE2, the engine nginx and httpd use.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corslint {

// How a platform applies a pattern to a subject.
enum class RegexAnchor {
  kSearch,  // match anywhere (nginx, httpd, RegExp.test)
  kStart,   // match at the start only (Python re.match)
  kFull,    // the whole subject (Python re.fullmatch)
};

// Source syntax of the pattern; PCRE2 options are chosen to follow it.
enum class RegexDialect { kPcre, kJavaScript, kPython };

struct RegexOptions {
  RegexDialect dialect = RegexDialect::kPcre;
  RegexAnchor anchor = RegexAnchor::kSearch;
  bool case_insensitive = false;
};

// A compiled pattern. Thread-safe: every match uses its own match data.
class Regex {
 public:
  // Compiles `pattern`. Returns null and fills `error` (with the offset of
  // the fault in the pattern) when PCRE2 rejects it.
  static std::unique_ptr<Regex> Compile(std::string_view pattern,
                                        const RegexOptions& options,
                                        std::string* error);
  ~Regex();

  // Whether the pattern matches `subject` under the anchoring rule. When
  // `captures` is given it receives $0..$n (unset groups are empty).
  bool Match(std::string_view subject,
             std::vector<std::string>* captures = nullptr) const;
  // Where the first match that starts at byte `start` or later ends (for a
  // pattern anchored by its options: one that starts at `start`), as a
  // JavaScript RegExp with the g or y flag searches from its lastIndex.
  // nullopt when there is none or `start` lies past the end.
  std::optional<size_t> MatchEnd(std::string_view subject,
                                 size_t start = 0) const;

  const std::string& pattern() const { return pattern_; }
  const RegexOptions& options() const { return options_; }

 private:
  Regex() = default;
  std::string pattern_;
  RegexOptions options_;
  void* code_ = nullptr;  // pcre2_code_8
};

}  // namespace corslint
