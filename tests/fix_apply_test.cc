// The apply engine: conflicts between edits, the plan of one round,
// applying edits to text byte for byte, unified diffs and atomic writes.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "fixers/apply.h"
#include "fixers/fix_text.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;

TextEdit Replace(size_t begin, size_t end, std::string text) {
  return TextEdit{begin, end, std::move(text)};
}

TEST(EditsConflictTest, OverlappingReplacementsConflict) {
  EXPECT_TRUE(EditsConflict(Replace(0, 5, "a"), Replace(4, 8, "b")));
  EXPECT_TRUE(EditsConflict(Replace(2, 3, "a"), Replace(0, 10, "b")));
}

TEST(EditsConflictTest, AdjacentReplacementsDoNotConflict) {
  EXPECT_FALSE(EditsConflict(Replace(0, 5, "a"), Replace(5, 8, "b")));
  EXPECT_FALSE(EditsConflict(Replace(5, 8, "b"), Replace(0, 5, "a")));
}

TEST(EditsConflictTest, InsertionInsideAReplacementConflicts) {
  EXPECT_TRUE(EditsConflict(Replace(3, 3, "x"), Replace(0, 5, "a")));
  EXPECT_TRUE(EditsConflict(Replace(0, 5, "a"), Replace(3, 3, "x")));
}

TEST(EditsConflictTest, InsertionAtEitherEndOfAReplacementDoesNotConflict) {
  EXPECT_FALSE(EditsConflict(Replace(0, 0, "x"), Replace(0, 5, "a")));
  EXPECT_FALSE(EditsConflict(Replace(5, 5, "x"), Replace(0, 5, "a")));
}

TEST(EditsConflictTest, TwoInsertionsAtOnePlaceConflictUnlessEqual) {
  EXPECT_TRUE(EditsConflict(Replace(4, 4, "x"), Replace(4, 4, "y")));
  EXPECT_FALSE(EditsConflict(Replace(4, 4, "x"), Replace(4, 4, "x")));
}

// A file and fixes over it, for PlanEdits.
class PlanTest : public ::testing::Test {
 protected:
  PlanTest() : file_("site.conf", "0123456789abcdef\n") {}

  Fix MakeFix(std::vector<TextEdit> edits) {
    Fix fix;
    for (TextEdit& edit : edits) {
      fix.edits.push_back(
          Edit{SpanOf(&file_, edit.begin, edit.end), edit.replacement});
    }
    return fix;
  }

  SourceFile file_;
};

TEST_F(PlanTest, KeepsTheFirstOfTwoConflictingFixesAndDefersTheOther) {
  Fix first = MakeFix({Replace(2, 6, "A")});
  Fix second = MakeFix({Replace(4, 8, "B")});
  EditPlan plan = PlanEdits({&first, &second});
  EXPECT_EQ(plan.applied, std::vector<size_t>{0});
  EXPECT_EQ(plan.deferred, std::vector<size_t>{1});

  // The order decides, and nothing else.
  EditPlan reversed = PlanEdits({&second, &first});
  EXPECT_EQ(reversed.applied, std::vector<size_t>{0});
  EXPECT_EQ(reversed.edits.at(&file_).front().replacement, "B");
}

TEST_F(PlanTest, AFixGoesInWholeOrNotAtAll) {
  Fix first = MakeFix({Replace(2, 3, "A")});
  Fix both = MakeFix({Replace(10, 11, "X"), Replace(2, 4, "Y")});
  EditPlan plan = PlanEdits({&first, &both});
  EXPECT_EQ(plan.deferred, std::vector<size_t>{1});
  ASSERT_EQ(plan.edits.at(&file_).size(), 1u);
}

TEST_F(PlanTest, TheSameEditFromTwoFindingsIsMadeOnce) {
  Fix first = MakeFix({Replace(5, 5, "+")});
  Fix second = MakeFix({Replace(5, 5, "+")});
  EditPlan plan = PlanEdits({&first, &second});
  EXPECT_EQ(plan.applied, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(plan.edits.at(&file_).size(), 1u);
}

TEST_F(PlanTest, EditsAreSortedByPosition) {
  Fix late = MakeFix({Replace(9, 10, "L")});
  Fix early = MakeFix({Replace(1, 2, "E")});
  EditPlan plan = PlanEdits({&late, &early});
  const std::vector<TextEdit>& edits = plan.edits.at(&file_);
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[0].begin, 1u);
  EXPECT_EQ(ApplyEdits(file_.text(), edits), "0E2345678Labcdef\n");
}

TEST_F(PlanTest, ASpanPastTheEndOfItsFileIsRefused) {
  Fix broken = MakeFix({Replace(15, 40, "x")});
  EditPlan plan = PlanEdits({&broken});
  EXPECT_EQ(plan.deferred, std::vector<size_t>{0});
  EXPECT_TRUE(plan.edits.empty());
}

TEST(ApplyEditsTest, InsertionBeforeAndAfterAReplacementKeepTheirSides) {
  std::string text = "add_header X \"True\";";
  std::vector<TextEdit> edits = {Replace(14, 14, "<"), Replace(14, 18, "true"),
                                 Replace(18, 18, ">")};
  EXPECT_EQ(ApplyEdits(text, edits), "add_header X \"<true>\";");
}

// Every byte outside the edited ranges survives, whatever the bytes are:
// CR LF pairs, tabs, UTF-8 and control characters.
TEST(ApplyEditsTest, BytesOutsideTheEditsAreKeptExactly) {
  std::mt19937 random(7);
  const std::string alphabet = "ab \t\r\n#;{}\"\xc3\xa9\xe2\x82\xac\x01";
  for (int round = 0; round < 200; ++round) {
    std::string text;
    size_t length = random() % 200;
    for (size_t i = 0; i < length; ++i) {
      text.push_back(alphabet[random() % alphabet.size()]);
    }
    // Disjoint edits at sorted positions.
    std::vector<TextEdit> edits;
    size_t at = 0;
    while (at < text.size()) {
      size_t begin = at + random() % 20;
      if (begin > text.size()) break;
      size_t end = std::min(text.size(), begin + random() % 5);
      edits.push_back(Replace(begin, end, std::string(random() % 3, 'Z')));
      at = end + 1;
    }
    std::string out = ApplyEdits(text, edits);

    // Walk both texts: unedited stretches must match byte for byte.
    size_t in = 0, pos = 0;
    for (const TextEdit& edit : edits) {
      ASSERT_EQ(out.substr(pos, edit.begin - in),
                text.substr(in, edit.begin - in));
      pos += edit.begin - in;
      ASSERT_EQ(out.substr(pos, edit.replacement.size()), edit.replacement);
      pos += edit.replacement.size();
      in = edit.end;
    }
    ASSERT_EQ(out.substr(pos), text.substr(in));
  }
}

TEST(UnifiedDiffTest, EqualTextsGiveNothing) {
  EXPECT_EQ(UnifiedDiff("a.conf", "x\n", "x\n"), "");
}

TEST(UnifiedDiffTest, ShowsOneHunkWithContext) {
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string after = "1\n2\n3\n4\n5x\n6\n7\n8\n9\n";
  EXPECT_EQ(UnifiedDiff("a.conf", before, after),
            "--- a/a.conf\n+++ b/a.conf\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+5x\n"
            " 6\n 7\n 8\n");
}

TEST(UnifiedDiffTest, SplitsDistantChangesIntoHunks) {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2    ? "two"
              : i == 18 ? "eighteen"
                        : std::to_string(i)) +
             std::string("\n");
  }
  std::string diff = UnifiedDiff("f", before, after);
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n"), std::string::npos)
      << diff;
  EXPECT_NE(diff.find("@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+eighteen\n"),
            std::string::npos)
      << diff;
}

TEST(UnifiedDiffTest, InsertedLinesAndAMissingFinalNewline) {
  EXPECT_EQ(UnifiedDiff("f", "a\nb", "a\nnew\nb"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n+new\n b\n"
            "\\ No newline at end of file\n");
  EXPECT_EQ(UnifiedDiff("f", "", "a\n"),
            "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n");
}

TEST(UnifiedDiffTest, KeepsCarriageReturns) {
  EXPECT_EQ(UnifiedDiff("f", "a\r\nb\r\n", "a\r\nc\r\n"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n");
}

// GNU patch, the program users apply `--diff` output with, turns the text
// before into the text after with every diff: line changes of all kinds,
// near and far apart, CRLF lines and a missing final newline.
TEST(UnifiedDiffTest, PatchAppliesEveryDiff) {
  fs::path dir = fs::temp_directory_path() /
                 ("corslint-patch-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::mt19937 random(11);
  for (int round = 0; round < 60; ++round) {
    std::vector<std::string> lines;
    for (int i = 0; i < 30; ++i) {
      lines.push_back("line " + std::to_string(i) +
                      (random() % 5 == 0 ? "\r\n" : "\n"));
    }
    std::string before;
    for (const std::string& line : lines) before += line;
    for (int change = 0; change < 1 + static_cast<int>(random() % 4);
         ++change) {
      size_t at = random() % (lines.size() + 1);
      switch (random() % 3) {
        case 0:
          lines.insert(lines.begin() + at,
                       "new " + std::to_string(round) + "\n");
          break;
        case 1:
          if (at < lines.size()) lines.erase(lines.begin() + at);
          break;
        default:
          if (at < lines.size()) lines[at] = "changed\n";
      }
    }
    std::string after;
    for (const std::string& line : lines) after += line;
    if (round % 7 == 0 && !after.empty()) after.pop_back();

    std::ofstream(dir / "before", std::ios::binary) << before;
    std::ofstream(dir / "change.diff", std::ios::binary)
        << UnifiedDiff("before", before, after);
    std::string command = "cd '" + dir.string() +
                          "' && patch -s -p1 -o out < change.diff "
                          ">/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0)
        << UnifiedDiff("before", before, after);
    std::ifstream in(dir / "out", std::ios::binary);
    std::stringstream out;
    out << in.rdbuf();
    ASSERT_EQ(out.str(), after) << UnifiedDiff("before", before, after);
    fs::remove(dir / "out");
  }
  fs::remove_all(dir);
}

// A private directory for the write tests.
class WriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("corslint-write-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
  }
  void Write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  fs::path dir_;
};

TEST_F(WriteTest, ReplacesTheContentAndKeepsThePermissions) {
  fs::path file = dir_ / "site.conf";
  Write(file, "old\n");
  ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
  std::string old_text = "old\n", error;
  ASSERT_TRUE(WriteFileAtomically(file.string(), "new\n", &old_text, &error))
      << error;
  EXPECT_EQ(Read(file), "new\n");
  struct stat info;
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0640u);
}

TEST_F(WriteTest, LeavesNoTemporaryFileBehind) {
  fs::path file = dir_ / "site.conf";
  Write(file, "old\n");
  std::string error;
  ASSERT_TRUE(WriteFileAtomically(file.string(), "new\n", nullptr, &error));
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(WriteTest, ASymlinkStaysALinkAndItsTargetChanges) {
  fs::create_directories(dir_ / "real");
  fs::path target = dir_ / "real" / "site.conf";
  fs::path link = dir_ / "link.conf";
  Write(target, "old\n");
  fs::create_symlink(fs::path("real") / "site.conf", link);
  std::string error;
  ASSERT_TRUE(WriteFileAtomically(link.string(), "new\n", nullptr, &error))
      << error;
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(fs::read_symlink(link), fs::path("real") / "site.conf");
  EXPECT_EQ(Read(target), "new\n");
}

TEST_F(WriteTest, RefusesAFileThatChangedSinceItWasRead) {
  fs::path file = dir_ / "site.conf";
  Write(file, "changed by someone else\n");
  std::string read_earlier = "old\n", error;
  EXPECT_FALSE(
      WriteFileAtomically(file.string(), "new\n", &read_earlier, &error));
  EXPECT_NE(error.find("changed on disk"), std::string::npos) << error;
  EXPECT_EQ(Read(file), "changed by someone else\n");
}

TEST_F(WriteTest, AFailedWriteLeavesTheFileUnchanged) {
  // A directory the writer may not create files in: the temporary file
  // cannot be made, so nothing happens to the original.
  if (::geteuid() == 0) {
    // Root ignores directory permissions; use a path that is not a file.
    std::string error;
    EXPECT_FALSE(WriteFileAtomically(dir_.string(), "x", nullptr, &error));
    EXPECT_EQ(error, "not a regular file");
    return;
  }
  fs::path file = dir_ / "site.conf";
  Write(file, "old\n");
  ASSERT_EQ(::chmod(dir_.c_str(), 0500), 0);
  std::string error;
  EXPECT_FALSE(WriteFileAtomically(file.string(), "new\n", nullptr, &error));
  ::chmod(dir_.c_str(), 0700);
  EXPECT_EQ(Read(file), "old\n");
}

TEST(FixTextTest, InsertLineAfterKeepsIndentationAndLineEndings) {
  SourceFile file("f", "a {\r\n\tadd_header X y;  # note\r\n}\r\n");
  Span directive = SpanOf(&file, 6, 21);
  ASSERT_EQ(directive.text(), "add_header X y;");
  Edit edit = InsertLineAfter(directive, "add_header Vary Origin;", '#');
  EXPECT_EQ(edit.span.begin, 31u);
  EXPECT_EQ(edit.replacement, "\tadd_header Vary Origin;\r\n");
}

TEST(FixTextTest, InsertLineAfterADirectiveThatSharesItsLine) {
  SourceFile file("f", "location / { add_header X y; }\n");
  Span directive = SpanOf(&file, 13, 28);
  ASSERT_EQ(directive.text(), "add_header X y;");
  Edit edit = InsertLineAfter(directive, "add_header Vary Origin;", '#');
  EXPECT_EQ(edit.span.begin, 28u);
  EXPECT_EQ(edit.replacement, " add_header Vary Origin;");
}

TEST(FixTextTest, InsertLineAfterTheLastLineWithoutANewline) {
  SourceFile file("f", "x;\n  add_header X y;");
  Span directive = SpanOf(&file, 5, 20);
  Edit edit = InsertLineAfter(directive, "z;", '#');
  EXPECT_EQ(edit.span.begin, 20u);
  EXPECT_EQ(edit.replacement, "\n  z;");
}

TEST(FixTextTest, RemoveConstructTakesItsWholeLineWhenAlone) {
  SourceFile file("f", "map $a $b {\n    \"null\" 1;\n    default 0;\n}\n");
  Span entry = SpanOf(&file, 16, 25);
  ASSERT_EQ(entry.text(), "\"null\" 1;");
  Edit edit = RemoveConstruct(entry, '#');
  EXPECT_EQ(
      ApplyEdits(file.text(), {TextEdit{edit.span.begin, edit.span.end, ""}}),
      "map $a $b {\n    default 0;\n}\n");
}

TEST(FixTextTest, RemoveStarItemKeepsTheOtherItemsAndTheirSeparators) {
  EXPECT_EQ(RemoveStarItem("GET, PUT, *"), "GET, PUT");
  EXPECT_EQ(RemoveStarItem("*, GET, PUT"), "GET, PUT");
  EXPECT_EQ(RemoveStarItem("GET,*,PUT"), "GET,PUT");
  EXPECT_EQ(RemoveStarItem("*"), std::nullopt);
  EXPECT_EQ(RemoveStarItem("GET, PUT"), std::nullopt);
}

TEST(FixTextTest, ReplaceWordContentKeepsQuotesAndRefusesEscapes) {
  SourceFile file("f", "X \"True\" 'a\\'b'");
  std::optional<Edit> edit =
      ReplaceWordContent(SpanOf(&file, 2, 8), true, "True", "true");
  ASSERT_TRUE(edit);
  EXPECT_EQ(edit->span.text(), "True");
  EXPECT_FALSE(ReplaceWordContent(SpanOf(&file, 9, 15), true, "a'b", "x"));
}

}  // namespace
}  // namespace corslint
