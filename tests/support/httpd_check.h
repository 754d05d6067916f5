// Runs Debian's Apache httpd on generated directives: `apache2 -t` on a
// minimal server whose only virtual host holds them.
#pragma once

#include <string>

namespace corslint::testing {

// A whole httpd configuration with ServerRoot `root`, listening on
// 127.0.0.1:`port`, that loads the modules CORS directives need (headers,
// setenvif, rewrite) and puts `directives` in its virtual host. The
// document root is `root`/htdocs.
std::string HttpdConfig(const std::string& root, int port,
                        const std::string& directives);

// Whether `apache2 -t` accepts `directives` in that configuration;
// `output` receives what httpd printed.
bool HttpdAccepts(const std::string& directives, std::string* output);

}  // namespace corslint::testing
