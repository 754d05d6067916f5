#include "analyzer/github.h"

namespace corslint {

namespace {

// The escaping of the Actions toolkit: `%`, CR and LF in messages; also
// `:` and `,` in property values.
std::string Escape(std::string_view text, bool property) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '%':
        escaped += "%25";
        break;
      case '\r':
        escaped += "%0D";
        break;
      case '\n':
        escaped += "%0A";
        break;
      case ':':
        escaped += property ? "%3A" : ":";
        break;
      case ',':
        escaped += property ? "%2C" : ",";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string_view Command(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "notice";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "warning";
}

void PrintCommand(std::string_view command, const Location& where,
                  std::string_view title, std::string_view message,
                  std::ostream& out) {
  std::string_view file = where.file;
  while (file.starts_with("./")) file.remove_prefix(2);
  out << "::" << command << " file=" << Escape(file, true);
  if (where.line > 0) {
    out << ",line=" << where.line << ",col=" << where.column;
    if (where.end_line > 0) {
      out << ",endLine=" << where.end_line << ",endColumn=" << where.end_column;
    }
  }
  out << ",title=" << Escape(title, true) << "::" << Escape(message, false)
      << "\n";
}

}  // namespace

void PrintGithub(const CheckResult& result, std::ostream& out) {
  for (const InputError& error : result.errors) {
    PrintCommand(error.warning ? "warning" : "error", error.where, "corslint",
                 error.message, out);
  }
  for (const Finding& finding : result.findings) {
    std::string message = finding.message;
    if (!finding.help.empty()) message += "\nhelp: " + finding.help;
    PrintCommand(Command(finding.severity), Locate(finding.span), finding.rule,
                 message, out);
  }
}

}  // namespace corslint
