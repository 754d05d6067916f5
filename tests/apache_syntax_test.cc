// The Apache reader against httpd's own: accepted input with a canonical
// dump, rejected input with the exact message and position, and hostile
// input that must end in a clear error, never a crash or a hang.

#include "parsers/apache_syntax.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

namespace corslint::apache {
namespace {

struct Accepted {
  const char* name;
  const char* input;
  const char* dump;
};

// Each behaviour here was checked against httpd 2.4 (`apache2 -t`).
const Accepted kAccepted[] = {
    {"plain", "Header set X y\n", "Header [set] [X] [y]\n"},
    {"no final newline", "Header set X y", "Header [set] [X] [y]\n"},
    {"names keep their case", "header SET x y\n", "header [SET] [x] [y]\n"},
    {"continuation joins without inserting anything", "ServerName a\\\nb\n",
     "ServerName [ab]\n"},
    {"continuation keeps the next line's indentation",
     "Header set X \\\n    y\n", "Header [set] [X] [y]\n"},
    {"double backslash still continues", "Header set X a\\\\\nb\n",
     "Header [set] [X] [a\\b]\n"},
    {"continuation with CRLF", "Header set X \\\r\ny\r\n",
     "Header [set] [X] [y]\n"},
    {"comment ending in a backslash swallows the next line",
     "# note \\\nHeader set Gone yes\nHeader set Kept yes\n",
     "Header [set] [Kept] [yes]\n"},
    {"indented comment", "   # comment\n\tHeader set X y\n",
     "Header [set] [X] [y]\n"},
    {"hash inside a line is an argument", "Header set X \"v\" # c\n",
     "Header [set] [X] [v] [#] [c]\n"},
    {"double quotes", "Header set X \"a b\"\n", "Header [set] [X] [a b]\n"},
    {"single quotes", "Header set X 'a \"b\"'\n",
     "Header [set] [X] [a \"b\"]\n"},
    {"escaped quote and backslash in quotes",
     "Header set X \"a\\\"b\\\\c\\nd\"\n", "Header [set] [X] [a\"b\\c\\nd]\n"},
    {"quote only special at the start of a word", "Header set foo\"bar baz\"\n",
     "Header [set] [foo\"bar] [baz\"]\n"},
    {"word after a closing quote", "Header set \"a\"b\n",
     "Header [set] [a] [b]\n"},
    {"unquoted backslashes", "SetEnvIf Origin a\\\\b\\.c X\n",
     "SetEnvIf [Origin] [a\\b\\.c] [X]\n"},
    {"unterminated quote runs to the end of the line", "Header set X \"abc\n",
     "Header [set] [X] [abc]\n"},
    {"blank lines and CRLF", "\r\n\r\nHeader set X y\r\n",
     "Header [set] [X] [y]\n"},
    {"section", "<VirtualHost *:80>\n  Header set A b\n</VirtualHost>\n",
     "<VirtualHost [*:80]>\n  Header [set] [A] [b]\n"},
    {"section names are case-insensitive",
     "<location /a>\nHeader set A b\n</LOCATION>\n",
     "<location [/a]>\n  Header [set] [A] [b]\n"},
    {"text after the closing bracket is ignored",
     "<Location /a> junk\n</Location> more\n", "<Location [/a]>\n"},
    {"quoted If condition",
     "<If \"%{HTTP:Origin} =~ /x/\">\n</If>\n<Else>\n</Else>\n",
     "<If [%{HTTP:Origin} =~ /x/]>\n<Else>\n"},
    {"condition holding a bracket", "<If \"%{REQUEST_URI} > '/a'\">\n</If>\n",
     "<If [%{REQUEST_URI} > '/a']>\n"},
    {"nested sections",
     "<IfModule headers_module>\n<Directory /srv>\n<Files a.json>\n"
     "Header set A b\n</Files>\n</Directory>\n</IfModule>\n",
     "<IfModule [headers_module]>\n  <Directory [/srv]>\n    <Files "
     "[a.json]>\n      Header [set] [A] [b]\n"},
    {"unknown directives and sections are kept",
     "FrobnicateLevel 3\n<Macro Foo $x>\nHeader set X $x\n</Macro>\n",
     "FrobnicateLevel [3]\n<Macro [Foo] [$x]>\n  Header [set] [X] [$x]\n"},
    {"variables stay as written", "Include ${APACHE_CONFDIR}/x.conf\n",
     "Include [${APACHE_CONFDIR}/x.conf]\n"},
};

class AcceptedTest : public ::testing::TestWithParam<Accepted> {};

TEST_P(AcceptedTest, DumpsCanonically) {
  const Accepted& test = GetParam();
  SourceFile file("t.conf", test.input);
  std::vector<Directive> directives;
  InputError error;
  ASSERT_TRUE(Parse(file, &directives, &error)) << error.message;
  EXPECT_EQ(DumpDirectives(directives), test.dump);
}

INSTANTIATE_TEST_SUITE_P(Apache, AcceptedTest, ::testing::ValuesIn(kAccepted),
                         [](const ::testing::TestParamInfo<Accepted>& info) {
                           std::string name = info.param.name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) {
                               c = '_';
                             }
                           }
                           return name;
                         });

struct Rejected {
  const char* input;
  int line;
  int column;
  const char* message;
};

const Rejected kRejected[] = {
    {"<VirtualHost *:80>\nHeader set A b\n", 1, 1,
     "\"<VirtualHost>\" was not closed"},
    {"<Directory /a>\n<Files x>\n</Files>\n", 1, 1,
     "\"<Directory>\" was not closed"},
    {"<Location /a>\n</Directory>\n", 2, 1,
     "expected \"</Location>\" but saw \"</Directory>\""},
    {"</Location>\n", 1, 1,
     "\"</Location>\" without matching \"<Location>\" section"},
    {"<Location /a\n</Location>\n", 1, 1,
     "\"<Location>\" directive missing closing \">\""},
    {"<Location /a>\n  </Location >\n", 2, 3,
     "\"</Location>\" directive missing closing \">\""},
    {"Header set A \\\n  b\n  </Files>\n", 3, 3,
     "\"</Files>\" without matching \"<Files>\" section"},
    {"<If \"%{HTTP:Origin} == 'a'\">\n\tHeader set A b\n", 1, 1,
     "\"<If>\" was not closed"},
};

TEST(ApacheSyntaxTest, RejectsWithPreciseErrors) {
  for (const Rejected& test : kRejected) {
    SourceFile file("t.conf", test.input);
    std::vector<Directive> directives;
    InputError error;
    EXPECT_FALSE(Parse(file, &directives, &error)) << test.input;
    EXPECT_EQ(error.message, test.message) << test.input;
    EXPECT_EQ(error.where.file, "t.conf");
    EXPECT_EQ(error.where.line, test.line) << test.input;
    EXPECT_EQ(error.where.column, test.column) << test.input;
  }
}

TEST(ApacheSyntaxTest, KeepsWhatWasReadBeforeAnError) {
  SourceFile file("t.conf", "Header set A b\n<Location /x>\nHeader set C d\n");
  std::vector<Directive> directives;
  InputError error;
  EXPECT_FALSE(Parse(file, &directives, &error));
  EXPECT_EQ(DumpDirectives(directives),
            "Header [set] [A] [b]\n<Location [/x]>\n  Header [set] [C] [d]\n");
}

TEST(ApacheSyntaxTest, SpansPointIntoTheSourceAcrossContinuations) {
  SourceFile file("t.conf", "Header set \\\n  \"Access-Control\" x\n");
  std::vector<Directive> directives;
  InputError error;
  ASSERT_TRUE(Parse(file, &directives, &error));
  const Word& word = directives[0].args[1];
  EXPECT_EQ(word.span.text(), "\"Access-Control\"");
  Location where = Locate(word.span);
  EXPECT_EQ(where.line, 2);
  EXPECT_EQ(where.column, 3);
  EXPECT_TRUE(directives[0].Is("HEADER"));
}

TEST(ApacheSyntaxTest, RefusesNestingDeeperThanTheLimit) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "<Location /a>\n";
  SourceFile file("deep.conf", text);
  std::vector<Directive> directives;
  InputError error;
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(Parse(file, &directives, &error));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(error.message, "sections nested deeper than 100 levels");
  EXPECT_EQ(error.where.line, kMaxNesting + 1);
  EXPECT_EQ(error.where.column, 1);
}

TEST(ApacheSyntaxTest, AcceptsNestingAtTheLimit) {
  std::string text;
  for (int i = 0; i < kMaxNesting; ++i) text += "<IfModule m>\n";
  for (int i = 0; i < kMaxNesting; ++i) text += "</IfModule>\n";
  SourceFile file("deep.conf", text);
  std::vector<Directive> directives;
  InputError error;
  EXPECT_TRUE(Parse(file, &directives, &error)) << error.message;
}

TEST(ApacheSyntaxTest, RefusesAnOverlongLogicalLine) {
  std::string text = "Header set X \"";
  text.append(kMaxLineBytes, 'a');
  text += "\"\nHeader set Y z\n";
  SourceFile file("long.conf", text);
  std::vector<Directive> directives;
  InputError error;
  EXPECT_FALSE(Parse(file, &directives, &error));
  EXPECT_EQ(error.message, "line is longer than 16777216 bytes");
  EXPECT_EQ(error.where.line, 1);
  EXPECT_EQ(error.where.column, 1);
}

TEST(ApacheSyntaxTest, SurvivesRandomBytes) {
  std::mt19937 random(20240601);
  std::uniform_int_distribution<int> byte(1, 255);
  std::uniform_int_distribution<int> length(0, 4000);
  const std::string alphabet = "<>/\\\"' \t\r\n#aZ";
  for (int round = 0; round < 300; ++round) {
    std::string text;
    int size = length(random);
    for (int i = 0; i < size; ++i) {
      // Half the bytes from the characters that matter to the reader.
      int value = byte(random);
      text.push_back(
          value % 2 == 0
              ? alphabet[static_cast<size_t>(value) % alphabet.size()]
              : static_cast<char>(value));
    }
    SourceFile file("random.conf", text);
    std::vector<Directive> directives;
    InputError error;
    if (!Parse(file, &directives, &error)) {
      EXPECT_FALSE(error.message.empty());
      EXPECT_GE(error.where.line, 1);
      EXPECT_GE(error.where.column, 1);
    }
    DumpDirectives(directives);
  }
}

}  // namespace
}  // namespace corslint::apache
