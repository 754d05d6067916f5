// The fixes of `corslint check --fix` in the browser: each pair is a case
// of fixtures/fixes and its `.fixed` form, served by the real server, with
// requests whose outcome the fix changes. Chromium must refuse (or leak)
// on the broken configuration and behave as intended on the fixed one,
// and `corslint simulate` must agree with it on both.
//
// `before` and `after` say whether Chromium lets the page read the
// response. `upstreamStatus` tells `corslint simulate` what the handler
// answers where it is not 200 (a missing file). Fixes that change nothing a page can see (Vary: Origin, the
// Max-Age cap, a `*` that credentials make meaningless, an upstream's
// duplicate that the suite's upstream does not send) are not listed.

const GET = (origin, credentials, extra = {}) => ({
  origin, method: 'GET', credentials, ...extra,
});

export const FIX_PAIRS = [
  {
    file: 'nginx/cors-headers-missing-on-errors/proxied-api.conf',
    requests: [
      { ...GET('fixture-app', 'include', { path: '/api/missing',
                                           upstreamStatus: 404 }),
        before: false, after: true },
      { ...GET('fixture-app', 'include', { path: '/api/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'nginx/inherited-headers-dropped/location-cache-control.conf',
    requests: [
      { ...GET('fixture-app', 'omit', { path: '/downloads/items',
                                        upstreamStatus: 404 }),
        before: false, after: true },
    ],
  },
  {
    file: 'nginx/invalid-credentials-value/capitalised.conf',
    requests: [
      { ...GET('fixture-app', 'include', { path: '/items' }),
        before: false, after: true },
    ],
  },
  {
    file: 'nginx/permissive-origin-pattern/unanchored-map-key.conf',
    requests: [
      { ...GET('fixture-appended', 'include', { path: '/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'include', { path: '/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'nginx/null-origin-allowed/map-entry.conf',
    requests: [
      { ...GET('fixture-null', 'omit', { path: '/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'omit', { path: '/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'nginx/insecure-origin-allowed/optional-https.conf',
    requests: [
      { ...GET('fixture-insecure', 'omit', { path: '/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'omit', { path: '/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'nginx/reflected-origin/site.conf',
    requests: [
      { ...GET('fixture-attacker', 'include', { path: '/api/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'include', { path: '/api/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'nginx/untrusted-origin-allowed/wildcard.conf',
    requests: [
      { ...GET('fixture-attacker', 'omit', { path: '/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'omit', { path: '/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'nginx/preflight-not-handled/static-put.conf',
    requests: [
      { origin: 'fixture-app', method: 'PUT', credentials: 'omit',
        path: '/items', headers: [['X-Token', '1']],
        before: false, after: true },
    ],
  },
  {
    file: 'apache/cors-headers-missing-on-errors/onsuccess-static.conf',
    requests: [
      { ...GET('fixture-app', 'include', { path: '/missing.html',
                                           upstreamStatus: 404 }),
        before: false, after: true },
    ],
  },
  {
    file: 'apache/invalid-credentials-value/capitalised.conf',
    requests: [
      { ...GET('fixture-app', 'include', { path: '/items' }),
        before: false, after: true },
    ],
  },
  {
    file: 'apache/permissive-origin-pattern/literal-substring.conf',
    requests: [
      { ...GET('fixture-appended', 'omit', { path: '/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'omit', { path: '/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'apache/null-origin-allowed/null-in-allowlist.conf',
    requests: [
      { ...GET('fixture-null', 'include', { path: '/items' }),
        before: true, after: false },
    ],
  },
  {
    file: 'apache/insecure-origin-allowed/optional-https.conf',
    requests: [
      { ...GET('fixture-insecure', 'include', { path: '/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'include', { path: '/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'apache/reflected-origin/expr-echo.conf',
    requests: [
      { ...GET('fixture-attacker', 'include', { path: '/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'include', { path: '/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'apache/untrusted-origin-allowed/partner-not-trusted.conf',
    requests: [
      { ...GET('fixture-partner', 'omit', { path: '/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'omit', { path: '/items' }),
        before: true, after: true },
    ],
  },
];

// The same for Express and Flask apps: each is a case of
// fixtures/fixes/express or fixtures/fixes/flask and its `.fixed` form,
// run by the real library like the app fixtures; paths are the apps' own
// routes.
export const CODE_FIX_PAIRS = [
  {
    file: 'express/invalid-credentials-value/capital-true.js',
    requests: [
      { ...GET('fixture-app', 'include', { path: '/api/items' }),
        before: false, after: true },
    ],
  },
  {
    file: 'express/reflected-origin/origin-true.js',
    requests: [
      { ...GET('fixture-attacker', 'include', { path: '/api/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'include', { path: '/api/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'express/untrusted-origin-allowed/star.ts',
    requests: [
      { ...GET('fixture-attacker', 'omit', { path: '/api/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'omit', { path: '/api/items' }),
        before: true, after: true },
    ],
  },
  {
    file: 'flask/invalid-credentials-value/python-true.py',
    requests: [
      { ...GET('fixture-app', 'include', { path: '/api/items' }),
        before: false, after: true },
    ],
  },
  {
    file: 'flask/reflected-origin/default-origins-with-credentials.py',
    requests: [
      { ...GET('fixture-attacker', 'include', { path: '/api/items' }),
        before: true, after: false },
      { ...GET('fixture-app', 'include', { path: '/api/items' }),
        before: true, after: true },
    ],
  },
];
