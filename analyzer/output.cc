#include "analyzer/output.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "analyzer/origin.h"
#include "fixers/apply.h"

namespace corslint {

namespace {

// The source line of `span` and a caret line under it. Tabs before the
// culprit are copied so that the caret lines up in a terminal.
void PrintExcerpt(const Span& span, std::ostream& out) {
  if (!span.valid()) return;
  Location where = Locate(span);
  std::string_view line = span.file->Line(where.line);
  if (line.empty()) return;
  size_t column = static_cast<size_t>(where.column - 1);
  size_t width = where.end_line == where.line && where.end_column > where.column
                     ? static_cast<size_t>(where.end_column - where.column)
                     : line.size() - std::min(column, line.size());

  // A long line (minified or generated code) is shown as a window around
  // the culprit.
  constexpr size_t kWindow = 160;
  std::string_view before = "", after = "";
  if (line.size() > kWindow) {
    size_t start = column > kWindow / 4 ? column - kWindow / 4 : 0;
    size_t end = std::min(line.size(), start + kWindow);
    if (start > 0) before = "...";
    if (end < line.size()) after = "...";
    line = line.substr(start, end - start);
    column -= start;
    width = std::min(width, line.size() - std::min(column, line.size()));
  }

  std::string number = std::to_string(where.line);
  std::string gutter(number.size(), ' ');
  out << " " << number << " | " << before << line << after << "\n";
  out << " " << gutter << " | " << std::string(before.size(), ' ');
  for (size_t i = 0; i < column && i < line.size(); ++i) {
    out << (line[i] == '\t' ? '\t' : ' ');
  }
  out << "^" << std::string(width > 1 ? width - 1 : 0, '~') << "\n";
}

std::string Position(const Location& where) {
  std::string text = where.file;
  if (where.line > 0) {
    text +=
        ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
  }
  return text;
}

std::string DescribeHeaders(const Response& response) {
  std::string text;
  for (const ResponseHeader& header : response.headers) {
    if (!text.empty()) text += ", ";
    text +=
        header.name + ": " + (header.value_known ? header.value : "(unknown)");
  }
  return text.empty() ? "no CORS headers" : text;
}

std::string DescribeRequest(const Request& request) {
  std::string text = request.method + " " + request.path;
  if (request.origin) text += " with Origin: " + *request.origin;
  for (const auto& [name, value] : request.headers) {
    text += ", " + name + ": " + value;
  }
  return text;
}

std::string Summary(const CheckResult& result) {
  size_t counts[3] = {0, 0, 0};
  for (const Finding& finding : result.findings) {
    ++counts[static_cast<int>(finding.severity)];
  }
  std::string files = std::to_string(result.files_read) +
                      (result.files_read == 1 ? " file" : " files");
  if (result.findings.empty()) return "no findings in " + files;

  std::string parts;
  const char* names[3][2] = {
      {"info", "infos"}, {"warning", "warnings"}, {"error", "errors"}};
  for (int s = 2; s >= 0; --s) {
    if (counts[s] == 0) continue;
    if (!parts.empty()) parts += ", ";
    parts += std::to_string(counts[s]) + " " + names[s][counts[s] == 1 ? 0 : 1];
  }
  size_t total = result.findings.size();
  return std::to_string(total) + (total == 1 ? " finding" : " findings") +
         " (" + parts + ") in " + files;
}

nlohmann::json LocationJson(const Location& where) {
  return {{"file", where.file},
          {"line", where.line},
          {"column", where.column},
          {"end_line", where.end_line},
          {"end_column", where.end_column}};
}

std::string_view SafetyName(FixSafety safety) {
  switch (safety) {
    case FixSafety::kSafe:
      return "safe";
    case FixSafety::kUnsafe:
      return "unsafe";
    case FixSafety::kDisplayOnly:
      return "display-only";
  }
  return "?";
}

// Findings that --fix would mend under the report's options, and those
// that only --unsafe-fixes would add.
void CountFixable(const CheckResult& result, const FixReport& report,
                  size_t* fixable, size_t* more) {
  *fixable = 0;
  *more = 0;
  for (const Finding& finding : result.findings) {
    bool safe = false, unsafe = false;
    for (const Fix& fix : finding.fixes) {
      safe = safe || FixApplies(fix, false);
      unsafe = unsafe || FixApplies(fix, true);
    }
    if (report.unsafe) {
      *fixable += unsafe;
    } else {
      *fixable += safe;
      *more += !safe && unsafe;
    }
  }
}

std::string FixableSummary(const CheckResult& result, const FixReport& report) {
  size_t fixable = 0, more = 0;
  CountFixable(result, report, &fixable, &more);
  std::string text;
  if (fixable > 0) {
    text += ", " + std::to_string(fixable) + " fixable with --fix";
    if (report.unsafe) text += " --unsafe-fixes";
  }
  if (more > 0) {
    text += ", " + std::to_string(more) + (fixable > 0 ? " more" : " fixable") +
            " with --fix --unsafe-fixes";
  }
  return text;
}

void PrintFixes(const Finding& finding, std::ostream& out) {
  for (const Fix& fix : finding.fixes) {
    if (fix.safety == FixSafety::kDisplayOnly) {
      out << "suggestion: " << fix.description << "\n";
      size_t start = 0;
      while (start < fix.snippet.size()) {
        size_t end = fix.snippet.find('\n', start);
        if (end == std::string::npos) end = fix.snippet.size();
        std::string_view line(fix.snippet.data() + start, end - start);
        if (line.ends_with('\r')) line.remove_suffix(1);
        out << "    " << line << "\n";
        start = end + 1;
      }
      continue;
    }
    out << "fix" << (fix.safety == FixSafety::kUnsafe ? " (unsafe)" : "")
        << ": " << fix.description << "\n";
  }
}

nlohmann::json FixesJson(const Finding& finding) {
  nlohmann::json fixes = nlohmann::json::array();
  for (const Fix& fix : finding.fixes) {
    nlohmann::json edits = nlohmann::json::array();
    for (const Edit& edit : fix.edits) {
      nlohmann::json item = LocationJson(Locate(edit.span));
      item["replacement"] = edit.replacement;
      edits.push_back(std::move(item));
    }
    nlohmann::json item = {{"description", fix.description},
                           {"applicability", SafetyName(fix.safety)},
                           {"edits", std::move(edits)}};
    if (!fix.snippet.empty()) item["snippet"] = fix.snippet;
    fixes.push_back(std::move(item));
  }
  return fixes;
}

}  // namespace

void PrintText(const CheckResult& result, std::ostream& out,
               const FixReport& fixes) {
  for (const Finding& finding : result.findings) {
    Location where = Locate(finding.span);
    out << Position(where) << ": " << SeverityName(finding.severity) << ": "
        << finding.message << " [" << finding.rule << "]\n";
    PrintExcerpt(finding.span, out);
    if (finding.demonstration) {
      const Demonstration& demo = *finding.demonstration;
      out << "  request: " << DescribeRequest(demo.request) << "\n";
      out << "  answer:  " << demo.response.status << " with "
          << DescribeHeaders(demo.response) << "\n";
    }
    for (const FindingNote& note : finding.notes) {
      out << Position(Locate(note.span)) << ": note: " << note.message << "\n";
    }
    if (!finding.help.empty()) out << "help: " << finding.help << "\n";
    PrintFixes(finding, out);
    out << "\n";
  }
  if (fixes.fixing) {
    out << "applied " << fixes.applied
        << (fixes.applied == 1 ? " fix" : " fixes") << " to " << fixes.files
        << (fixes.files == 1 ? " file" : " files") << "\n";
  }
  out << Summary(result) << FixableSummary(result, fixes) << "\n";
}

void PrintInputErrors(const CheckResult& result, std::ostream& out) {
  for (const InputError& error : result.errors) {
    out << Position(error.where)
        << (error.warning ? ": warning: " : ": error: ") << error.message
        << "\n";
  }
}

namespace {

struct ReportedNote {
  const ModelNote* note;
  bool hides_policy;
};

std::vector<ReportedNote> ModelNotes(const CheckResult& result) {
  std::vector<ReportedNote> notes;
  for (const auto& document : result.documents) {
    for (const ModelNote& note : document->notes) {
      notes.push_back({&note, note.hides_policy});
    }
  }
  return notes;
}

}  // namespace

void PrintModelNotes(const CheckResult& result, bool all, std::ostream& out) {
  for (const ReportedNote& reported : ModelNotes(result)) {
    if (!all && !reported.hides_policy) continue;
    out << Position(Locate(reported.note->span))
        << ": note: " << reported.note->message << "\n";
  }
}

namespace {

// One finding as an item of the JSON report's `findings` array.
nlohmann::json FindingJson(const Finding& finding) {
  nlohmann::json item = LocationJson(Locate(finding.span));
  item["rule"] = finding.rule;
  item["severity"] = SeverityName(finding.severity);
  item["message"] = finding.message;
  item["help"] = finding.help;
  nlohmann::json notes = nlohmann::json::array();
  for (const FindingNote& note : finding.notes) {
    nlohmann::json entry = LocationJson(Locate(note.span));
    entry["message"] = note.message;
    notes.push_back(std::move(entry));
  }
  item["notes"] = std::move(notes);
  if (finding.demonstration) {
    const Demonstration& demo = *finding.demonstration;
    nlohmann::json headers = nlohmann::json::array();
    if (demo.request.origin)
      headers.push_back({"Origin", *demo.request.origin});
    for (const auto& [name, value] : demo.request.headers) {
      headers.push_back({name, value});
    }
    item["request"] = {{"method", demo.request.method},
                       {"path", demo.request.path},
                       {"headers", std::move(headers)}};
    nlohmann::json response_headers = nlohmann::json::array();
    for (const ResponseHeader& header : demo.response.headers) {
      response_headers.push_back(
          {header.name, header.value_known ? nlohmann::json(header.value)
                                           : nlohmann::json(nullptr)});
    }
    item["response"] = {{"status", demo.response.status},
                        {"headers", std::move(response_headers)}};
  }
  item["fixes"] = FixesJson(finding);
  return item;
}

// Writes `value` as `dump(2)` would inside a document, `depth` levels
// deep: each line after the first indented by two spaces a level.
void WriteNested(const nlohmann::json& value, int depth, std::ostream& out) {
  std::string text = value.dump(2);
  std::string indent(2 * static_cast<size_t>(depth), ' ');
  size_t start = 0;
  for (size_t newline; (newline = text.find('\n', start)) != text.npos;
       start = newline + 1) {
    out.write(text.data() + start,
              static_cast<std::streamsize>(newline + 1 - start));
    out << indent;
  }
  out.write(text.data() + start,
            static_cast<std::streamsize>(text.size() - start));
}

}  // namespace

void PrintJson(const CheckResult& result, std::ostream& out,
               const FixReport& fixes) {
  nlohmann::json errors = nlohmann::json::array();
  for (const InputError& error : result.errors) {
    nlohmann::json item = LocationJson(error.where);
    item["message"] = error.message;
    item["severity"] = error.warning ? "warning" : "error";
    errors.push_back(std::move(item));
  }

  nlohmann::json notes = nlohmann::json::array();
  for (const ReportedNote& reported : ModelNotes(result)) {
    nlohmann::json item = LocationJson(Locate(reported.note->span));
    item["message"] = reported.note->message;
    item["hides_policy"] = reported.hides_policy;
    notes.push_back(std::move(item));
  }

  size_t fixable = 0, more = 0;
  CountFixable(result, fixes, &fixable, &more);
  nlohmann::json summary = {{"files", result.files_read},
                            {"findings", result.findings.size()},
                            {"errors", result.errors.size()},
                            {"fixable", fixable},
                            {"unsafe_fixable", more}};
  if (fixes.fixing) {
    summary["fixes_applied"] = fixes.applied;
    summary["files_fixed"] = fixes.files;
  }

  // The document is written a member at a time, in the key order of
  // `dump`, so that the findings of a large tree are never held as JSON
  // all at once; the bytes are those `dump(2)` would print.
  out << "{\n  \"errors\": ";
  WriteNested(errors, 1, out);
  out << ",\n  \"findings\": ";
  if (result.findings.empty()) {
    out << "[]";
  } else {
    out << "[";
    const char* separator = "\n    ";
    for (const Finding& finding : result.findings) {
      out << separator;
      WriteNested(FindingJson(finding), 2, out);
      separator = ",\n    ";
    }
    out << "\n  ]";
  }
  out << ",\n  \"notes\": ";
  WriteNested(notes, 1, out);
  out << ",\n  \"summary\": ";
  WriteNested(summary, 1, out);
  out << ",\n  \"version\": 1\n}\n";
}

}  // namespace corslint
