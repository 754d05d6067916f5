// Server code for a CORS policy, one emitter per target. Each returns the
// text of a file that the target's own program accepts as it is (nginx -t,
// apache2ctl -t, node, python) and that answers exactly as the policy
// asks: an exact-match allowlist, `Vary: Origin` whenever the answer
// depends on the Origin header, the headers on every response including
// errors, and a complete answer to preflights. Every block carries a short
// comment saying why it is there. The spec must have passed CheckSpec.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fixers/policy_spec.h"

namespace corslint {

enum class Target { kNginx, kApache, kExpress, kFlask };

std::optional<Target> ParseTarget(std::string_view name);
std::string_view TargetName(Target target);

// An nginx site file: `map` blocks for the http level and a `server` whose
// `location /` carries the headers and answers preflights.
std::string EmitNginx(const PolicySpec& spec);

// httpd directives for a <VirtualHost> or the server config, using
// mod_setenvif, mod_headers and mod_rewrite.
std::string EmitApache(const PolicySpec& spec);

// A CommonJS module that creates an Express app with the `cors` middleware
// mounted first and exports it; routes are added after it.
std::string EmitExpress(const PolicySpec& spec);

// A Python module that creates a Flask app with flask-cors.
std::string EmitFlask(const PolicySpec& spec);

std::string Emit(Target target, const PolicySpec& spec);

// The policy in a few comment lines, each starting with `prefix` (`# `,
// `// `), ending in a newline.
std::string DescribePolicy(const PolicySpec& spec, std::string_view prefix,
                           Target target);

}  // namespace corslint
