#include "parsers/nginx_syntax.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace corslint::nginx {
namespace {

struct Parsed {
  bool ok = false;
  std::vector<Directive> directives;
  InputError error;
};

Parsed ParseText(const SourceFile& file) {
  Parsed parsed;
  parsed.ok = Parse(file, &parsed.directives, &parsed.error);
  return parsed;
}

// "line:column: message" of a failed parse, "ok" otherwise.
std::string Outcome(const Parsed& parsed) {
  if (parsed.ok) return "ok";
  return std::to_string(parsed.error.where.line) + ":" +
         std::to_string(parsed.error.where.column) + ": " +
         parsed.error.message;
}

int Depth(const std::vector<Directive>& directives) {
  int depth = 0;
  const std::vector<Directive>* level = &directives;
  while (!level->empty() && level->back().has_block) {
    ++depth;
    level = &level->back().block;
  }
  return depth;
}

// --- Accepted inputs -------------------------------------------------------

struct AcceptedCase {
  const char* input;
  const char* dump;  // DumpSyntax without its final newline
};

const AcceptedCase kAccepted[] = {
    {"", ""},
    {"  \n\t\r\n", ""},
    {"a;", R"("a";)"},
    {"a b  c ;", R"("a" "b" "c";)"},
    {"a\nb\n\n;", R"("a" "b";)"},

    // Comments start only at the start of a word.
    {"# top\na b; # tail\n#last", R"("a" "b";)"},
    {"a#b c#;", R"("a#b" "c#";)"},
    {R"(a "#b" '#c';)", R"("a" q"#b" q"#c";)"},
    {"a # no ; here\n b;", R"("a" "b";)"},

    // Both kinds of quotes, the other kind and separators literal inside.
    {R"(a "b c" 'd e' "x'y" 'x"y';)", R"("a" q"b c" q"d e" q"x'y" q"x\"y";)"},
    {"a \"b;{}c\n\";", R"("a" q"b;{}c\n";)"},
    {R"(a b"c"d;)", R"("a" "b\"c\"d";)"},
    {R"("a" 'b';)", R"(q"a" q"b";)"},
    {R"(a "" '';)", R"("a" q"" q"";)"},

    // Escapes: six are decoded, any other backslash stays, quoted or not.
    {R"(a "q\"x\ty" 'it\'s' \\ \n\r\t;)",
     R"("a" q"q\"x\ty" q"it's" "\\" "\n\r\t";)"},
    {R"(a \.com "^a\.b$" \;b\ c \{ \x;)",
     R"("a" "\\.com" q"^a\\.b$" "\\;b\\ c" "\\{" "\\x";)"},
    {R"(a "b\\" c;)", R"("a" q"b\\" "c";)"},

    // `${` does not open a block; `}` inside a word is an ordinary byte.
    {"set $a ${var}x;", R"("set" "$a" "${var}x";)"},
    {"a ${ b${{c};", R"("a" "${" "b${{c}";)"},
    {"a $x{ b; }", "\"a\" \"$x\" {\n  \"b\";"},
    {"a foo} b}c;", R"("a" "foo}" "b}c";)"},

    // A regex with braces must be quoted; `)` may follow the quote.
    {R"(location ~ "^/a{2}$" {})", R"("location" "~" q"^/a{2}$" {)"},
    {R"(if ($http_origin ~* "^https://a{2}\.com$") { return 204; })",
     R"d("if" "($http_origin" "~*" q"^https://a{2}\\.com$" ")" {)d"
     "\n"
     R"(  "return" "204";)"},
    {R"(a "b")c;)", R"d("a" q"b" ")c";)d"},
    {R"(a "b"{} c "d";)", "\"a\" q\"b\" {\n\"c\" q\"d\";"},

    // Line ends, tabs and bytes outside ASCII.
    {"a b;\r\nc {\r\n\td;\r\n}\r\n", "\"a\" \"b\";\n\"c\" {\n  \"d\";"},
    {"\ta\tb\t;", R"("a" "b";)"},
    {"add_header X-Caf\xc3\xa9 \"\xff\x01\x7f\";",
     R"("add_header" "X-Caf\xc3\xa9" q"\xff\x01\x7f";)"},

    // Blocks, empty and nested.
    {"events {}", R"("events" {)"},
    {"http{server{listen 80;}}",
     "\"http\" {\n  \"server\" {\n    \"listen\" \"80\";"},
    {"http {\n  server {\n    location / { a b; }\n    c;\n  }\n  d;\n}\ne;",
     "\"http\" {\n"
     "  \"server\" {\n"
     "    \"location\" \"/\" {\n"
     "      \"a\" \"b\";\n"
     "    \"c\";\n"
     "  \"d\";\n"
     "\"e\";"},
};

// DumpSyntax without the final newline, so that tables stay compact.
std::string Dump(const std::vector<Directive>& directives) {
  std::string dump = DumpSyntax(directives);
  if (!dump.empty()) dump.pop_back();
  return dump;
}

TEST(NginxSyntaxTest, AcceptsAndDumps) {
  for (const AcceptedCase& test : kAccepted) {
    SCOPED_TRACE(test.input);
    SourceFile file("t.conf", test.input);
    Parsed parsed = ParseText(file);
    EXPECT_EQ(Outcome(parsed), "ok");
    EXPECT_EQ(Dump(parsed.directives), test.dump);
  }
}

// Each word as written with its line:column range, and each directive's
// range; one line per directive.
std::string DumpSpans(const std::vector<Directive>& directives) {
  auto range = [](const Span& span) {
    Location where = Locate(span);
    return std::to_string(where.line) + ":" + std::to_string(where.column) +
           "-" + std::to_string(where.end_line) + ":" +
           std::to_string(where.end_column);
  };

  std::string out;
  std::vector<const std::vector<Directive>*> pending = {&directives};
  std::vector<size_t> next = {0};
  while (!pending.empty()) {
    if (next.back() == pending.back()->size()) {
      pending.pop_back();
      next.pop_back();
      continue;
    }
    const Directive& directive = (*pending.back())[next.back()++];
    out += range(directive.span);
    for (const Word& word : directive.words) {
      out += " " + std::string(word.span.text()) + "@" + range(word.span);
    }
    out += "\n";
    if (directive.has_block) {
      pending.push_back(&directive.block);
      next.push_back(0);
    }
  }
  return out;
}

TEST(NginxSyntaxTest, SpansCoverWordsAsWrittenAndDirectivesToTheirEnd) {
  SourceFile file("t.conf",
                  "location / {\n"
                  "  add_header X \"a b\"  always ;\n"
                  "\tif ($a = 'b') {}  # c\n"
                  "}\n"
                  "caf\xc3\xa9 x;\r\n");
  Parsed parsed = ParseText(file);
  ASSERT_EQ(Outcome(parsed), "ok");
  EXPECT_EQ(DumpSpans(parsed.directives),
            "1:1-4:2 location@1:1-1:9 /@1:10-1:11\n"
            "2:3-2:31 add_header@2:3-2:13 X@2:14-2:15 \"a b\"@2:16-2:21"
            " always@2:23-2:29\n"
            "3:2-3:18 if@3:2-3:4 ($a@3:5-3:8 =@3:9-3:10 'b'@3:11-3:14"
            " )@3:14-3:15\n"
            "5:1-5:9 caf\xc3\xa9@5:1-5:6 x@5:7-5:8\n");
}

// --- Rejected inputs -------------------------------------------------------

struct RejectedCase {
  const char* input;
  const char* outcome;  // line:column: message
};

// Every message and line below was confirmed by running nginx 1.22 -t on
// the same input. nginx prints no column; the column is the culprit's, or
// the end of the file for an unexpected end.
const RejectedCase kRejected[] = {
    {"}", R"(1:1: unexpected "}")"},
    {"pid x }", R"(1:7: unexpected "}")"},
    {"events {\n}\n}\n", R"(3:1: unexpected "}")"},
    {"pid x", R"(1:6: unexpected end of file, expecting ";" or "}")"},
    {"pid x}", R"(1:7: unexpected end of file, expecting ";" or "}")"},
    {"pid x\\", R"(1:7: unexpected end of file, expecting ";" or "}")"},
    {"pid \"x", R"(1:7: unexpected end of file, expecting ";" or "}")"},
    {"pid 'x;\n\ny", R"(3:2: unexpected end of file, expecting ";" or "}")"},
    {"pid \"x\"", R"(1:8: unexpected end of file, expecting ";" or "}")"},
    {"events {\n  # a comment\n",
     R"(3:1: unexpected end of file, expecting "}")"},
    {"http { server { listen 80; }",
     R"(1:29: unexpected end of file, expecting "}")"},
    {";", R"(1:1: unexpected ";")"},
    {"pid x; ;", R"(1:8: unexpected ";")"},
    {"{", R"(1:1: unexpected "{")"},
    {"events {} {", R"(1:11: unexpected "{")"},
    {"pid \"x\"y;", R"(1:8: unexpected "y")"},
    {"pid \"x\"#y;", R"(1:8: unexpected "#")"},
    {"pid 'x'\"y\";", R"(1:8: unexpected """)"},
    {"pid \"x\"}", R"(1:8: unexpected "}")"},
    {"pid \"\xc3\xa9\"\xc3\xa9;", "1:9: unexpected \"\xc3\""},
    {"http {\n  server {\n    listen 80\n  }\n}\n", R"(4:3: unexpected "}")"},
    {"http {\n\tserver {\n\t\tlisten 80 \"a\"b;", R"(3:16: unexpected "b")"},
    {"pid x;\r\n}\r\n", R"(2:1: unexpected "}")"},
};

TEST(NginxSyntaxTest, RejectsWithNginxMessageAndPosition) {
  for (const RejectedCase& test : kRejected) {
    SCOPED_TRACE(test.input);
    SourceFile file("t.conf", test.input);
    Parsed parsed = ParseText(file);
    EXPECT_EQ(Outcome(parsed), test.outcome);
    EXPECT_EQ(parsed.error.where.file, "t.conf");
  }
}

TEST(NginxSyntaxTest, ErrorKeepsWhatWasReadWithOpenBlocksClosed) {
  SourceFile file("t.conf", "a;\nhttp { server { listen 80; } b }");
  Parsed parsed = ParseText(file);
  EXPECT_EQ(Outcome(parsed), R"(2:32: unexpected "}")");
  EXPECT_EQ(DumpSyntax(parsed.directives),
            "\"a\";\n"
            "\"http\" {\n"
            "  \"server\" {\n"
            "    \"listen\" \"80\";\n");
  EXPECT_EQ(parsed.directives[1].span.text(),
            "http { server { listen 80; } b ");
}

TEST(NginxSyntaxTest, ParseReplacesPreviousContent) {
  SourceFile file("t.conf", "a;");
  std::vector<Directive> out(3);
  InputError error;
  ASSERT_TRUE(Parse(file, &out, &error));
  EXPECT_EQ(DumpSyntax(out), "\"a\";\n");
}

// --- Word length -----------------------------------------------------------

struct LengthCase {
  std::string body;     // follows a first line "events {}"
  std::string outcome;  // "ok" or line:column: message
};

// nginx reads through a 4096-byte buffer and refuses a token that fills it
// before nginx has moved past it, unless the file ends there. Each case was
// confirmed with nginx 1.22 -t, including the places where the limit falls
// one byte earlier (after a separator, nginx reads one more byte before
// it forgets the token).
std::vector<LengthCase> LengthCases() {
  const std::string x4093(4093, 'x');
  const std::string x4094(4094, 'x');
  const std::string x4095(4095, 'x');
  const std::string x4096(4096, 'x');
  const std::string unquoted =
      R"(2:1: too long parameter "xxxxxxxxxx..." started)";
  const std::string missing =
      R"(2:1: too long parameter, probably missing terminating """ character)";
  const std::string eof = R"(unexpected end of file, expecting ";" or "}")";
  return {
      {x4095 + ";\nfoo;", "ok"},
      {x4096 + ";\nfoo;", unquoted},
      {x4094 + " ;\nfoo;", "ok"},
      {x4095 + " ;\nfoo;", unquoted},
      {x4095 + " ", "2:4097: " + eof},
      {x4096 + " ", unquoted},
      {"#" + x4094 + "\nfoo;", "ok"},
      {"#" + x4095 + "\nfoo;",
       R"(2:1: too long parameter "#xxxxxxxxx..." started)"},
      {"#" + x4095, "ok"},
      {"#" + x4096, R"(2:1: too long parameter "#xxxxxxxxx..." started)"},
      {"\"" + x4094 + "\";\nfoo;", "ok"},
      {"\"" + x4095 + "\";\nfoo;", unquoted},
      {"\"" + x4096 + "\";\nfoo;", missing},
      {"\"" + x4093 + "\" ;\nfoo;", "ok"},
      {"\"" + x4094 + "\" ;\nfoo;", unquoted},
      {"\"" + x4094 + "\") ;\nfoo;", "ok"},
      {"\"" + x4095 + "\") ;\nfoo;", unquoted},
      {"\"" + x4093 + "\nfoo;", missing},
      {"'" + x4096 + "';",
       R"(2:1: too long parameter, probably missing terminating "'" character)"},
  };
}

TEST(NginxSyntaxTest, RefusesWordsThatFillNginxBuffer) {
  for (const LengthCase& test : LengthCases()) {
    SCOPED_TRACE(test.body.substr(0, 3) + "... of " +
                 std::to_string(test.body.size()) + " bytes ending " +
                 test.body.substr(test.body.size() - 7));
    SourceFile file("t.conf", "events {}\n" + test.body);
    EXPECT_EQ(Outcome(ParseText(file)), test.outcome);
  }
}

TEST(NginxSyntaxTest, RefusesA5000ByteWord) {
  SourceFile file("t.conf", "add_header X " + std::string(5000, 'v') + ";\n");
  EXPECT_EQ(Outcome(ParseText(file)),
            R"(1:14: too long parameter "vvvvvvvvvv..." started)");
}

// --- Hostile and broken input ----------------------------------------------

constexpr char kRealistic[] = R"(# CORS for the public API
user www-data;
worker_processes auto;
events { worker_connections 1024; }

http {
    map $http_origin $cors_origin {
        default "";
        "~^https://([a-z0-9-]+\.)?example\.com$" $http_origin;
        'https://partner.example.org' $http_origin;
    }

    server {
        listen 443 ssl;
        server_name api.example.com;

        location /api/ {
            if ($request_method = 'OPTIONS') {
                add_header Access-Control-Allow-Origin $cors_origin always;
                add_header Access-Control-Allow-Methods "GET, POST" always;
                add_header Access-Control-Max-Age 86400;
                add_header Vary Origin;
                return 204;
            }
            if ($http_origin ~* "^https://a{2}\.example\.com$") {
                set $cors "${cors}ok";
            }
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Access-Control-Allow-Credentials true always;
            add_header Vary Origin;   # caches must key on Origin
            proxy_pass http://backend;
        }

        location ~* \.(png|jpg)$ {
            add_header Access-Control-Allow-Origin *;
            add_header X-Note "say \"hi\"\tthere";
        }
    }
}
)";

TEST(NginxSyntaxTest, RealisticConfigParses) {
  SourceFile file("t.conf", kRealistic);
  Parsed parsed = ParseText(file);
  ASSERT_EQ(Outcome(parsed), "ok");
  ASSERT_EQ(parsed.directives.size(), 4u);
  const Directive& http = parsed.directives[3];
  EXPECT_EQ(http.name(), "http");
  ASSERT_EQ(http.block.size(), 2u);
  const Directive& server = http.block[1];
  ASSERT_EQ(server.block.size(), 4u);
  const Directive& images = server.block[3];
  EXPECT_EQ(images.arg(1), R"(\.(png|jpg)$)");
  EXPECT_EQ(images.block[1].arg(1), "say \"hi\"\tthere");
  EXPECT_EQ(Locate(images.span).line, 34);
  EXPECT_EQ(Locate(images.span).end_line, 37);
}

TEST(NginxSyntaxTest, EveryPrefixOfARealisticConfigEndsCleanly) {
  const std::string text = kRealistic;
  for (size_t length = 0; length <= text.size(); ++length) {
    SourceFile file("t.conf", text.substr(0, length));
    Parsed parsed = ParseText(file);
    if (parsed.ok) continue;

    // A prefix of valid text can only run out early.
    SCOPED_TRACE(length);
    EXPECT_TRUE(parsed.error.message ==
                    R"(unexpected end of file, expecting ";" or "}")" ||
                parsed.error.message ==
                    R"(unexpected end of file, expecting "}")")
        << parsed.error.message;
    Location end = Locate(Span{&file, static_cast<uint32_t>(length),
                               static_cast<uint32_t>(length)});
    EXPECT_EQ(parsed.error.where.line, end.line);
    EXPECT_EQ(parsed.error.where.column, end.column);
  }
}

// Checks what must hold of any parse: positions inside the file, spans in
// order, and a dump that can be produced.
void ExpectWellFormed(const SourceFile& file, const Parsed& parsed) {
  const size_t size = file.text().size();
  if (!parsed.ok) {
    EXPECT_FALSE(parsed.error.message.empty());
    EXPECT_GE(parsed.error.where.line, 1);
    EXPECT_GE(parsed.error.where.column, 1);
  }
  std::vector<const Directive*> pending;
  for (const Directive& directive : parsed.directives) {
    pending.push_back(&directive);
  }
  while (!pending.empty()) {
    const Directive& directive = *pending.back();
    pending.pop_back();
    ASSERT_FALSE(directive.words.empty());
    EXPECT_LE(directive.span.begin, directive.span.end);
    EXPECT_LE(directive.span.end, size);
    for (const Word& word : directive.words) {
      EXPECT_LE(directive.span.begin, word.span.begin);
      EXPECT_LT(word.span.begin, word.span.end);
      EXPECT_LE(word.span.end, directive.span.end);
    }
    for (const Directive& child : directive.block) pending.push_back(&child);
  }
  EXPECT_LE(Depth(parsed.directives), kMaxNesting);
  DumpSyntax(parsed.directives);
}

TEST(NginxSyntaxTest, RandomBytesEndCleanly) {
  // Bytes that drive the tokenizer are drawn more often than the rest.
  const std::string favoured = "{};#\"'\\$ \n\r\t)(ab";
  std::mt19937 random(20240611);
  for (int round = 0; round < 5000; ++round) {
    std::string text(random() % 300, ' ');
    for (char& c : text) {
      c = random() % 2 == 0 ? favoured[random() % favoured.size()]
                            : static_cast<char>(1 + random() % 255);
    }
    SourceFile file("t.conf", text);
    Parsed parsed = ParseText(file);
    ExpectWellFormed(file, parsed);
    if (HasFatalFailure()) return;
  }
}

std::string Nested(int levels) {
  std::string text;
  for (int i = 0; i < levels; ++i) text += "a { ";
  for (int i = 0; i < levels; ++i) text += "} ";
  return text;
}

TEST(NginxSyntaxTest, AcceptsNestingUpToTheLimit) {
  SourceFile file("t.conf", Nested(kMaxNesting));
  Parsed parsed = ParseText(file);
  EXPECT_EQ(Outcome(parsed), "ok");
  EXPECT_EQ(Depth(parsed.directives), kMaxNesting);
}

// The column of the 101st `{`: each level is written as "a { ".
constexpr char kTooDeep[] = "1:403: blocks nested deeper than 100 levels";

TEST(NginxSyntaxTest, RefusesNestingBeyondTheLimitAtTheBrace) {
  SourceFile file("t.conf", Nested(kMaxNesting + 1));
  Parsed parsed = ParseText(file);
  EXPECT_EQ(Outcome(parsed), kTooDeep);
  EXPECT_EQ(Depth(parsed.directives), kMaxNesting);
}

void ParseHostileNesting() {
  SourceFile deep("t.conf", Nested(10000));
  Parsed parsed = ParseText(deep);
  EXPECT_EQ(Outcome(parsed), kTooDeep);
  EXPECT_EQ(Depth(parsed.directives), kMaxNesting);

  SourceFile braces("t.conf", std::string(10000, '{'));
  EXPECT_EQ(Outcome(ParseText(braces)), R"(1:1: unexpected "{")");

  SourceFile closers("t.conf", std::string(10000, '}'));
  EXPECT_EQ(Outcome(ParseText(closers)), R"(1:1: unexpected "}")");

  std::string tight;
  for (int i = 0; i < 10000; ++i) tight += "a{";
  SourceFile unspaced("t.conf", tight);
  EXPECT_EQ(Outcome(ParseText(unspaced)),
            "1:202: blocks nested deeper than 100 levels");
}

TEST(NginxSyntaxTest, HostileNestingEndsCleanly) { ParseHostileNesting(); }

TEST(NginxSyntaxTest, HostileNestingEndsCleanlyOnAThread) {
  std::thread worker(ParseHostileNesting);
  worker.join();
}

TEST(NginxSyntaxTest, HostileNestingEndsCleanlyOnA256KiBStack) {
  pthread_attr_t attributes;
  ASSERT_EQ(pthread_attr_init(&attributes), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attributes, 256 * 1024), 0);
  pthread_t worker;
  auto run = [](void*) -> void* {
    ParseHostileNesting();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&worker, &attributes, run, nullptr), 0);
  pthread_join(worker, nullptr);
  pthread_attr_destroy(&attributes);
}

constexpr char kServerRest[] =
    "    location ~* \"^/api/v[0-9]{1,2}/\" {\n"
    "      add_header Access-Control-Allow-Origin $http_origin always;\n"
    "      add_header Access-Control-Allow-Methods 'GET, POST';\n"
    "      add_header Vary Origin;\n"
    "      proxy_pass http://backend;\n"
    "    }\n"
    "  }\n";

TEST(NginxSyntaxTest, Parses100MegabytesInOnePass) {
  // Server blocks of a realistic shape, each with its own name.
  std::string text = "http {\n";
  int servers = 0;
  while (text.size() < (100u << 20)) {
    std::string name = "s" + std::to_string(servers++) + ".example.com";
    text += "  server {\n    listen 443 ssl;\n";
    text += "    server_name " + name + ";  # " + name + "\n";
    text += kServerRest;
  }
  text += "}\n";

  SourceFile file("big.conf", std::move(text));
  Parsed parsed = ParseText(file);
  ASSERT_EQ(Outcome(parsed), "ok");
  ASSERT_EQ(parsed.directives.size(), 1u);
  const std::vector<Directive>& blocks = parsed.directives[0].block;
  ASSERT_EQ(blocks.size(), static_cast<size_t>(servers));
  const Directive& last = blocks.back();
  EXPECT_EQ(last.block[1].arg(0),
            "s" + std::to_string(servers - 1) + ".example.com");
  EXPECT_EQ(last.block[2].arg(1), "^/api/v[0-9]{1,2}/");
  EXPECT_EQ(last.block[2].block[1].arg(1), "GET, POST");
  EXPECT_EQ(Locate(last.span).line, 2 + 10 * (servers - 1));
  EXPECT_EQ(Locate(parsed.directives[0].span).end_line, 2 + 10 * servers);
}

}  // namespace
}  // namespace corslint::nginx
