#include "analyzer/check.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_set>

#include "analyzer/formats.h"
#include "analyzer/lint.h"
#include "analyzer/origin.h"

namespace corslint {

namespace fs = std::filesystem;

namespace {

// Directories never descended into: version control and dependency trees.
bool SkippedDirectory(const std::string& name) {
  return name == ".git" || name == ".hg" || name == ".svn" ||
         name == "node_modules";
}

struct Candidate {
  std::string path;
  bool explicit_path = false;  // named on the command line
};

// Collects the files below `root` in a stable order, without following
// directory links (which could loop).
void Walk(const fs::path& root, std::vector<Candidate>* files,
          CheckResult* result) {
  std::error_code error;
  fs::directory_iterator it(root, error), end;
  if (error) {
    result->errors.push_back(
        {Location{root.string()}, "cannot read directory: " + error.message()});
    return;
  }
  std::vector<fs::directory_entry> entries;
  for (; it != end; it.increment(error)) {
    if (error) break;
    entries.push_back(*it);
  }
  if (error) {
    result->errors.push_back(
        {Location{root.string()}, "cannot read directory: " + error.message()});
  }
  std::sort(entries.begin(), entries.end());

  for (const fs::directory_entry& entry : entries) {
    std::string name = entry.path().filename().string();
    std::error_code status_error;
    if (entry.is_directory(status_error) && !entry.is_symlink(status_error)) {
      if (SkippedDirectory(name)) {
        result->skipped.push_back(entry.path().string() +
                                  ": skipped directory");
        continue;
      }
      Walk(entry.path(), files, result);
      continue;
    }
    if (entry.is_regular_file(status_error)) {
      files->push_back({entry.path().string(), false});
    }
  }
}

bool Overlaps(const Span& a, const Span& b) {
  return a.file != nullptr && a.file == b.file && a.begin < b.end &&
         b.begin < a.end;
}

// Marks the notes at places whose policy the model does not know: origin
// checks of unknown kind and code that sends a CORS header with an unknown
// value. Needs the scopes, so it runs before they are released.
void MarkNotesThatHidePolicy(Document* document) {
  if (document->notes.empty()) return;
  std::vector<Span> unknown;
  for (const OriginCheck& check : document->origin_checks) {
    if (check.kind == OriginCheckKind::kUnknown) unknown.push_back(check.span);
  }
  for (const auto& scope : document->scopes) {
    for (Request request : {Request::Simple(std::string(kUnrelatedOrigin)),
                            Request::Preflight(std::string(kUnrelatedOrigin),
                                               "PUT", {"content-type"})}) {
      request.path = scope->sample_path;
      for (const ResponseHeader& header : scope->Respond(request).headers) {
        if (!header.value_known) unknown.push_back(header.span);
      }
    }
  }
  for (ModelNote& note : document->notes) {
    note.hides_policy = std::any_of(
        unknown.begin(), unknown.end(),
        [&](const Span& span) { return Overlaps(span, note.span); });
  }
}

std::string Canonical(const std::string& path) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(path, error);
  return error ? path : canonical.string();
}

// Runs `work(i)` for i in [0, count) on `jobs` threads.
template <typename Work>
void ParallelFor(size_t count, int jobs, Work work) {
  size_t threads = std::min<size_t>(std::max(jobs, 1), count);
  if (threads <= 1) {
    for (size_t i = 0; i < count; ++i) work(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < count; i = next++) work(i);
    });
  }
  for (std::thread& thread : pool) thread.join();
}

// What one input file turned into.
// What makes two findings the same: a file included from two checked
// files is analysed twice and reports the same finding twice.
struct DuplicateKey {
  std::string_view rule;
  std::string_view file;
  int line;
  int column;
  std::string_view message;

  bool operator==(const DuplicateKey&) const = default;
  struct Hash {
    size_t operator()(const DuplicateKey& key) const {
      size_t hash = std::hash<std::string_view>()(key.message);
      for (size_t part :
           {std::hash<std::string_view>()(key.rule),
            std::hash<std::string_view>()(key.file),
            static_cast<size_t>(key.line), static_cast<size_t>(key.column)}) {
        hash = hash * 31 + part;
      }
      return hash;
    }
  };
};

struct Loaded {
  std::unique_ptr<Document> document;
  std::vector<Finding> findings;
  std::optional<InputError> read_error;
  std::string skipped;
  size_t bytes = 0;
};

}  // namespace

CheckResult RunCheck(const std::vector<std::string>& paths,
                     const CheckOptions& options) {
  CheckResult result;

  // Discovery: explicit files are always read; directories contribute the
  // files whose format is recognised.
  std::vector<Candidate> candidates;
  LoaderOptions loader;
  loader.overlay = options.overlay;
  for (const std::string& path : paths) {
    if (options.configs) options.configs->AddRoot(path);
    std::error_code error;
    fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) {
      result.errors.push_back({Location{path}, "no such file or directory"});
      continue;
    }
    if (fs::is_directory(status)) {
      loader.allowed_roots.push_back(Canonical(path));
      Walk(path, &candidates, &result);
    } else {
      loader.allowed_roots.push_back(
          Canonical(fs::path(path).parent_path().empty()
                        ? "."
                        : fs::path(path).parent_path().string()));
      candidates.push_back({path, true});
    }
  }
  for (const std::string& root : options.include_roots) {
    loader.allowed_roots.push_back(Canonical(root));
  }
  loader.flask_cors_line = options.flask_cors_line;

  // Configuration: what each file is checked with, and which files the
  // configuration leaves out.
  Config default_config;
  FileSettings default_settings;
  default_settings.config = &default_config;
  default_settings.rule_options = options.rule_options;
  std::vector<const FileSettings*> settings(candidates.size(),
                                            &default_settings);
  if (options.configs) {
    std::vector<Candidate> selected;
    for (const Candidate& candidate : candidates) {
      std::string exclusion =
          options.configs->Exclusion(candidate.path, candidate.explicit_path);
      if (!exclusion.empty()) {
        result.skipped.push_back(candidate.path + ": skipped, " + exclusion);
        continue;
      }
      settings[selected.size()] = &options.configs->ForFile(candidate.path);
      selected.push_back(candidate);
    }
    candidates = std::move(selected);
    settings.resize(candidates.size());
    if (!options.configs->errors().empty()) return result;
  }

  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  int jobs = options.jobs > 0 ? options.jobs : static_cast<int>(cores);

  // Reading, format detection, parsing and rules, in parallel.
  std::vector<Loaded> loaded(candidates.size());
  ParallelFor(candidates.size(), jobs, [&](size_t i) {
    const Candidate& candidate = candidates[i];
    Loaded& out = loaded[i];
    std::string text, error;
    if (!ReadSourceFile(candidate.path, loader.max_file_bytes, &text, &error,
                        loader.overlay)) {
      bool binary = error.starts_with("binary");
      if (binary && !candidate.explicit_path) {
        out.skipped = candidate.path + ": skipped, " + error;
      } else {
        out.read_error = InputError{Location{candidate.path}, error};
      }
      return;
    }
    std::optional<Format> format = options.forced_format;
    if (!format) format = DetectFormat(candidate.path, text);
    if (!format) {
      if (candidate.explicit_path && !options.skip_unrecognized) {
        out.read_error = InputError{
            Location{candidate.path},
            "cannot tell the format of this file; name it with --lang"};
      } else {
        out.skipped = candidate.path + ": skipped, not a format corslint reads";
      }
      return;
    }
    out.bytes = text.size();
    // The flask-cors line: the command line, else the file's
    // configuration, else the newest.
    LoaderOptions file_loader = loader;
    if (options.flask_cors_line == 0) {
      file_loader.flask_cors_line = settings[i]->flask_cors.value_or(6);
    }
    out.document =
        LoadDocument(*format, candidate.path, std::move(text), file_loader);

    // Rules right away, so that only findings and text outlive the model:
    // holding every model of a large tree at once would cost far more.
    out.findings = LintDocument(*out.document, *settings[i]);
    Document& document = *out.document;
    MarkNotesThatHidePolicy(&document);
    document.scopes.clear();
    document.origin_checks.clear();
    document.dropped.clear();
    document.route = nullptr;
    document.root_syntax.reset();
  });

  // A file that another checked file includes is analysed in that context,
  // not on its own.
  std::set<std::string> included;
  for (const Loaded& out : loaded) {
    if (!out.document) continue;
    for (size_t f = 1; f < out.document->files.size(); ++f) {
      included.insert(Canonical(out.document->files[f]->path()));
    }
  }

  std::vector<size_t> roots;
  for (size_t i = 0; i < loaded.size(); ++i) {
    Loaded& out = loaded[i];
    if (out.read_error) result.errors.push_back(*out.read_error);
    if (!out.skipped.empty()) result.skipped.push_back(out.skipped);
    if (!out.document) continue;
    ++result.files_read;
    result.bytes_read += out.bytes;
    if (!candidates[i].explicit_path && !included.empty() &&
        included.count(Canonical(out.document->path))) {
      result.skipped.push_back(out.document->path +
                               ": checked where it is included");
      out.document.reset();
      continue;
    }
    roots.push_back(i);
  }

  // Merge in a deterministic order, dropping findings that a file included
  // from two places produced twice. Keys point into the findings, which
  // stay in place until the sorted result takes them.
  struct Placed {
    Location where;  // `file` left empty: `path` names it
    const std::string* path;
    Finding* finding;
  };
  static const std::string kNoFile;
  std::vector<Placed> placed;
  std::unordered_set<DuplicateKey, DuplicateKey::Hash> seen;
  for (size_t index : roots) {
    Loaded& out = loaded[index];
    for (const InputError& error : out.document->errors) {
      result.errors.push_back(error);
    }
    for (Finding& finding : out.findings) {
      Placed entry{{}, &kNoFile, &finding};
      const Span& span = finding.span;
      if (span.valid()) {
        entry.path = &span.file->path();
        span.file->Position(span.begin, &entry.where.line, &entry.where.column);
        span.file->Position(span.end, &entry.where.end_line,
                            &entry.where.end_column);
      }
      DuplicateKey key{finding.rule, *entry.path, entry.where.line,
                       entry.where.column, finding.message};
      if (seen.insert(key).second) placed.push_back(entry);
    }
    result.documents.push_back(std::move(out.document));
  }
  seen.clear();
  std::stable_sort(
      placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
        const Location& x = a.where;
        const Location& y = b.where;
        return std::tie(*a.path, x.line, x.column, x.end_line, x.end_column,
                        a.finding->rule) < std::tie(*b.path, y.line, y.column,
                                                    y.end_line, y.end_column,
                                                    b.finding->rule);
      });
  result.findings.reserve(placed.size());
  for (const Placed& entry : placed) {
    result.findings.push_back(std::move(*entry.finding));
  }
  std::vector<Placed>().swap(placed);
  std::vector<Loaded>().swap(loaded);
  std::stable_sort(result.errors.begin(), result.errors.end(),
                   [](const InputError& a, const InputError& b) {
                     return a.where < b.where;
                   });
  auto last = std::unique(result.errors.begin(), result.errors.end(),
                          [](const InputError& a, const InputError& b) {
                            return a.where == b.where && a.message == b.message;
                          });
  result.errors.erase(last, result.errors.end());
  return result;
}

}  // namespace corslint
