// The scenarios of the browser suite. A group is one configuration on one
// server; each of its scenarios is one fetch() from a page origin. The
// expected outcome is never written here: it comes from `corslint
// simulate` on the same input, and the browser must agree with it.

// Page origins, all served by the suite's page server on loopback.
export const ORIGINS = {
  app: 'http://app.example.test',
  admin: 'http://admin.example.test',
  evil: 'http://evil.example.test',
  // Looks like `app` but is another site.
  lookalike: 'http://app-example.example.test',
};

// Policies given to `corslint generate`; every target is generated from
// each and served by the real program.
export const POLICIES = {
  credentialed: [
    'origins:',
    `  - ${ORIGINS.app}`,
    `  - ${ORIGINS.admin}`,
    'methods: [GET, PUT, DELETE]',
    'allow_headers: [X-Request-Id, Content-Type]',
    'expose_headers: [X-Total-Count]',
    'max_age: 600',
    'credentials: true',
    '',
  ].join('\n'),
  public: [
    'origins: "*"',
    'methods: [GET, POST, PATCH]',
    'allow_headers: ["*"]',
    'expose_headers: [X-Total-Count]',
    '',
  ].join('\n'),
  minimal: [
    'origins:',
    `  - ${ORIGINS.app}`,
    '',
  ].join('\n'),
};

// One request each; together they cross every part of the policies:
// listed and unlisted origins, simple and preflighted methods, allowed,
// unlisted and wildcard-covered headers, the three credentials modes.
const JSON_TYPE = ['Content-Type', 'application/json'];
export const POLICY_REQUESTS = [
  { origin: 'app', method: 'GET', credentials: 'same-origin' },
  { origin: 'app', method: 'GET', credentials: 'include' },
  { origin: 'evil', method: 'GET', credentials: 'same-origin' },
  { origin: 'evil', method: 'GET', credentials: 'include' },
  { origin: 'lookalike', method: 'GET', credentials: 'omit' },
  { origin: 'app', method: 'HEAD', credentials: 'include' },
  { origin: 'app', method: 'POST', credentials: 'include',
    headers: [['Content-Type', 'text/plain']] },
  { origin: 'app', method: 'POST', credentials: 'omit', headers: [JSON_TYPE] },
  { origin: 'app', method: 'PUT', credentials: 'include' },
  { origin: 'app', method: 'PUT', credentials: 'include',
    headers: [['X-Request-Id', '42']] },
  { origin: 'app', method: 'PUT', credentials: 'include',
    headers: [['X-Request-Id', '42'], JSON_TYPE] },
  { origin: 'app', method: 'PUT', credentials: 'same-origin',
    headers: [['X-Other', '1']] },
  { origin: 'admin', method: 'DELETE', credentials: 'include' },
  { origin: 'admin', method: 'PUT', credentials: 'omit' },
  { origin: 'app', method: 'PATCH', credentials: 'include' },
  { origin: 'admin', method: 'PATCH', credentials: 'omit',
    headers: [['X-Request-Id', '7']] },
  { origin: 'evil', method: 'GET', credentials: 'same-origin',
    headers: [['X-Request-Id', '1']] },
  { origin: 'app', method: 'GET', credentials: 'same-origin',
    headers: [['Authorization', 'Bearer x']] },
];

// Page origins of the rule fixtures, which name https origins; the pages
// are served over TLS (a certificate made for the run) on loopback.
export const FIXTURE_ORIGINS = {
  'fixture-app': 'https://app.example.com',
  'fixture-admin': 'https://admin.example.com',
  'fixture-attacker': 'https://attacker.test',
  'fixture-appended': 'https://app.example.com.attacker.test',
  'fixture-insecure': 'http://app.example.com',
  // A sandboxed iframe in an app.example.com page: an opaque origin, sent
  // as `null`.
  'fixture-null': 'null',
};

// Requests run against every rule fixture. `missing` asks for a path that
// neither the static files nor the upstream have, so both answer 404 and
// the simulation is told so with --upstream-status.
export const FIXTURE_REQUESTS = [
  { origin: 'fixture-app', method: 'GET', credentials: 'same-origin' },
  { origin: 'fixture-app', method: 'GET', credentials: 'include' },
  { origin: 'fixture-app', method: 'PUT', credentials: 'include',
    headers: [['Content-Type', 'application/json']] },
  { origin: 'fixture-attacker', method: 'GET', credentials: 'include' },
  { origin: 'fixture-appended', method: 'GET', credentials: 'omit' },
  { origin: 'fixture-app', method: 'GET', credentials: 'omit',
    headers: [['Authorization', 'Bearer x']] },
  { origin: 'fixture-admin', method: 'DELETE', credentials: 'same-origin' },
  { origin: 'fixture-insecure', method: 'GET', credentials: 'include' },
  { origin: 'fixture-app', method: 'POST', credentials: 'include',
    headers: [['X-Requested-With', 'fetch']] },
  { origin: 'fixture-app', method: 'GET', credentials: 'same-origin',
    missing: true },
  { origin: 'fixture-null', method: 'GET', credentials: 'include' },
  { origin: 'fixture-null', method: 'GET', credentials: 'same-origin' },
];
