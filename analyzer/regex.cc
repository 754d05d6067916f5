#include "analyzer/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace corslint {

std::unique_ptr<Regex> Regex::Compile(std::string_view pattern,
                                      const RegexOptions& options,
                                      std::string* error) {
  uint32_t flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
  if (options.case_insensitive) flags |= PCRE2_CASELESS;
  if (options.anchor != RegexAnchor::kSearch) flags |= PCRE2_ANCHORED;
  if (options.anchor == RegexAnchor::kFull) flags |= PCRE2_ENDANCHORED;
  if (options.dialect == RegexDialect::kJavaScript) {
    flags |= PCRE2_ALT_BSUX | PCRE2_MATCH_UNSET_BACKREF;
  }
  if (options.dialect == RegexDialect::kPython) {
    // Python's `$` also matches before a final newline, like PCRE's default;
    // nothing to change there.
  }

  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* compiled =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()),
                    pattern.size(), flags, &code, &offset, nullptr);
  if (compiled == nullptr) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(code, buffer, sizeof(buffer));
    *error = reinterpret_cast<char*>(buffer);
    *error += " at offset " + std::to_string(offset);
    return nullptr;
  }
  // No JIT: the subjects are origins and paths, matched a few dozen
  // times per pattern, and compiling to machine code costs more than the
  // interpreter spends on them.

  std::unique_ptr<Regex> regex(new Regex);
  regex->pattern_ = std::string(pattern);
  regex->options_ = options;
  regex->code_ = compiled;
  return regex;
}

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

bool Regex::Match(std::string_view subject,
                  std::vector<std::string>* captures) const {
  auto* compiled = static_cast<pcre2_code*>(code_);

  // Match data of each thread, reused: most patterns have few groups.
  constexpr uint32_t kSharedPairs = 32;
  struct MatchData {
    pcre2_match_data* data = pcre2_match_data_create(kSharedPairs, nullptr);
    ~MatchData() { pcre2_match_data_free(data); }
  };
  thread_local MatchData shared;
  uint32_t groups = 0;
  pcre2_pattern_info(compiled, PCRE2_INFO_CAPTURECOUNT, &groups);
  bool own = groups + 1 > kSharedPairs;
  pcre2_match_data* data =
      own ? pcre2_match_data_create_from_pattern(compiled, nullptr)
          : shared.data;
  int rc = pcre2_match(compiled, reinterpret_cast<PCRE2_SPTR>(subject.data()),
                       subject.size(), 0, 0, data, nullptr);
  bool matched = rc > 0;
  if (matched && captures != nullptr) {
    PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
    captures->assign(groups + 1, std::string());
    for (int i = 0; i < rc; ++i) {
      if (ovector[2 * i] == PCRE2_UNSET) continue;
      (*captures)[i] = std::string(
          subject.substr(ovector[2 * i], ovector[2 * i + 1] - ovector[2 * i]));
    }
  }
  if (own) pcre2_match_data_free(data);
  return matched;
}

std::optional<size_t> Regex::MatchEnd(std::string_view subject,
                                      size_t start) const {
  if (start > subject.size()) return std::nullopt;
  auto* compiled = static_cast<pcre2_code*>(code_);
  pcre2_match_data* data =
      pcre2_match_data_create_from_pattern(compiled, nullptr);
  int rc = pcre2_match(compiled, reinterpret_cast<PCRE2_SPTR>(subject.data()),
                       subject.size(), start, 0, data, nullptr);
  std::optional<size_t> end;
  if (rc > 0) end = pcre2_get_ovector_pointer(data)[1];
  pcre2_match_data_free(data);
  return end;
}

}  // namespace corslint
