#include "fixers/apply.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <tuple>

namespace corslint {

namespace fs = std::filesystem;

bool FixApplies(const Fix& fix, bool unsafe) {
  if (fix.edits.empty()) return false;
  switch (fix.safety) {
    case FixSafety::kSafe:
      return true;
    case FixSafety::kUnsafe:
      return unsafe;
    case FixSafety::kDisplayOnly:
      return false;
  }
  return false;
}

bool EditsConflict(const TextEdit& a, const TextEdit& b) {
  if (a == b) return false;
  bool a_inserts = a.begin == a.end;
  bool b_inserts = b.begin == b.end;
  if (a_inserts && b_inserts) return a.begin == b.begin;
  if (a_inserts) return b.begin < a.begin && a.begin < b.end;
  if (b_inserts) return a.begin < b.begin && b.begin < a.end;
  return a.begin < b.end && b.begin < a.end;
}

EditPlan PlanEdits(const std::vector<const Fix*>& fixes) {
  EditPlan plan;
  for (size_t i = 0; i < fixes.size(); ++i) {
    // Resolve the spans; a span that does not fit its file is a bad fix.
    std::vector<std::pair<const SourceFile*, TextEdit>> edits;
    bool valid = !fixes[i]->edits.empty();
    for (const Edit& edit : fixes[i]->edits) {
      const Span& span = edit.span;
      if (!span.valid() || span.begin > span.end ||
          span.end > span.file->text().size()) {
        valid = false;
        break;
      }
      edits.push_back({span.file, {span.begin, span.end, edit.replacement}});
    }

    // A fix goes in whole or not at all; its own edits must agree too.
    bool conflict = !valid;
    for (size_t e = 0; e < edits.size() && !conflict; ++e) {
      auto& [file, edit] = edits[e];
      for (size_t other = 0; other < e && !conflict; ++other) {
        conflict = edits[other].first == file &&
                   EditsConflict(edits[other].second, edit);
      }
      auto kept = plan.edits.find(file);
      if (kept == plan.edits.end()) continue;
      for (const TextEdit& existing : kept->second) {
        if (EditsConflict(existing, edit)) {
          conflict = true;
          break;
        }
      }
    }
    if (conflict) {
      plan.deferred.push_back(i);
      continue;
    }

    for (auto& [file, edit] : edits) {
      std::vector<TextEdit>& kept = plan.edits[file];
      if (std::find(kept.begin(), kept.end(), edit) == kept.end()) {
        kept.push_back(std::move(edit));
      }
    }
    plan.applied.push_back(i);
  }

  for (auto& [file, edits] : plan.edits) {
    std::sort(edits.begin(), edits.end(),
              [](const TextEdit& a, const TextEdit& b) {
                return std::tie(a.begin, a.end) < std::tie(b.begin, b.end);
              });
  }
  return plan;
}

std::string ApplyEdits(std::string_view text,
                       const std::vector<TextEdit>& edits) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  for (const TextEdit& edit : edits) {
    out.append(text.substr(at, edit.begin - at));
    out.append(edit.replacement);
    at = edit.end;
  }
  out.append(text.substr(at));
  return out;
}

namespace {

// Lines with their terminators; the last may have none.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

enum class Op { kKeep, kDelete, kInsert };

// The shortest edit script from `a` to `b` (Myers' O(ND) algorithm), as
// one operation per line, in order. The trace it keeps grows with the
// number of changed lines times the length of the texts, so the common
// head and tail are set aside first: a fix changes a few lines.
std::vector<Op> DiffLines(std::vector<std::string_view> a,
                          std::vector<std::string_view> b) {
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  a = std::vector<std::string_view>(a.begin() + head, a.end() - tail);
  b = std::vector<std::string_view>(b.begin() + head, b.end() - tail);

  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int max = n + m;
  std::vector<int> v(2 * max + 2, 0);
  std::vector<std::vector<int>> trace;
  auto at = [&](std::vector<int>& row, int k) -> int& {
    return row[k + max + 1];
  };

  int found = -1;
  for (int d = 0; d <= max && found < 0; ++d) {
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && at(v, k - 1) < at(v, k + 1)))
                  ? at(v, k + 1)
                  : at(v, k - 1) + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) {
        ++x;
        ++y;
      }
      at(v, k) = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }

  // Walk the trace back from the end.
  std::vector<Op> ops;
  int x = n, y = m;
  for (int d = found; d >= 0; --d) {
    std::vector<int>& row = trace[d];
    int k = x - y;
    int previous_k = (k == -d || (k != d && at(row, k - 1) < at(row, k + 1)))
                         ? k + 1
                         : k - 1;
    int previous_x = d == 0 ? 0 : at(row, previous_k);
    int previous_y = d == 0 ? 0 : previous_x - previous_k;
    while (x > previous_x && y > previous_y) {
      ops.push_back(Op::kKeep);
      --x;
      --y;
    }
    if (d == 0) break;
    ops.push_back(x == previous_x ? Op::kInsert : Op::kDelete);
    x = previous_x;
    y = previous_y;
  }
  ops.insert(ops.end(), head, Op::kKeep);
  std::reverse(ops.begin(), ops.end());
  ops.insert(ops.end(), tail, Op::kKeep);
  return ops;
}

void AppendLine(char prefix, std::string_view line, std::string* out) {
  out->push_back(prefix);
  if (line.ends_with('\n')) {
    out->append(line);
    return;
  }
  out->append(line);
  out->append("\n\\ No newline at end of file\n");
}

std::string Range(int first, int count) {
  // A hunk that holds no line of a side starts at the line before it.
  std::string text = std::to_string(count == 0 ? first : first + 1);
  if (count != 1) text += "," + std::to_string(count);
  return text;
}

}  // namespace

std::string UnifiedDiff(std::string_view path, std::string_view before,
                        std::string_view after) {
  if (before == after) return "";
  std::vector<std::string_view> a = SplitLines(before);
  std::vector<std::string_view> b = SplitLines(after);
  std::vector<Op> ops = DiffLines(a, b);

  // Positions of each operation in both texts.
  struct Step {
    Op op;
    int a_line;
    int b_line;
  };
  std::vector<Step> steps;
  int ai = 0, bi = 0;
  for (Op op : ops) {
    steps.push_back({op, ai, bi});
    if (op != Op::kInsert) ++ai;
    if (op != Op::kDelete) ++bi;
  }

  constexpr int kContext = 3;
  std::string out =
      "--- a/" + std::string(path) + "\n+++ b/" + std::string(path) + "\n";
  size_t i = 0;
  while (i < steps.size()) {
    if (steps[i].op == Op::kKeep) {
      ++i;
      continue;
    }
    // A hunk: context before, then changes whose gaps of kept lines are
    // short enough to share context, then context after.
    size_t start = i >= kContext ? i - kContext : 0;
    while (start < i && steps[start].op != Op::kKeep) ++start;
    size_t end = i;
    while (end < steps.size()) {
      if (steps[end].op != Op::kKeep) {
        ++end;
        continue;
      }
      size_t run = end;
      while (run < steps.size() && steps[run].op == Op::kKeep) ++run;
      if (run == steps.size() || run - end > 2 * kContext) {
        end = std::min(run, end + kContext);
        break;
      }
      end = run;
    }

    int a_count = 0, b_count = 0;
    for (size_t s = start; s < end; ++s) {
      if (steps[s].op != Op::kInsert) ++a_count;
      if (steps[s].op != Op::kDelete) ++b_count;
    }
    out += "@@ -" + Range(steps[start].a_line, a_count) + " +" +
           Range(steps[start].b_line, b_count) + " @@\n";
    for (size_t s = start; s < end; ++s) {
      switch (steps[s].op) {
        case Op::kKeep:
          AppendLine(' ', a[steps[s].a_line], &out);
          break;
        case Op::kDelete:
          AppendLine('-', a[steps[s].a_line], &out);
          break;
        case Op::kInsert:
          AppendLine('+', b[steps[s].b_line], &out);
          break;
      }
    }
    i = end;
  }
  return out;
}

namespace {

std::string Errno(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

bool WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    text.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

}  // namespace

bool WriteFileAtomically(const std::string& path, std::string_view text,
                         const std::string* expected, std::string* error) {
  // The file itself, behind any symbolic links, so that links stay links.
  std::error_code failure;
  fs::path target = fs::canonical(path, failure);
  if (failure) {
    *error = "cannot resolve the path: " + failure.message();
    return false;
  }
  struct stat info;
  if (::stat(target.c_str(), &info) != 0) {
    *error = Errno("cannot read its status");
    return false;
  }
  if (!S_ISREG(info.st_mode)) {
    *error = "not a regular file";
    return false;
  }

  if (expected != nullptr) {
    std::ifstream in(target, std::ios::binary);
    std::string current((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      *error = "cannot read it again before writing";
      return false;
    }
    if (current != *expected) {
      *error = "the file changed on disk since it was read; not written";
      return false;
    }
  }

  // A temporary file beside the target, so that the rename stays within
  // one file system and is atomic.
  std::string temporary =
      (target.parent_path() /
       ("." + target.filename().string() + ".corslint-XXXXXX"))
          .string();
  int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    *error = Errno("cannot create a temporary file beside it");
    return false;
  }
  auto give_up = [&](const std::string& message) {
    *error = message;
    ::close(fd);
    ::unlink(temporary.c_str());
    return false;
  };
  if (!WriteAll(fd, text)) return give_up(Errno("cannot write"));
  if (::fchmod(fd, info.st_mode & 07777) != 0) {
    return give_up(Errno("cannot set the permissions"));
  }
  // Keeping the owner needs privileges a user may lack; the mode is kept
  // either way.
  if (info.st_uid != ::geteuid() || info.st_gid != ::getegid()) {
    [[maybe_unused]] int ignored = ::fchown(fd, info.st_uid, info.st_gid);
  }
  if (::fsync(fd) != 0) return give_up(Errno("cannot flush"));
  if (::close(fd) != 0) {
    *error = Errno("cannot close");
    ::unlink(temporary.c_str());
    return false;
  }
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    *error = Errno("cannot replace the file");
    ::unlink(temporary.c_str());
    return false;
  }

  // Make the rename itself durable.
  int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

}  // namespace corslint
