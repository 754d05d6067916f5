// Generated corpora of realistic configurations for the benchmark.
#pragma once

#include <cstddef>
#include <string>

namespace corslint::bench {

// Writes `count` nginx site files into `dir`: several servers each, with
// `map` allowlists, preflight branches, proxied and static locations and
// comments, in a fixed pseudo-random mix (the same for the same count).
// Returns the total number of bytes written.
size_t WriteNginxCorpus(const std::string& dir, size_t count);

// Writes `count` Express services into `dir`, one in five in TypeScript:
// cors options with allowlists and origin callbacks, mount paths, manual
// header middleware and a dozen routes whose handlers do ordinary work.
// Returns the total number of bytes written.
size_t WriteExpressCorpus(const std::string& dir, size_t count);

// Writes `count` Flask applications into `dir`: flask-cors with resources,
// config keys and decorators, after_request hooks, blueprints and a dozen
// views whose bodies do ordinary work. Returns the bytes written.
size_t WriteFlaskCorpus(const std::string& dir, size_t count);

// Writes `count` Apache httpd virtual-host files into `dir`: several
// VirtualHosts each, `SetEnvIf Origin` allowlists, `Header always` and
// `onsuccess` tables, rewrite preflight answers, proxied and static
// Locations. Returns the total number of bytes written.
size_t WriteApacheCorpus(const std::string& dir, size_t count);

}  // namespace corslint::bench
