#include "analyzer/simulate_command.h"

#include "analyzer/fetch_rules.h"
#include "analyzer/formats.h"
#include "analyzer/simulate.h"
#include "fixers/generate.h"
#include "fixers/policy_spec.h"

namespace corslint {

namespace {

constexpr int kExitAllowed = 0;
constexpr int kExitRefused = 1;
constexpr int kExitInputError = 2;
constexpr int kExitUsage = 3;

int Usage(std::ostream& err, const std::string& message,
          const std::string& help = "") {
  err << "corslint: error: " << message << "\n";
  if (!help.empty()) err << "help: " << help << "\n";
  return kExitUsage;
}

// Parses `Name: value` options into `headers`; false on a malformed one.
bool ParseHeaderOptions(const std::vector<std::string>& options,
                        const std::string& option, HeaderList* headers,
                        std::ostream& err) {
  for (const std::string& text : options) {
    size_t colon = text.find(':');
    std::string name = colon == std::string::npos ? "" : text.substr(0, colon);
    if (colon == std::string::npos || !IsToken(name)) {
      Usage(err, option + " takes 'Name: value', not \"" + text + "\"",
            "write e.g. " + option + " 'X-Request-Id: 42'");
      return false;
    }
    std::string value = text.substr(colon + 1);
    size_t begin = value.find_first_not_of(" \t");
    value = begin == std::string::npos ? "" : value.substr(begin);
    headers->emplace_back(name, value);
  }
  return true;
}

}  // namespace

CLI::App* AddSimulateCommand(CLI::App& app, SimulateFlags* flags) {
  CLI::App* command = app.add_subcommand(
      "simulate",
      "show what a browser sends, what the server answers and why a "
      "cross-origin request is allowed or refused");
  command
      ->add_option("file", flags->file,
                   "a configuration, an application or a policy file")
      ->required();
  command->add_option("--origin", flags->origin, "the page's origin")
      ->required();
  command->add_option("--path", flags->path, "the URL path requested")
      ->required();
  command->add_option("--method", flags->method, "the request method")
      ->capture_default_str();
  command->add_option("--header", flags->headers,
                      "a request header the page sets, 'Name: value' "
                      "(repeatable)");
  command
      ->add_option("--credentials", flags->credentials,
                   "the fetch() credentials mode: omit, same-origin or "
                   "include")
      ->capture_default_str();
  command->add_option("--format", flags->format, "text or json")
      ->capture_default_str();
  command->add_option("--host", flags->host,
                      "the server's host name (default: the default server)");
  command->add_option("--lang", flags->lang,
                      "read the file as this format (nginx)");
  command
      ->add_option("--upstream-status", flags->upstream_status,
                   "the status an upstream or application answers with")
      ->capture_default_str();
  command->add_option("--upstream-header", flags->upstream_headers,
                      "a header an upstream or application adds, "
                      "'Name: value' (repeatable)");
  return command;
}

int RunSimulate(const SimulateFlags& flags, std::ostream& out,
                std::ostream& err) {
  // Options first: nothing is read before they make sense.
  SimulateInput input;
  input.page_origin = flags.origin;
  if (!IsSerializedOrigin(flags.origin)) {
    return Usage(err,
                 "--origin \"" + flags.origin +
                     "\" is not an origin as browsers send it",
                 "write scheme://host[:port] in lower case, without a path, "
                 "e.g. https://app.example.com");
  }
  if (!flags.path.starts_with("/")) {
    return Usage(err, "--path \"" + flags.path + "\" must start with \"/\"");
  }
  input.path = flags.path;
  input.host = flags.host;
  if (!IsToken(flags.method)) {
    return Usage(err, "--method \"" + flags.method + "\" is not a method name");
  }
  input.method = flags.method;
  std::optional<CredentialsMode> credentials =
      ParseCredentialsMode(flags.credentials);
  if (!credentials) {
    return Usage(err,
                 "--credentials takes omit, same-origin or include, not \"" +
                     flags.credentials + "\"");
  }
  input.credentials = *credentials;
  if (flags.format != "text" && flags.format != "json") {
    return Usage(err,
                 "--format takes text or json, not \"" + flags.format + "\"");
  }
  if (flags.upstream_status < 100 || flags.upstream_status > 599) {
    return Usage(err, "--upstream-status " +
                          std::to_string(flags.upstream_status) +
                          " is not an HTTP status");
  }
  input.upstream_status = flags.upstream_status;
  if (!ParseHeaderOptions(flags.headers, "--header", &input.headers, err) ||
      !ParseHeaderOptions(flags.upstream_headers, "--upstream-header",
                          &input.upstream_headers, err)) {
    return kExitUsage;
  }

  // The document: a policy file, or any format corslint reads.
  std::string text, read_error;
  if (!ReadSourceFile(flags.file, 256u << 20, &text, &read_error)) {
    err << "corslint: error: cannot read \"" << flags.file
        << "\": " << read_error << "\n";
    return kExitInputError;
  }
  std::unique_ptr<Document> document;
  if (flags.lang.empty() && LooksLikePolicyFile(flags.file, text)) {
    std::vector<SpecProblem> problems;
    std::optional<PolicySpec> spec =
        ReadPolicySpec(flags.file, text, &problems);
    if (!spec) {
      PrintSpecProblems(problems, err);
      return kExitInputError;
    }
    document = PolicyDocument(*spec, flags.file);
  } else {
    std::optional<Format> format;
    if (!flags.lang.empty()) {
      format = ParseFormat(flags.lang);
      if (!format) {
        return Usage(err, "unknown language \"" + flags.lang + "\" (expected " +
                              std::string(FormatNames()) + ")");
      }
    } else {
      format = DetectFormat(flags.file, text);
    }
    if (!format) {
      return Usage(err, "cannot tell the format of \"" + flags.file + "\"",
                   "name it with --lang (" + std::string(FormatNames()) +
                       "), or give a policy file (.yaml, .json)");
    }
    document = LoadDocument(*format, flags.file, std::move(text), {});
    if (!document->errors.empty()) {
      for (const InputError& error : document->errors) {
        err << error.where.file;
        if (error.where.line > 0) {
          err << ":" << error.where.line << ":" << error.where.column;
        }
        err << ": error: " << error.message << "\n";
      }
      return kExitInputError;
    }
  }

  std::string error;
  std::optional<Simulation> simulation = Simulate(*document, input, &error);
  if (!simulation) {
    err << "corslint: error: " << error << "\n";
    return kExitInputError;
  }
  if (flags.format == "json") {
    PrintSimulationJson(*simulation, out);
  } else {
    PrintSimulationText(*simulation, out);
  }
  bool always =
      simulation->allowed && !simulation->depends_on_earlier_requests();
  return always ? kExitAllowed : kExitRefused;
}

}  // namespace corslint
