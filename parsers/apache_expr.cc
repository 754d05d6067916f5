#include "parsers/apache_expr.h"

#include <fnmatch.h>

#include <cctype>

namespace corslint::apache {

namespace {

constexpr int kMaxExprDepth = 100;

// Variables of the form %{NAME} that read a request header (and add it to
// Vary), from ap_expr's table of request variables.
constexpr std::string_view kHeaderVariables[] = {
    "HTTP_ACCEPT",           "HTTP_COOKIE",  "HTTP_FORWARDED",  "HTTP_HOST",
    "HTTP_PROXY_CONNECTION", "HTTP_REFERER", "HTTP_USER_AGENT",
};

StrNode Literal(std::string text) {
  StrNode node;
  node.kind = StrNode::Kind::kLiteral;
  node.text = std::move(text);
  return node;
}

StrNode Unknown(std::string what) {
  StrNode node;
  node.kind = StrNode::Kind::kUnknown;
  node.text = std::move(what);
  return node;
}

// `%{name}` or `%{function:argument}`, or a function call `name(arg)`.
StrNode Variable(std::string_view name, std::string_view argument,
                 bool is_function) {
  StrNode node;
  std::string lower = ToLower(name);
  if (is_function) {
    node.text = std::string(argument);
    if (lower == "req" || lower == "http") {
      node.kind = StrNode::Kind::kHeader;
    } else if (lower == "req_novary") {
      node.kind = StrNode::Kind::kHeaderNoVary;
    } else if (lower == "reqenv" || lower == "env") {
      node.kind = StrNode::Kind::kEnv;
    } else {
      return Unknown("%{" + std::string(name) + ":" + std::string(argument) +
                     "}");
    }
    return node;
  }

  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  if (upper == "REQUEST_METHOD") {
    node.kind = StrNode::Kind::kMethod;
    return node;
  }
  if (upper == "REQUEST_URI" || upper == "DOCUMENT_URI") {
    node.kind = StrNode::Kind::kPath;
    return node;
  }
  for (std::string_view header : kHeaderVariables) {
    if (upper != header) continue;
    std::string header_name(header.substr(5));
    for (char& c : header_name) {
      if (c == '_') c = '-';
    }
    node.kind = StrNode::Kind::kHeader;
    node.text = header_name;
    return node;
  }
  return Unknown("%{" + std::string(name) + "}");
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::unique_ptr<BoolNode> ParseBool(std::string* error) {
    auto node = std::make_unique<BoolNode>();
    if (!ParseOr(node.get(), 0)) {
      *error = error_;
      return nullptr;
    }
    SkipSpace();
    if (pos_ < text_.size()) {
      *error = "unexpected \"" + std::string(text_.substr(pos_, 20)) +
               "\" in expression";
      return nullptr;
    }
    return node;
  }

  // String mode: literal text with %{...} variables and backslash escapes.
  std::unique_ptr<StrNode> ParseString(std::string* error) {
    auto node = std::make_unique<StrNode>();
    node->kind = StrNode::Kind::kConcat;
    std::string literal;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\\' && pos_ + 1 < text_.size()) {
        literal.push_back(text_[pos_ + 1]);
        pos_ += 2;
        continue;
      }
      if (c == '%' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
        if (!literal.empty()) node->children.push_back(Literal(literal));
        literal.clear();
        StrNode variable;
        if (!ParsePercentVariable(&variable)) {
          *error = error_;
          return nullptr;
        }
        node->children.push_back(std::move(variable));
        continue;
      }
      literal.push_back(c);
      ++pos_;
    }
    if (!literal.empty()) node->children.push_back(Literal(literal));
    return node;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() &&
           std::isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }

  bool Consume(std::string_view token) {
    SkipSpace();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }

  bool Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  bool ParseOr(BoolNode* out, int depth) {
    if (depth > kMaxExprDepth) return Fail("expression nested too deeply");
    BoolNode left;
    if (!ParseAnd(&left, depth + 1)) return false;
    while (Consume("||")) {
      BoolNode right;
      if (!ParseAnd(&right, depth + 1)) return false;
      BoolNode joined;
      joined.op = BoolNode::Op::kOr;
      joined.children.push_back(std::move(left));
      joined.children.push_back(std::move(right));
      left = std::move(joined);
    }
    *out = std::move(left);
    return true;
  }

  bool ParseAnd(BoolNode* out, int depth) {
    BoolNode left;
    if (!ParseNot(&left, depth + 1)) return false;
    while (Consume("&&")) {
      BoolNode right;
      if (!ParseNot(&right, depth + 1)) return false;
      BoolNode joined;
      joined.op = BoolNode::Op::kAnd;
      joined.children.push_back(std::move(left));
      joined.children.push_back(std::move(right));
      left = std::move(joined);
    }
    *out = std::move(left);
    return true;
  }

  bool ParseNot(BoolNode* out, int depth) {
    if (depth > kMaxExprDepth) return Fail("expression nested too deeply");
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '!' &&
        (pos_ + 1 >= text_.size() ||
         (text_[pos_ + 1] != '=' && text_[pos_ + 1] != '~'))) {
      ++pos_;
      BoolNode inner;
      if (!ParseNot(&inner, depth + 1)) return false;
      out->op = BoolNode::Op::kNot;
      out->children.push_back(std::move(inner));
      return true;
    }
    return ParsePrimary(out, depth + 1);
  }

  bool ParsePrimary(BoolNode* out, int depth) {
    SkipSpace();
    if (Consume("(")) {
      if (!ParseOr(out, depth + 1)) return false;
      if (!Consume(")")) return Fail("missing \")\" in expression");
      return true;
    }
    if (ConsumeKeyword("true")) {
      out->op = BoolNode::Op::kTrue;
      return true;
    }
    if (ConsumeKeyword("false")) {
      out->op = BoolNode::Op::kFalse;
      return true;
    }

    // Unary tests: -n, -z, and file or address tests the analyzer cannot
    // evaluate.
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '-') {
      std::string op = ReadDashOperator();
      if (op.empty()) return Fail("unexpected \"-\" in expression");
      StrNode operand;
      if (!ParseWord(&operand, depth + 1)) return false;
      out->lhs = std::move(operand);
      if (op == "-n") {
        out->op = BoolNode::Op::kNonEmpty;
      } else if (op == "-z") {
        out->op = BoolNode::Op::kEmpty;
      } else {
        out->op = BoolNode::Op::kUnknown;
        out->unknown = op;
      }
      return true;
    }

    StrNode left;
    if (!ParseWord(&left, depth + 1)) return false;
    out->lhs = std::move(left);
    SkipSpace();

    if (Consume("=~") || Consume("!~")) {
      bool negated = text_[pos_ - 2] == '!';
      out->op =
          negated ? BoolNode::Op::kRegexNoMatch : BoolNode::Op::kRegexMatch;
      return ParseRegex(out);
    }
    static constexpr std::pair<std::string_view, BoolNode::Op> kSymbols[] = {
        {"==", BoolNode::Op::kEqual},   {"!=", BoolNode::Op::kNotEqual},
        {"<=", BoolNode::Op::kUnknown}, {">=", BoolNode::Op::kUnknown},
        {"<", BoolNode::Op::kUnknown},  {">", BoolNode::Op::kUnknown},
        {"=", BoolNode::Op::kEqual},
    };
    for (const auto& [symbol, op] : kSymbols) {
      if (!Consume(symbol)) continue;
      out->op = op;
      out->unknown = std::string(symbol);
      return ParseWord(&out->rhs, depth + 1);
    }

    if (pos_ < text_.size() && text_[pos_] == '-') {
      std::string op = ReadDashOperator();
      if (op == "-in") {
        out->op = BoolNode::Op::kIn;
        return ParseList(out, depth + 1);
      }
      if (op == "-strmatch") {
        out->op = BoolNode::Op::kStrMatch;
      } else if (op == "-strcmatch") {
        out->op = BoolNode::Op::kStrCMatch;
      } else if (op == "-fnmatch") {
        out->op = BoolNode::Op::kFnMatch;
      } else if (op.empty()) {
        return Fail("unexpected \"-\" in expression");
      } else {
        out->op = BoolNode::Op::kUnknown;
        out->unknown = op;
      }
      return ParseWord(&out->rhs, depth + 1);
    }
    return Fail("expected a comparison after \"" +
                std::string(text_.substr(0, pos_)) + "\"");
  }

  bool ConsumeKeyword(std::string_view keyword) {
    SkipSpace();
    if (text_.substr(pos_, keyword.size()) != keyword) return false;
    size_t after = pos_ + keyword.size();
    if (after < text_.size() &&
        (std::isalnum(static_cast<unsigned char>(text_[after])) ||
         text_[after] == '_' || text_[after] == '(')) {
      return false;
    }
    pos_ = after;
    return true;
  }

  std::string ReadDashOperator() {
    size_t begin = pos_;
    ++pos_;
    while (pos_ < text_.size() &&
           (std::isalpha(static_cast<unsigned char>(text_[pos_])) ||
            text_[pos_] == '_')) {
      ++pos_;
    }
    if (pos_ == begin + 1) {
      pos_ = begin;
      return "";
    }
    return std::string(text_.substr(begin, pos_ - begin));
  }

  // `/re/flags` or `m<delimiter>re<delimiter>flags`.
  bool ParseRegex(BoolNode* out) {
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("missing regular expression");
    char delimiter = text_[pos_];
    if (delimiter == 'm' && pos_ + 1 < text_.size()) {
      delimiter = text_[pos_ + 1];
      static constexpr std::string_view kDelimiters = "/#$%^|?!'\",;:._-";
      if (kDelimiters.find(delimiter) == std::string_view::npos) {
        return Fail("bad regular expression delimiter in expression");
      }
      ++pos_;
    } else if (delimiter != '/') {
      return Fail("expected a regular expression after \"=~\"");
    }
    ++pos_;
    std::string source;
    // httpd's scanner has no escape for the delimiter: the first one ends
    // the regex, as `apache2 -t` shows.
    while (pos_ < text_.size() && text_[pos_] != delimiter) {
      source.push_back(text_[pos_++]);
    }
    if (pos_ >= text_.size()) return Fail("unterminated regular expression");
    ++pos_;
    while (pos_ < text_.size() &&
           std::isalpha(static_cast<unsigned char>(text_[pos_]))) {
      char flag = text_[pos_++];
      if (flag == 'i') {
        out->case_insensitive = true;
        continue;
      }
      return Fail("regular expression flag \"" + std::string(1, flag) +
                  "\" is not evaluated");
    }

    RegexOptions options;
    options.case_insensitive = out->case_insensitive;
    std::string error;
    std::unique_ptr<Regex> regex = Regex::Compile(source, options, &error);
    if (regex == nullptr) return Fail("bad regular expression: " + error);
    out->regex = std::move(regex);
    out->regex_source = std::move(source);
    return true;
  }

  bool ParseList(BoolNode* out, int depth) {
    if (!Consume("{")) {
      out->op = BoolNode::Op::kUnknown;
      out->unknown = "-in";
      return ParseWord(&out->rhs, depth);
    }
    while (true) {
      StrNode item;
      if (!ParseWord(&item, depth)) return false;
      out->list.push_back(std::move(item));
      if (Consume(",")) continue;
      if (Consume("}")) return true;
      return Fail("missing \"}\" in expression list");
    }
  }

  // word := atom ('.' atom)*
  bool ParseWord(StrNode* out, int depth) {
    if (depth > kMaxExprDepth) return Fail("expression nested too deeply");
    StrNode first;
    if (!ParseAtom(&first, depth + 1)) return false;
    std::vector<StrNode> parts;
    parts.push_back(std::move(first));
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '.') break;
      ++pos_;
      StrNode next;
      if (!ParseAtom(&next, depth + 1)) return false;
      parts.push_back(std::move(next));
    }
    if (parts.size() == 1) {
      *out = std::move(parts.front());
      return true;
    }
    out->kind = StrNode::Kind::kConcat;
    out->children = std::move(parts);
    return true;
  }

  bool ParseAtom(StrNode* out, int depth) {
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("unexpected end of expression");
    char c = text_[pos_];
    if (c == '\'' || c == '"') return ParseQuoted(out);
    if (c == '%' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
      return ParsePercentVariable(out);
    }
    if (c == '$' && pos_ + 1 < text_.size() &&
        std::isdigit(static_cast<unsigned char>(text_[pos_ + 1]))) {
      *out = Unknown(std::string(text_.substr(pos_, 2)));
      pos_ += 2;
      return true;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t begin = pos_;
      while (pos_ < text_.size() &&
             std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        ++pos_;
      }
      *out = Literal(std::string(text_.substr(begin, pos_ - begin)));
      return true;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t begin = pos_;
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
              text_[pos_] == '_')) {
        ++pos_;
      }
      std::string name(text_.substr(begin, pos_ - begin));
      if (!Consume("(")) return Fail("unknown word \"" + name + "\"");
      StrNode argument;
      if (!ParseWord(&argument, depth + 1)) return false;
      if (!Consume(")")) return Fail("missing \")\" after function argument");
      std::string lower = ToLower(name);
      if (lower == "tolower" || lower == "toupper") {
        out->kind =
            lower == "tolower" ? StrNode::Kind::kLower : StrNode::Kind::kUpper;
        out->children.push_back(std::move(argument));
        return true;
      }
      if (argument.kind != StrNode::Kind::kLiteral) {
        *out = Unknown(name + "(...)");
        return true;
      }
      *out = Variable(name, argument.text, true);
      return true;
    }
    return Fail("unexpected \"" + std::string(1, c) + "\" in expression");
  }

  bool ParseQuoted(StrNode* out) {
    char quote = text_[pos_++];
    std::vector<StrNode> parts;
    std::string literal;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_];
      if (c == '\\' && pos_ + 1 < text_.size()) {
        literal.push_back(text_[pos_ + 1]);
        pos_ += 2;
        continue;
      }
      if (c == '%' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
        if (!literal.empty()) parts.push_back(Literal(literal));
        literal.clear();
        StrNode variable;
        if (!ParsePercentVariable(&variable)) return false;
        parts.push_back(std::move(variable));
        continue;
      }
      literal.push_back(c);
      ++pos_;
    }
    if (pos_ >= text_.size()) return Fail("unterminated string in expression");
    ++pos_;
    if (parts.empty()) {
      *out = Literal(literal);
      return true;
    }
    if (!literal.empty()) parts.push_back(Literal(literal));
    if (parts.size() == 1) {
      *out = std::move(parts.front());
      return true;
    }
    out->kind = StrNode::Kind::kConcat;
    out->children = std::move(parts);
    return true;
  }

  bool ParsePercentVariable(StrNode* out) {
    pos_ += 2;
    size_t close = text_.find('}', pos_);
    if (close == std::string_view::npos) {
      return Fail("missing \"}\" after \"%{\"");
    }
    std::string_view inside = text_.substr(pos_, close - pos_);
    pos_ = close + 1;
    size_t colon = inside.find(':');
    if (colon == std::string_view::npos) {
      *out = Variable(inside, "", false);
    } else {
      *out = Variable(inside.substr(0, colon), inside.substr(colon + 1), true);
    }
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

Value StrNode::Evaluate(const ExprInput& input) const {
  switch (kind) {
    case Kind::kLiteral:
      return {text, true};
    case Kind::kHeader:
    case Kind::kHeaderNoVary: {
      if (kind == Kind::kHeader && input.vary != nullptr) {
        input.vary->push_back(text);
      }
      const std::string* value = input.request->Header(text);
      return {value != nullptr ? *value : std::string(), true};
    }
    case Kind::kEnv: {
      auto it = input.env->find(ToLower(text));
      if (it == input.env->end()) return {"", true};
      if (!it->second.set_known || !it->second.value_known) return {"", false};
      return {it->second.value, true};
    }
    case Kind::kMethod:
      return {input.request->method, true};
    case Kind::kPath:
      return {input.request->path, true};
    case Kind::kConcat: {
      Value joined;
      for (const StrNode& child : children) {
        Value part = child.Evaluate(input);
        joined.text += part.text;
        joined.known = joined.known && part.known;
      }
      return joined;
    }
    case Kind::kLower:
    case Kind::kUpper: {
      Value inner = children.front().Evaluate(input);
      for (char& c : inner.text) {
        c = static_cast<char>(kind == Kind::kLower ? std::tolower(c)
                                                   : std::toupper(c));
      }
      return inner;
    }
    case Kind::kUnknown:
      return {"", false};
  }
  return {"", false};
}

bool StrNode::IsHeader(std::string_view name) const {
  return (kind == Kind::kHeader || kind == Kind::kHeaderNoVary) &&
         EqualsIgnoreCase(text, name);
}

bool WildcardMatches(std::string_view pattern, std::string_view subject,
                     bool case_insensitive, bool pathname) {
  int flags = (case_insensitive ? FNM_CASEFOLD : 0) |
              (pathname ? FNM_PATHNAME | FNM_PERIOD : 0);
  return fnmatch(std::string(pattern).c_str(), std::string(subject).c_str(),
                 flags) == 0;
}

namespace {

Tri FromBool(bool value) { return value ? Tri::kTrue : Tri::kFalse; }

}  // namespace

Tri BoolNode::Evaluate(const ExprInput& input) const {
  switch (op) {
    case Op::kTrue:
      return Tri::kTrue;
    case Op::kFalse:
      return Tri::kFalse;
    case Op::kNot: {
      Tri inner = children.front().Evaluate(input);
      if (inner == Tri::kUnknown) return inner;
      return FromBool(inner == Tri::kFalse);
    }
    case Op::kAnd: {
      Tri left = children[0].Evaluate(input);
      if (left == Tri::kFalse) return left;
      Tri right = children[1].Evaluate(input);
      if (right == Tri::kFalse) return right;
      return left == Tri::kTrue && right == Tri::kTrue ? Tri::kTrue
                                                       : Tri::kUnknown;
    }
    case Op::kOr: {
      Tri left = children[0].Evaluate(input);
      if (left == Tri::kTrue) return left;
      Tri right = children[1].Evaluate(input);
      if (right == Tri::kTrue) return right;
      return left == Tri::kFalse && right == Tri::kFalse ? Tri::kFalse
                                                         : Tri::kUnknown;
    }
    default:
      break;
  }

  Value left = lhs.Evaluate(input);
  switch (op) {
    case Op::kRegexMatch:
    case Op::kRegexNoMatch:
      if (!left.known) return Tri::kUnknown;
      return FromBool(regex->Match(left.text) == (op == Op::kRegexMatch));
    case Op::kNonEmpty:
    case Op::kEmpty:
      if (!left.known) return Tri::kUnknown;
      return FromBool(left.text.empty() == (op == Op::kEmpty));
    case Op::kIn: {
      bool any_unknown = !left.known;
      for (const StrNode& item : list) {
        Value candidate = item.Evaluate(input);
        if (!candidate.known) {
          any_unknown = true;
          continue;
        }
        if (left.known && candidate.text == left.text) return Tri::kTrue;
      }
      return any_unknown ? Tri::kUnknown : Tri::kFalse;
    }
    default:
      break;
  }

  Value right = rhs.Evaluate(input);
  if (!left.known || !right.known) return Tri::kUnknown;
  switch (op) {
    case Op::kEqual:
      return FromBool(left.text == right.text);
    case Op::kNotEqual:
      return FromBool(left.text != right.text);
    case Op::kStrMatch:
      return FromBool(WildcardMatches(right.text, left.text, false, false));
    case Op::kStrCMatch:
      return FromBool(WildcardMatches(right.text, left.text, true, false));
    case Op::kFnMatch:
      return FromBool(WildcardMatches(right.text, left.text, false, true));
    default:
      return Tri::kUnknown;
  }
}

std::unique_ptr<BoolNode> ParseCondition(std::string_view text,
                                         std::string* error) {
  return Parser(text).ParseBool(error);
}

std::unique_ptr<StrNode> ParseStringExpr(std::string_view text,
                                         std::string* error) {
  return Parser(text).ParseString(error);
}

void ForEachHeaderTest(
    const BoolNode& node,
    const std::function<void(const BoolNode&, bool negated)>& visit,
    bool negated) {
  if (node.op == BoolNode::Op::kNot) {
    ForEachHeaderTest(node.children.front(), visit, !negated);
    return;
  }
  if (node.op == BoolNode::Op::kAnd || node.op == BoolNode::Op::kOr) {
    for (const BoolNode& child : node.children) {
      ForEachHeaderTest(child, visit, negated);
    }
    return;
  }
  if (node.lhs.kind == StrNode::Kind::kHeader ||
      node.lhs.kind == StrNode::Kind::kHeaderNoVary) {
    visit(node, negated);
  }
}

}  // namespace corslint::apache
