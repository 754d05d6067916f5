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
  'fixture-partner': 'https://partner.test',
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

// Requests against reference.conf, whose locations reproduce the vectors
// and open points of the browser reference. All come from
// https://app.example.com.
const A = ['X-A', '1'];
export const REFERENCE_REQUESTS = [
  // Access-Control-Allow-Origin values, including ones whose error code
  // the reference leaves to the browser (one slash, host:port, no
  // slashes).
  ...['slash', 'upper', 'list', 'twice', 'null', 'dash', 'default-port',
      'one-slash', 'host-port', 'no-slashes'].map((name) => ({
    path: `/acao/${name}`, method: 'GET', credentials: 'omit',
  })),
  { path: '/acao/star-with-credentials', method: 'GET',
    credentials: 'include' },
  { path: '/acao/star-with-credentials', method: 'GET', credentials: 'omit' },
  { path: '/acac/upper', method: 'GET', credentials: 'include' },

  // `*` in Allow-Methods and Allow-Headers, with and without credentials.
  { path: '/preflight/stars', method: 'PUT', credentials: 'include',
    headers: [['X-Test', '1']] },
  { path: '/preflight/stars', method: 'GET', credentials: 'include',
    headers: [['X-Test', '1']] },
  // A header literally named `*` (nginx refuses a method named `*` with
  // 400 before reading its configuration, so the method stays GET).
  { path: '/preflight/stars', method: 'GET', credentials: 'include',
    headers: [['*', '1']] },
  { path: '/preflight/stars', method: 'POST', credentials: 'omit',
    headers: [['Authorization', '123']] },
  { path: '/preflight/stars', method: 'SUPER', credentials: 'omit',
    headers: [['X-Test', '1']] },

  // Methods compare case-sensitively; only the standard six are
  // upper-cased by fetch().
  { path: '/preflight/lower-put', method: 'put', credentials: 'omit' },
  { path: '/preflight/upper-patch', method: 'patch', credentials: 'omit' },
  { path: '/preflight/upper-patch', method: 'PATCH', credentials: 'omit' },

  // List syntax.
  { path: '/preflight/bad-headers', method: 'GET', credentials: 'omit',
    headers: [A] },
  { path: '/preflight/bad-methods', method: 'GET', credentials: 'omit',
    headers: [A] },
  { path: '/preflight/empty-items', method: 'GET', credentials: 'omit',
    headers: [['X-Print', '1'], ['Y-Print', '1']] },
  { path: '/preflight/empty-items', method: 'PUT', credentials: 'omit' },
  { path: '/preflight/two-lines', method: 'DELETE', credentials: 'omit' },

  // Which request headers need a preflight, and which one is named when
  // several are refused.
  { path: '/preflight/only-x-a', method: 'GET', credentials: 'omit',
    headers: [['X-C', '1'], ['X-B', '1']] },
  { path: '/preflight/only-x-a', method: 'GET', credentials: 'omit',
    headers: [['Range', 'BYTES=0-']] },
  { path: '/preflight/only-x-a', method: 'GET', credentials: 'omit',
    headers: [['Range', 'bytes=-200']] },
  { path: '/preflight/only-x-a', method: 'GET', credentials: 'omit',
    headers: [['DPR', '2.0']] },
  { path: '/preflight/only-x-a', method: 'GET', credentials: 'omit',
    headers: [['DPR', '']] },
  { path: '/preflight/only-x-a', method: 'POST', credentials: 'omit',
    headers: [['Content-Type', 'text/plain;garbage']] },
  { path: '/preflight/only-x-a', method: 'POST', credentials: 'omit',
    headers: [['Content-Type', 'text /plain']] },
  { path: '/preflight/only-x-a', method: 'GET', credentials: 'omit',
    headers: [['Accept-Language', '@']] },
  { path: '/preflight/only-x-a', method: 'GET', credentials: 'omit',
    headers: [['Accept', 'a'.repeat(129)]] },

  // Preflight status and redirects.
  { path: '/preflight/status-404', method: 'PUT', credentials: 'omit' },
  { path: '/preflight/redirect', method: 'PUT', credentials: 'omit' },

  // Exposed headers.
  { path: '/expose/star', method: 'GET', credentials: 'include' },
  { path: '/expose/star', method: 'GET', credentials: 'omit' },
  { path: '/expose/invalid', method: 'GET', credentials: 'omit' },
  { path: '/expose/empty-items', method: 'GET', credentials: 'omit' },
].map((request) => ({ origin: 'fixture-app', ...request }));

// Requests run against every Express and Flask rule fixture: those of the
// configuration fixtures, plus a partner origin and a preflight from the
// attacker. All go to the fixtures' route, /api/items, or to /api/missing,
// which no route serves (`unrouted`: the 404 comes from the framework, not
// from the application's code).
export const APP_FIXTURE_REQUESTS = [
  ...FIXTURE_REQUESTS,
  { origin: 'fixture-partner', method: 'GET', credentials: 'omit' },
  { origin: 'fixture-attacker', method: 'PUT', credentials: 'omit',
    headers: [['Content-Type', 'application/json']] },
].map(({ missing, ...request }) => ({
  ...request,
  path: missing ? '/api/missing' : '/api/items',
  upstreamStatus: missing ? 404 : undefined,
  unrouted: missing,
}));

// Successive requests, in this order, to a fixture whose origin check is
// a RegExp with the g or y flag. `regexState` is where its lastIndex
// stands when the request arrives: `fresh` at the start (0), or
// `after_match` right behind the match of the request before; the
// simulation must say that these depend on earlier requests. The
// attacker's request is refused in any state (the simulation must say so
// plainly) and fails the test, which puts lastIndex back to 0. Only simple
// requests: a preflight would move lastIndex too.
export const STATEFUL_REQUESTS = [
  { origin: 'fixture-app', credentials: 'omit', regexState: 'fresh' },
  { origin: 'fixture-app', credentials: 'omit', regexState: 'after_match' },
  { origin: 'fixture-app', credentials: 'same-origin', regexState: 'fresh' },
  { origin: 'fixture-app', credentials: 'same-origin',
    regexState: 'after_match' },
  { origin: 'fixture-attacker', credentials: 'omit' },
  { origin: 'fixture-app', credentials: 'omit', regexState: 'fresh' },
  { origin: 'fixture-app', credentials: 'omit', regexState: 'after_match' },
].map((request) => ({ ...request, method: 'GET', path: '/api/items' }));
