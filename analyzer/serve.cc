#include "analyzer/serve.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analyzer/check.h"
#include "analyzer/config.h"
#include "analyzer/formats.h"
#include "analyzer/output.h"
#include "analyzer/rule.h"
#include "analyzer/rule_docs.h"
#include "analyzer/simulate_command.h"
#include "analyzer/web_assets.h"
#include "fixers/fix_loop.h"
#include "fixers/generate.h"
#include "fixers/policy_spec.h"

namespace corslint {

namespace {

using nlohmann::json;

constexpr int kExitInputError = 2;

// A bad request: the API's only way to refuse input.
struct ApiError {
  int status;
  std::string message;
};

ApiReply Reply(int status, const json& body) { return {status, body.dump()}; }

ApiReply ErrorReply(int status, const std::string& message) {
  return Reply(status, json{{"error", message}});
}

// Checks that `body` names only `fields`, each with its JSON type.
void CheckFields(
    const json& body,
    const std::vector<std::pair<std::string, json::value_t>>& fields) {
  if (!body.is_object()) throw ApiError{400, "the body must be a JSON object"};
  for (const auto& [key, value] : body.items()) {
    auto field = std::find_if(fields.begin(), fields.end(),
                              [&](const auto& f) { return f.first == key; });
    if (field == fields.end()) {
      throw ApiError{400, "unknown field \"" + key + "\""};
    }
    json::value_t type = value.type();
    bool number =
        field->second == json::value_t::number_integer &&
        (type == json::value_t::number_unsigned || type == json::value_t::null);
    if (type != field->second && !number) {
      throw ApiError{400, "field \"" + key + "\" has the wrong type"};
    }
  }
}

std::vector<std::string> StringList(const json& body, const std::string& key) {
  std::vector<std::string> items;
  if (!body.contains(key)) return items;
  for (const json& item : body[key]) {
    if (!item.is_string()) {
      throw ApiError{400, "field \"" + key + "\" must list strings"};
    }
    items.push_back(item.get<std::string>());
  }
  return items;
}

std::string String(const json& body, const std::string& key,
                   const std::string& fallback = "") {
  return body.contains(key) ? body[key].get<std::string>() : fallback;
}

const std::vector<std::pair<std::string, json::value_t>> kPolicyFields = {
    {"origins", json::value_t::array},
    {"any_origin", json::value_t::boolean},
    {"methods", json::value_t::array},
    {"allow_headers", json::value_t::array},
    {"expose_headers", json::value_t::array},
    {"max_age", json::value_t::number_integer},
    {"credentials", json::value_t::boolean},
};

// The flags `corslint generate` would get for the policy in `body`.
GenerateFlags PolicyFlags(const json& body) {
  GenerateFlags flags;
  flags.origins = StringList(body, "origins");
  flags.allow_any_origin = body.value("any_origin", false);
  flags.methods = StringList(body, "methods");
  flags.allow_headers = StringList(body, "allow_headers");
  flags.expose_headers = StringList(body, "expose_headers");
  if (body.contains("max_age") && !body["max_age"].is_null()) {
    flags.max_age = body["max_age"].get<long long>();
  }
  flags.credentials = body.value("credentials", false);
  return flags;
}

// The problems of a policy as the page shows them, or an empty array.
json PolicyProblems(const GenerateFlags& flags) {
  PolicySpec spec;
  spec.origins = flags.origins;
  spec.any_origin = flags.allow_any_origin;
  if (!flags.methods.empty()) spec.methods = SplitOptionList(flags.methods);
  spec.allow_headers = SplitOptionList(flags.allow_headers);
  spec.expose_headers = SplitOptionList(flags.expose_headers);
  spec.credentials = flags.credentials;
  std::vector<SpecProblem> problems;
  if (flags.max_age) {
    if (std::optional<SpecProblem> problem = CheckMaxAgeValue(*flags.max_age)) {
      problem->option = "--max-age";
      problems.push_back(*problem);
    }
  }
  if (problems.empty()) problems = CheckSpec(&spec);
  json list = json::array();
  for (const SpecProblem& problem : problems) {
    list.push_back({{"option", problem.option},
                    {"message", problem.message},
                    {"help", problem.help}});
  }
  return list;
}

// A private directory, removed with everything in it when destroyed.
class PrivateDir {
 public:
  PrivateDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "corslint-serve-XXXXXX")
            .string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw ApiError{500, "cannot make a private temporary directory"};
    }
    path_ = pattern;
  }
  ~PrivateDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  PrivateDir(const PrivateDir&) = delete;
  PrivateDir& operator=(const PrivateDir&) = delete;

  const std::string& path() const { return path_; }

  // Writes `text` to a new file `name` readable by its owner only.
  std::string Write(const std::string& name, const std::string& text) {
    std::filesystem::path file = std::filesystem::path(path_) / name;
    std::ofstream out(file, std::ios::binary);
    out << text;
    if (!out) throw ApiError{500, "cannot write the private temporary file"};
    return file.string();
  }

 private:
  std::string path_;
};

ApiReply Generate(const json& body) {
  CheckFields(body, kPolicyFields);
  GenerateFlags flags = PolicyFlags(body);
  json problems = PolicyProblems(flags);
  if (!problems.empty()) {
    return Reply(
        422, json{{"error", problems[0]["message"]}, {"problems", problems}});
  }

  json code = json::object();
  std::string warnings;
  for (const char* target : {"express", "nginx", "apache", "flask"}) {
    flags.target = target;
    std::ostringstream out;
    std::ostringstream err;
    if (RunGenerate(flags, out, err) != 0) {
      return ErrorReply(422, err.str());
    }
    code[target] = out.str();
    warnings = err.str();
  }
  return Reply(200, json{{"code", code}, {"warnings", warnings}});
}

ApiReply Simulate(const json& body) {
  CheckFields(body, {{"policy", json::value_t::object},
                     {"origin", json::value_t::string},
                     {"path", json::value_t::string},
                     {"method", json::value_t::string},
                     {"headers", json::value_t::array},
                     {"credentials", json::value_t::string}});
  if (!body.contains("policy")) {
    throw ApiError{400, "field \"policy\" is missing"};
  }
  CheckFields(body["policy"], kPolicyFields);
  json problems = PolicyProblems(PolicyFlags(body["policy"]));
  if (!problems.empty()) {
    return Reply(
        422, json{{"error", problems[0]["message"]}, {"problems", problems}});
  }

  // `corslint simulate` reads policies from files; this one lives only in
  // a private directory for the length of the call.
  PrivateDir dir;
  json policy = body["policy"];
  if (policy.value("any_origin", false)) {
    policy["origins"] = "*";
  }
  policy.erase("any_origin");
  if (policy.contains("max_age") && policy["max_age"].is_null()) {
    policy.erase("max_age");
  }
  SimulateFlags flags;
  flags.file = dir.Write("policy.json", policy.dump());
  flags.origin = String(body, "origin");
  flags.path = String(body, "path", "/");
  flags.method = String(body, "method", "GET");
  flags.headers = StringList(body, "headers");
  flags.credentials = String(body, "credentials", "same-origin");

  std::ostringstream text;
  std::ostringstream err;
  int code = RunSimulate(flags, text, err);
  if (code >= kExitInputError) return ErrorReply(422, err.str());
  flags.format = "json";
  std::ostringstream out;
  RunSimulate(flags, out, err);
  json result = json::parse(out.str(), nullptr, false);
  return Reply(
      200,
      json{{"allowed", code == 0}, {"text", text.str()}, {"result", result}});
}

// The paste with the fixes a `corslint check --fix` run would apply
// (with `unsafe`, `--fix --unsafe-fixes`), as RunFixLoop computes them
// for the command line: `text` is what the command would write, or null
// with `error` when the fixes would break the paste and nothing would be
// written.
json CorrectedText(const std::string& path, const std::string& text,
                   const CheckOptions& options, bool unsafe) {
  FixLoopOptions fix_options;
  fix_options.unsafe = unsafe;
  FixLoopResult loop = RunFixLoop({path}, options, fix_options);
  json corrected = {{"applied", loop.applied},
                    {"remaining", loop.result.findings.size()},
                    {"settled", loop.settled}};
  if (!loop.broken.empty()) {
    const InputError& error = loop.broken.front();
    corrected["text"] = nullptr;
    corrected["error"] = "the fixes would make line " +
                         std::to_string(error.where.line) + " unreadable (" +
                         error.message + ")";
    return corrected;
  }
  corrected["text"] = loop.files.empty() ? text : loop.files.front().fixed;
  return corrected;
}

// How the paste is read: the language named, or for "auto" (or none) its
// content, since a paste has no file name.
PasteFormat ChoosePasteFormat(const std::string& lang,
                              const std::string& text) {
  if (lang != "auto" && !lang.empty()) {
    std::optional<PasteFormat> format = NamedPasteFormat(lang, text);
    if (!format) {
      throw ApiError{400, "unknown language \"" + lang + "\" (expected " +
                              std::string(FormatNames()) + ")"};
    }
    return *format;
  }
  std::optional<PasteFormat> format = DetectPasteFormat(text);
  if (!format) {
    throw ApiError{422, "cannot tell the format of this paste; choose " +
                            std::string(FormatNames())};
  }
  return *format;
}

// The options `corslint check --lang ... --trusted-origin ...` would run
// with, outside any configuration file.
CheckOptions PasteOptions(const json& body, Format format) {
  CheckOptions options;
  options.forced_format = format;
  options.jobs = 1;
  for (const std::string& origin : StringList(body, "trusted_origins")) {
    std::string error = TrustedOriginError(origin);
    if (!error.empty()) {
      throw ApiError{422,
                     "\"" + origin + "\" is not a trusted origin: " + error};
    }
    options.rule_options.trusted_origins.push_back(origin);
  }
  return options;
}

ApiReply Check(const json& body) {
  CheckFields(body, {{"lang", json::value_t::string},
                     {"text", json::value_t::string},
                     {"trusted_origins", json::value_t::array}});
  std::string text = String(body, "text");
  PasteFormat format = ChoosePasteFormat(String(body, "lang"), text);
  CheckOptions options = PasteOptions(body, format.format);

  // The pasted text is only read, from a private directory.
  PrivateDir dir;
  std::string path = dir.Write(format.file_name, text);
  CheckResult result = RunCheck({path}, options);
  std::ostringstream out;
  PrintJson(result, out);

  // Messages name the paste as the user knows it, never the directory.
  std::string shown = out.str();
  std::string prefix = dir.path() + "/";
  for (size_t at = shown.find(prefix); at != std::string::npos;
       at = shown.find(prefix, at)) {
    shown.erase(at, prefix.size());
  }
  json report = json::parse(shown, nullptr, false);
  report["format"] = std::string(FormatName(format.format));
  report["file"] = format.file_name;
  report["corrected"] = {{"safe", CorrectedText(path, text, options, false)},
                         {"unsafe", CorrectedText(path, text, options, true)}};
  return Reply(200, report);
}

// The rule pages the "How CORS works" section links to.
ApiReply Rules() {
  json rules = json::array();
  for (const RuleInfo* rule : AllRules()) {
    rules.push_back({{"name", rule->name},
                     {"severity", SeverityName(rule->default_severity)},
                     {"summary", rule->summary},
                     {"page", RulePage(*rule)}});
  }
  return Reply(200, json{{"rules", rules}});
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

}  // namespace

ApiReply HandleApi(const std::string& endpoint, const std::string& body) {
  try {
    if (endpoint == "rules") return Rules();
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
      return ErrorReply(400, "the body is not valid JSON");
    }
    if (endpoint == "generate") return Generate(parsed);
    if (endpoint == "simulate") return Simulate(parsed);
    if (endpoint == "check") return Check(parsed);
    return ErrorReply(404, "no API endpoint \"" + endpoint + "\"");
  } catch (const ApiError& error) {
    return ErrorReply(error.status, error.message);
  } catch (const json::exception& error) {
    return ErrorReply(400, "bad field value: " + std::string(error.what()));
  }
}

bool HostAllowed(const std::string& host_header, const std::string& host,
                 int port) {
  std::string suffix = ":" + std::to_string(port);
  if (!IsLoopback(host)) {
    bool ipv6 = host.find(':') != std::string::npos;
    return host_header == (ipv6 ? "[" + host + "]" : host) + suffix;
  }
  return host_header == "127.0.0.1" + suffix ||
         host_header == "localhost" + suffix || host_header == "[::1]" + suffix;
}

std::unique_ptr<httplib::Server> MakeServer(const std::string& host,
                                            const int* bound_port) {
  auto server = std::make_unique<httplib::Server>();
  server->set_payload_max_length(kMaxApiBody);

  // DNS rebinding: a foreign page whose name now resolves to loopback
  // still sends its own name as Host.
  server->set_pre_routing_handler(
      [host, bound_port](const httplib::Request& request,
                         httplib::Response& response) {
        if (HostAllowed(request.get_header_value("Host"), host, *bound_port)) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        response.status = 403;
        response.set_content(
            json{{"error", "the Host header does not name this server"}}.dump(),
            "application/json");
        return httplib::Server::HandlerResponse::Handled;
      });

  for (const WebAsset& asset : WebAssets()) {
    std::string route =
        asset.name == "index.html" ? "/" : "/" + std::string(asset.name);
    server->Get(
        route, [asset](const httplib::Request&, httplib::Response& response) {
          response.set_header("X-Content-Type-Options", "nosniff");
          response.set_header("Content-Security-Policy",
                              "default-src 'self'; frame-ancestors 'none'");
          response.set_content(std::string(asset.content),
                               std::string(asset.content_type));
        });
  }
  server->Get("/api/rules",
              [](const httplib::Request&, httplib::Response& response) {
                ApiReply reply = HandleApi("rules", "");
                response.status = reply.status;
                response.set_content(reply.body, "application/json");
              });
  server->Post(R"(/api/(\w+))", [](const httplib::Request& request,
                                   httplib::Response& response) {
    ApiReply reply = HandleApi(request.matches[1], request.body);
    response.status = reply.status;
    response.set_content(reply.body, "application/json");
  });

  // httplib answers oversized bodies and unknown routes with no body.
  server->set_error_handler([](const httplib::Request&,
                               httplib::Response& response) {
    if (!response.body.empty()) return;
    std::string message = response.status == 413
                              ? "the body is larger than " +
                                    std::to_string(kMaxApiBody) + " bytes"
                              : "no such page";
    response.set_content(json{{"error", message}}.dump(), "application/json");
  });
  return server;
}

CLI::App* AddServeCommand(CLI::App& app, ServeFlags* flags) {
  CLI::App* command = app.add_subcommand(
      "serve", "serve the CORS builder, simulator and checker page locally");
  command->add_option("--port", flags->port, "the port to listen on")
      ->capture_default_str();
  command
      ->add_option("--host", flags->host,
                   "the address to bind (default: loopback only)")
      ->capture_default_str();
  return command;
}

int RunServe(const ServeFlags& flags, std::ostream& out, std::ostream& err) {
  int port = flags.port;
  std::unique_ptr<httplib::Server> server = MakeServer(flags.host, &port);
  if (port == 0) {
    port = server->bind_to_any_port(flags.host);
  } else if (!server->bind_to_port(flags.host, port)) {
    port = -1;
  }
  if (port < 0) {
    err << "corslint: error: cannot listen on " << flags.host << ":"
        << flags.port << "\n";
    return kExitInputError;
  }
  std::string shown = flags.host.find(':') != std::string::npos
                          ? "[" + flags.host + "]"
                          : flags.host;
  out << "corslint: serving on http://" << shown << ":" << port << "/"
      << std::endl;
  server->listen_after_bind();
  return 0;
}

}  // namespace corslint
