#include "analyzer/source.h"

#include <gtest/gtest.h>

namespace corslint {
namespace {

TEST(SourceFileTest, PositionCountsBytesFromOne) {
  SourceFile file("a.conf", "ab\n\tcd\r\nef");
  int line = 0, column = 0;
  file.Position(0, &line, &column);
  EXPECT_EQ(line, 1);
  EXPECT_EQ(column, 1);
  file.Position(4, &line, &column);
  EXPECT_EQ(line, 2);
  EXPECT_EQ(column, 2);
  file.Position(100, &line, &column);
  EXPECT_EQ(line, 3);
  EXPECT_EQ(column, 3);
}

TEST(SourceFileTest, LineDropsTheTerminatorAndCarriageReturn) {
  SourceFile file("a.conf", "ab\n\tcd\r\nef");
  EXPECT_EQ(file.Line(1), "ab");
  EXPECT_EQ(file.Line(2), "\tcd");
  EXPECT_EQ(file.Line(3), "ef");
  EXPECT_EQ(file.Line(4), "");
  EXPECT_EQ(file.Line(0), "");
}

TEST(SourceFileTest, LocateGivesEndJustPastTheSpan) {
  SourceFile file("a.conf", "add_header X y;\n");
  Location location = Locate(Span{&file, 11, 12});
  EXPECT_EQ(location.file, "a.conf");
  EXPECT_EQ(location.line, 1);
  EXPECT_EQ(location.column, 12);
  EXPECT_EQ(location.end_column, 13);
}

}  // namespace
}  // namespace corslint
