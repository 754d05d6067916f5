#include "parsers/nginx_include.h"

#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace corslint::nginx {
namespace {

namespace fs = std::filesystem;

// Bounds the work that includes fanning out to the same files can cause.
constexpr size_t kMaxIncludedFiles = 10000;
// Bounds the recursion that a chain of distinct files including each other
// can cause.
constexpr size_t kMaxIncludeDepth = 64;

std::string Canonical(const fs::path& path) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(path, error);
  if (error) canonical = fs::absolute(path, error).lexically_normal();
  return canonical.string();
}

bool IsBelow(const std::string& path, const std::string& directory) {
  if (directory == "/") return true;
  return path == directory ||
         (path.size() > directory.size() && path.starts_with(directory) &&
          path[directory.size()] == '/');
}

class Includer {
 public:
  Includer(const SourceFile* root, const LoadOptions& options,
           Document* document);

  std::vector<Directive> Run();
  // Whether Run changed the root file's directives: an include was
  // replaced or a block emptied.
  bool changed() const { return changed_; }

 private:
  void Prepare();
  struct Parsed {
    std::vector<Directive> directives;
    bool readable = false;
    std::string error;
  };

  void ExpandList(std::vector<Directive>* list);
  void ExpandBlock(Directive* directive);
  void Include(const Directive& include, std::vector<Directive>* out);
  void IncludeFile(const Directive& include, const std::string& path,
                   std::vector<Directive>* out);
  const Parsed& ParseFile(const std::string& canonical,
                          const std::string& path);
  bool Allowed(const std::string& canonical) const;
  std::string Shown(const std::string& canonical) const;
  // Records why an include was not read and keeps the directive as
  // unknown content. `warning` marks a refusal that was asked for (an
  // include outside the checked tree), which leaves the exit code alone.
  void Refuse(const Directive& include, std::vector<Directive>* out,
              std::string message, bool warning = false);

  const SourceFile* root_;
  const LoadOptions& options_;
  Document* document_;
  std::vector<std::string> roots_;  // canonical
  std::string prefix_;              // canonical
  std::unordered_map<std::string, Parsed> parsed_;
  std::vector<std::string> stack_;  // canonical paths being expanded
  size_t included_ = 0;
  int depth_ = 0;
  bool prepared_ = false;  // block nesting of the list being expanded
  bool changed_ = false;
};

Includer::Includer(const SourceFile* root, const LoadOptions& options,
                   Document* document)
    : root_(root), options_(options), document_(document) {}

// The configuration prefix that relative includes resolve against: the
// directory of a root named nginx.conf, else the nearest directory up from
// the root file, within the allowed roots, that holds an nginx.conf, else
// the root file's own directory. Worked out at the first `include`: most
// files have none, and the search asks the file system.
void Includer::Prepare() {
  if (prepared_) return;
  prepared_ = true;
  fs::path root_path = Canonical(root_->path());
  stack_.insert(stack_.begin(), root_path.string());
  fs::path directory = root_path.parent_path();
  for (const std::string& allowed : options_.allowed_roots) {
    roots_.push_back(Canonical(allowed));
  }
  if (roots_.empty()) roots_.push_back(directory.string());

  prefix_ = directory.string();
  if (root_path.filename() == "nginx.conf") return;
  for (fs::path up = directory; Allowed(up.string()); up = up.parent_path()) {
    std::error_code error;
    if (fs::is_regular_file(up / "nginx.conf", error)) {
      prefix_ = up.string();
      return;
    }
    if (up == up.parent_path()) return;
  }
}

bool Includer::Allowed(const std::string& canonical) const {
  return std::any_of(roots_.begin(), roots_.end(),
                     [&canonical](const std::string& root) {
                       return IsBelow(canonical, root);
                     });
}

// Paths in messages: relative to the prefix when below it.
std::string Includer::Shown(const std::string& canonical) const {
  if (IsBelow(canonical, prefix_) && canonical != prefix_) {
    return canonical.substr(prefix_ == "/" ? 1 : prefix_.size() + 1);
  }
  return canonical;
}

std::vector<Directive> Includer::Run() {
  std::vector<Directive> directives;
  InputError error;
  if (!Parse(*root_, &directives, &error)) {
    document_->errors.push_back(std::move(error));
  }
  ExpandList(&directives);
  return directives;
}

void Includer::ExpandList(std::vector<Directive>* list) {
  auto is_include = [](const Directive& directive) {
    return directive.name() == "include" && !directive.has_block;
  };
  if (std::none_of(list->begin(), list->end(), is_include)) {
    for (Directive& directive : *list) ExpandBlock(&directive);
    return;
  }

  changed_ = true;
  std::vector<Directive> out;
  out.reserve(list->size());
  for (Directive& directive : *list) {
    if (is_include(directive)) {
      Include(directive, &out);
      continue;
    }
    ExpandBlock(&directive);
    out.push_back(std::move(directive));
  }
  *list = std::move(out);
}

// Each file nests at most kMaxNesting blocks; so does the text that its
// includes put together, so that what reads the tree stays shallow.
void Includer::ExpandBlock(Directive* directive) {
  if (!directive->has_block) return;
  if (depth_ == kMaxNesting) {
    document_->errors.push_back(InputError{
        Locate(directive->words.front().span), "blocks nested deeper than " +
                                                   std::to_string(kMaxNesting) +
                                                   " levels through includes"});
    directive->block.clear();
    changed_ = true;
    return;
  }
  ++depth_;
  ExpandList(&directive->block);
  --depth_;
}

// ngx_conf_include: relative to the prefix; `*?[` make a glob whose
// matches are read in sorted order, and no match is fine.
void Includer::Include(const Directive& include, std::vector<Directive>* out) {
  Prepare();
  if (include.arg_count() != 1) {
    document_->errors.push_back(
        InputError{Locate(include.words.front().span),
                   "invalid number of arguments in \"include\" directive"});
    return;
  }
  const std::string& argument = include.arg(0);
  std::string path = argument.starts_with("/")
                         ? argument
                         : (fs::path(prefix_) / argument).string();
  size_t magic = path.find_first_of("*?[");
  if (magic == std::string::npos) {
    IncludeFile(include, path, out);
    return;
  }

  // The directory part before the first wildcard must be inside the tree:
  // a glob elsewhere is not even listed.
  fs::path fixed = fs::path(path.substr(0, magic)).parent_path();
  if (!Allowed(Canonical(fixed))) {
    Refuse(include, out,
           "\"" + path +
               "\" is outside the checked tree and was not read; "
               "--include-root allows it",
           /*warning=*/true);
    return;
  }
  glob_t matches;
  int rc = glob(path.c_str(), 0, nullptr, &matches);
  if (rc == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) {
      IncludeFile(include, matches.gl_pathv[i], out);
    }
  } else if (rc != GLOB_NOMATCH) {
    Refuse(include, out, "glob() \"" + path + "\" failed");
  }
  globfree(&matches);
}

void Includer::IncludeFile(const Directive& include, const std::string& path,
                           std::vector<Directive>* out) {
  std::string canonical = Canonical(path);
  if (!Allowed(canonical)) {
    Refuse(include, out,
           "\"" + path +
               "\" is outside the checked tree and was not read; "
               "--include-root allows it",
           /*warning=*/true);
    return;
  }

  auto repeat = std::find(stack_.begin(), stack_.end(), canonical);
  if (repeat != stack_.end()) {
    std::string chain;
    for (auto it = repeat; it != stack_.end(); ++it)
      chain += Shown(*it) + " -> ";
    chain += Shown(canonical);
    document_->errors.push_back(InputError{Locate(include.words.front().span),
                                           "include cycle: " + chain});
    return;
  }
  if (stack_.size() > kMaxIncludeDepth) {
    Refuse(include, out,
           "includes nested deeper than " + std::to_string(kMaxIncludeDepth) +
               " files; \"" + path + "\" is not read");
    return;
  }
  if (++included_ > kMaxIncludedFiles) {
    if (included_ == kMaxIncludedFiles + 1) {
      Refuse(include, out,
             "more than " + std::to_string(kMaxIncludedFiles) +
                 " files included; the rest is not read");
    }
    return;
  }

  const Parsed& parsed = ParseFile(canonical, path);
  if (!parsed.readable) {
    Refuse(include, out, parsed.error);
    return;
  }
  std::vector<Directive> directives = parsed.directives;
  stack_.push_back(canonical);
  ExpandList(&directives);
  stack_.pop_back();
  std::move(directives.begin(), directives.end(), std::back_inserter(*out));
}

// Each file is read and parsed once, however often it is included.
const Includer::Parsed& Includer::ParseFile(const std::string& canonical,
                                            const std::string& path) {
  auto [it, inserted] = parsed_.try_emplace(canonical);
  Parsed& parsed = it->second;
  if (!inserted) return parsed;

  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    parsed.error =
        "open() \"" + path + "\" failed (" + std::strerror(errno) + ")";
    return parsed;
  }
  std::string text, error;
  if (!ReadSourceFile(path, options_.max_file_bytes, &text, &error,
                      options_.overlay)) {
    parsed.error = "cannot read \"" + path + "\": " + error;
    return parsed;
  }
  const SourceFile* file = document_->AddFile(path, std::move(text));
  InputError syntax_error;
  if (!Parse(*file, &parsed.directives, &syntax_error)) {
    document_->errors.push_back(std::move(syntax_error));
  }
  parsed.readable = true;
  return parsed;
}

// The include stays in the tree as a mark that its block is incomplete.
void Includer::Refuse(const Directive& include, std::vector<Directive>* out,
                      std::string message, bool warning) {
  document_->errors.push_back(
      InputError{Locate(include.words.front().span), message, warning});
  document_->notes.push_back(ModelNote{
      include.span, "the content of this include is unknown: " + message});
  out->push_back(include);
}

}  // namespace

std::vector<Directive> ReadWithIncludes(const SourceFile* root,
                                        const LoadOptions& options,
                                        Document* document, bool* changed) {
  Includer includer(root, options, document);
  std::vector<Directive> directives = includer.Run();
  if (changed != nullptr) *changed = includer.changed();
  return directives;
}

}  // namespace corslint::nginx
