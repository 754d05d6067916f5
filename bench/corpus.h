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

// Writes `count` Apache httpd virtual-host files into `dir`: several
// VirtualHosts each, `SetEnvIf Origin` allowlists, `Header always` and
// `onsuccess` tables, rewrite preflight answers, proxied and static
// Locations. Returns the total number of bytes written.
size_t WriteApacheCorpus(const std::string& dir, size_t count);

}  // namespace corslint::bench
