#include "fixers/fix_loop.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "fixers/apply.h"

namespace corslint {

namespace {

// Error messages per file (canonical path), to tell the errors a fix
// introduced from those the input already had.
std::map<std::string, std::multiset<std::string>> ErrorsByFile(
    const CheckResult& result) {
  std::map<std::string, std::multiset<std::string>> errors;
  for (const InputError& error : result.errors) {
    errors[CanonicalPath(error.where.file)].insert(error.message);
  }
  return errors;
}

// The directories whose files the fixes may change: each checked directory
// and the directory of each checked file, where `include` may read without
// --include-root.
std::vector<std::string> WritableRoots(const std::vector<std::string>& paths) {
  std::vector<std::string> roots;
  for (const std::string& path : paths) {
    std::error_code error;
    bool directory = std::filesystem::is_directory(path, error);
    std::string root =
        CanonicalPath(directory ? path
                                : std::filesystem::path(CanonicalPath(path))
                                      .parent_path()
                                      .string());
    roots.push_back(root.ends_with("/") ? root : root + "/");
  }
  return roots;
}

bool Writable(const std::string& canonical,
              const std::vector<std::string>& roots) {
  return std::any_of(roots.begin(), roots.end(), [&](const std::string& root) {
    return canonical.starts_with(root);
  });
}

}  // namespace

FixLoopResult RunFixLoop(const std::vector<std::string>& paths,
                         const CheckOptions& options,
                         const FixLoopOptions& fix_options) {
  FixLoopResult loop;
  SourceOverlay overlay;
  CheckOptions round_options = options;
  round_options.overlay = &overlay;
  std::map<std::string, FixedFile> changed;  // by canonical path
  std::map<std::string, std::multiset<std::string>> original_errors;
  std::vector<std::string> roots = WritableRoots(paths);

  for (int round = 0;; ++round) {
    CheckResult result = RunCheck(paths, round_options);
    if (round == 0) original_errors = ErrorsByFile(result);

    // One file read by two documents (an include shared by two sites) is
    // two SourceFiles with one text; their edits must meet in one plan.
    std::map<std::string, const SourceFile*> representative;
    std::map<const SourceFile*, const SourceFile*> same_as;
    for (const auto& document : result.documents) {
      for (const auto& file : document->files) {
        auto [it, inserted] =
            representative.try_emplace(CanonicalPath(file->path()), file.get());
        same_as[file.get()] = it->second;
      }
    }

    // The first fix of each finding that this run may apply, and that
    // changes only files the run may write.
    std::vector<Fix> fixes;
    for (const Finding& finding : result.findings) {
      for (const Fix& fix : finding.fixes) {
        if (!FixApplies(fix, fix_options.unsafe)) continue;
        bool inside = std::all_of(
            fix.edits.begin(), fix.edits.end(), [&](const Edit& edit) {
              return Writable(CanonicalPath(edit.span.file->path()), roots);
            });
        if (!inside) continue;
        Fix copy = fix;
        for (Edit& edit : copy.edits) {
          auto it = same_as.find(edit.span.file);
          if (it != same_as.end()) edit.span.file = it->second;
        }
        fixes.push_back(std::move(copy));
        break;
      }
    }
    std::vector<const Fix*> order;
    for (const Fix& fix : fixes) order.push_back(&fix);
    EditPlan plan = PlanEdits(order);

    if (plan.applied.empty() || round == fix_options.max_rounds) {
      loop.settled = plan.applied.empty();
      loop.result = std::move(result);
      break;
    }

    for (const auto& [file, edits] : plan.edits) {
      std::string canonical = CanonicalPath(file->path());
      auto [it, inserted] = changed.try_emplace(canonical);
      if (inserted) {
        it->second.path = file->path();
        it->second.original = file->text();
      }
      it->second.fixed = ApplyEdits(file->text(), edits);
      overlay[canonical] = it->second.fixed;
    }
    loop.applied += plan.applied.size();
  }

  // Errors in changed files that their original text did not have.
  std::map<std::string, std::multiset<std::string>> final_errors =
      ErrorsByFile(loop.result);
  for (const InputError& error : loop.result.errors) {
    std::string canonical = CanonicalPath(error.where.file);
    if (!changed.count(canonical)) continue;
    const std::multiset<std::string>& before = original_errors[canonical];
    if (final_errors[canonical].count(error.message) >
        before.count(error.message)) {
      loop.broken.push_back(error);
    }
  }

  for (auto& [canonical, file] : changed) {
    if (file.fixed != file.original) loop.files.push_back(std::move(file));
  }
  std::sort(
      loop.files.begin(), loop.files.end(),
      [](const FixedFile& a, const FixedFile& b) { return a.path < b.path; });
  return loop;
}

std::vector<std::string> WriteFixedFiles(const std::vector<FixedFile>& files) {
  std::vector<std::string> errors;
  for (const FixedFile& file : files) {
    std::string error;
    if (!WriteFileAtomically(file.path, file.fixed, &file.original, &error)) {
      errors.push_back(file.path + ": " + error);
    }
  }
  return errors;
}

}  // namespace corslint
