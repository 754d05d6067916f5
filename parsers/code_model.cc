#include "parsers/code_model.h"

#include <algorithm>
#include <sstream>

#include "analyzer/analysis.h"

namespace corslint::code {

Condition Condition::Constant(bool value) {
  Condition condition;
  condition.kind = Kind::kConstant;
  condition.constant = value;
  return condition;
}

Condition Condition::Check(int index, Span span) {
  Condition condition;
  condition.kind = Kind::kCheck;
  condition.check = index;
  condition.span = span;
  return condition;
}

Condition Condition::Not(Condition operand) {
  if (operand.kind == Kind::kConstant) return Constant(!operand.constant);
  Condition condition;
  condition.kind = Kind::kNot;
  condition.span = operand.span;
  condition.operands.push_back(std::move(operand));
  return condition;
}

Condition Condition::Unknown(Span span) {
  Condition condition;
  condition.kind = Kind::kUnknown;
  condition.span = span;
  return condition;
}

Value Value::Literal(std::string text) {
  Value value;
  value.kind = Kind::kLiteral;
  value.text = std::move(text);
  return value;
}

Value Value::RequestHeader(std::string name,
                           std::optional<std::string> when_absent) {
  Value value;
  value.kind = Kind::kRequestHeader;
  value.text = std::move(name);
  value.when_absent = std::move(when_absent);
  return value;
}

Truth Evaluate(const Condition& condition,
               const std::vector<OriginCheck>& checks, const Request& request) {
  using Kind = Condition::Kind;
  switch (condition.kind) {
    case Kind::kConstant:
      return condition.constant ? Truth::kTrue : Truth::kFalse;
    case Kind::kCheck: {
      if (condition.check < 0 ||
          condition.check >= static_cast<int>(checks.size())) {
        return Truth::kUnknown;
      }
      const OriginCheck& check = checks[condition.check];
      if (check.kind == OriginCheckKind::kUnknown) return Truth::kUnknown;
      // A JavaScript RegExp with `g` or `y` answers by the requests before.
      if (check.stateful && request.regex_state == RegexState::kUnknown) {
        return Truth::kUnknown;
      }
      if (!request.origin) return Truth::kFalse;
      std::optional<bool> matches =
          check.MatchesIn(request.regex_state, *request.origin);
      if (!matches) return Truth::kUnknown;
      return *matches ? Truth::kTrue : Truth::kFalse;
    }
    case Kind::kHasOrigin:
      return request.origin ? Truth::kTrue : Truth::kFalse;
    case Kind::kMethodIs:
      return EqualsIgnoreCase(request.method, condition.method) ? Truth::kTrue
                                                                : Truth::kFalse;
    case Kind::kNot: {
      Truth inner = Evaluate(condition.operands.front(), checks, request);
      if (inner == Truth::kUnknown) return inner;
      return inner == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
    }
    case Kind::kAll:
    case Kind::kAny: {
      // Short-circuit like the languages do: a decisive operand wins even
      // when another one is unknown.
      bool all = condition.kind == Kind::kAll;
      bool unknown = false;
      for (const Condition& operand : condition.operands) {
        Truth truth = Evaluate(operand, checks, request);
        if (truth == Truth::kUnknown) {
          unknown = true;
          continue;
        }
        if ((truth == Truth::kTrue) != all) return truth;
      }
      if (unknown) return Truth::kUnknown;
      return all ? Truth::kTrue : Truth::kFalse;
    }
    case Kind::kUnknown:
      return Truth::kUnknown;
  }
  return Truth::kUnknown;
}

void ApplyHeader(const Statement& statement, const Request& request,
                 bool uncertain, Response* response) {
  auto& headers = response->headers;
  auto same_name = [&](const ResponseHeader& header) {
    return EqualsIgnoreCase(header.name, statement.name);
  };

  if (statement.kind == Statement::Kind::kRemoveHeader) {
    if (uncertain) return;
    headers.erase(std::remove_if(headers.begin(), headers.end(), same_name),
                  headers.end());
    return;
  }

  ResponseHeader header;
  header.name = statement.name;
  header.span = statement.span;
  header.mechanism = statement.mechanism;
  const Value& value = statement.value;
  switch (value.kind) {
    case Value::Kind::kLiteral:
      header.value = value.text;
      break;
    case Value::Kind::kRequestHeader: {
      const std::string* sent = request.Header(value.text);
      if (sent != nullptr) {
        header.value = *sent;
      } else if (value.when_absent) {
        header.value = *value.when_absent;
      } else {
        return;
      }
      break;
    }
    case Value::Kind::kUnknown:
      header.value_known = false;
      break;
  }
  if (uncertain) header.value_known = false;

  switch (statement.kind) {
    case Statement::Kind::kSetHeader:
      headers.erase(std::remove_if(headers.begin(), headers.end(), same_name),
                    headers.end());
      headers.push_back(std::move(header));
      return;
    case Statement::Kind::kVary: {
      auto existing = std::find_if(headers.begin(), headers.end(), same_name);
      if (existing == headers.end()) {
        headers.push_back(std::move(header));
        return;
      }
      for (const std::string& token : SplitList(existing->value)) {
        if (EqualsIgnoreCase(token, header.value)) return;
      }
      existing->value += ", " + header.value;
      existing->value_known = existing->value_known && header.value_known;
      return;
    }
    default:
      headers.push_back(std::move(header));
      return;
  }
}

namespace {

Outcome Run(const Block& block, const std::vector<OriginCheck>& checks,
            const Request& request, bool uncertain, Response* response) {
  Outcome outcome;
  outcome.uncertain = uncertain;
  for (const Statement& statement : block) {
    using Kind = Statement::Kind;
    switch (statement.kind) {
      case Kind::kSetHeader:
      case Kind::kAddHeader:
      case Kind::kVary:
      case Kind::kRemoveHeader:
        ApplyHeader(statement, request, uncertain, response);
        break;
      case Kind::kRespond:
      case Kind::kNext:
      case Kind::kReturn:
      case Kind::kResult: {
        if (uncertain) break;
        static const Outcome::Kind kEnding[] = {
            Outcome::Kind::kRespond, Outcome::Kind::kNext,
            Outcome::Kind::kReturn, Outcome::Kind::kResult};
        outcome.kind = kEnding[static_cast<int>(statement.kind) -
                               static_cast<int>(Kind::kRespond)];
        outcome.status = statement.status;
        outcome.result = statement.result;
        outcome.span = statement.span;
        return outcome;
      }
      case Kind::kIf: {
        Truth truth = Evaluate(statement.condition, checks, request);
        if (truth == Truth::kUnknown) {
          Run(statement.then_block, checks, request, true, response);
          Run(statement.else_block, checks, request, true, response);
          outcome.uncertain = true;
          uncertain = true;
          break;
        }
        Outcome inner = Run(
            truth == Truth::kTrue ? statement.then_block : statement.else_block,
            checks, request, uncertain, response);
        if (inner.kind != Outcome::Kind::kFellThrough) return inner;
        outcome.uncertain = outcome.uncertain || inner.uncertain;
        uncertain = outcome.uncertain;
        break;
      }
    }
  }
  return outcome;
}

bool IsCorsName(std::string_view name) {
  return EqualsIgnoreCase(name, "Vary") ||
         (name.size() > 15 &&
          EqualsIgnoreCase(name.substr(0, 15), "Access-Control-"));
}

void DumpCondition(const Condition& condition,
                   const std::vector<OriginCheck>& checks,
                   std::ostringstream& out) {
  using Kind = Condition::Kind;
  switch (condition.kind) {
    case Kind::kConstant:
      out << (condition.constant ? "true" : "false");
      return;
    case Kind::kCheck:
      out << "check#" << condition.check;
      if (condition.check >= 0 &&
          condition.check < static_cast<int>(checks.size())) {
        out << "(" << checks[condition.check].pattern << ")";
      }
      return;
    case Kind::kHasOrigin:
      out << "has-origin";
      return;
    case Kind::kMethodIs:
      out << "method=" << condition.method;
      return;
    case Kind::kNot:
      out << "!";
      DumpCondition(condition.operands.front(), checks, out);
      return;
    case Kind::kAll:
    case Kind::kAny: {
      out << "(";
      for (size_t i = 0; i < condition.operands.size(); ++i) {
        if (i > 0) out << (condition.kind == Kind::kAll ? " && " : " || ");
        DumpCondition(condition.operands[i], checks, out);
      }
      out << ")";
      return;
    }
    case Kind::kUnknown:
      out << "unknown";
      return;
  }
}

void DumpInto(const Block& block, const std::vector<OriginCheck>& checks,
              int depth, std::ostringstream& out) {
  std::string indent(depth * 2, ' ');
  for (const Statement& statement : block) {
    using Kind = Statement::Kind;
    out << indent;
    switch (statement.kind) {
      case Kind::kSetHeader:
      case Kind::kAddHeader:
      case Kind::kVary: {
        const char* verb = statement.kind == Kind::kSetHeader   ? "set"
                           : statement.kind == Kind::kAddHeader ? "add"
                                                                : "vary";
        out << verb << " " << statement.name << " = ";
        if (statement.value.kind == Value::Kind::kLiteral) {
          out << "\"" << statement.value.text << "\"";
        } else if (statement.value.kind == Value::Kind::kRequestHeader) {
          out << "request " << statement.value.text;
        } else {
          out << "<unknown>";
        }
        out << "\n";
        break;
      }
      case Kind::kRemoveHeader:
        out << "remove " << statement.name << "\n";
        break;
      case Kind::kRespond:
        out << "respond " << statement.status << "\n";
        break;
      case Kind::kNext:
        out << "next\n";
        break;
      case Kind::kReturn:
        out << "return\n";
        break;
      case Kind::kResult:
        out << "result " << statement.result << "\n";
        break;
      case Kind::kIf:
        out << "if ";
        DumpCondition(statement.condition, checks, out);
        out << "\n";
        DumpInto(statement.then_block, checks, depth + 1, out);
        if (!statement.else_block.empty()) {
          out << indent << "else\n";
          DumpInto(statement.else_block, checks, depth + 1, out);
        }
        break;
    }
  }
}

}  // namespace

Outcome Execute(const Block& block, const std::vector<OriginCheck>& checks,
                const Request& request, Response* response) {
  return Run(block, checks, request, false, response);
}

bool TouchesCors(const Block& block) {
  for (const Statement& statement : block) {
    if (statement.kind == Statement::Kind::kIf) {
      if (TouchesCors(statement.then_block) ||
          TouchesCors(statement.else_block)) {
        return true;
      }
      continue;
    }
    if (!statement.name.empty() && IsCorsName(statement.name)) return true;
  }
  return false;
}

std::string DumpBlock(const Block& block,
                      const std::vector<OriginCheck>& checks) {
  std::ostringstream out;
  DumpInto(block, checks, 0, out);
  return out.str();
}

bool NamesCorsHeader(const std::string& text) {
  return text.find("Access-Control-") != std::string::npos ||
         text.find("access-control-") != std::string::npos;
}

std::unique_ptr<Document> NewCodeDocument(Format format,
                                          const std::string& path,
                                          std::string text, size_t max_bytes,
                                          std::string_view language,
                                          const SourceFile** file) {
  auto document = std::make_unique<Document>();
  document->format = format;
  document->path = path;
  *file = nullptr;
  if (text.size() > max_bytes) {
    document->errors.push_back(
        {Location{path},
         "file is larger than the " + std::to_string(max_bytes >> 20) +
             " MiB corslint reads as " + std::string(language)});
    return document;
  }
  *file = document->AddFile(path, std::move(text));
  return document;
}

}  // namespace corslint::code
