// The real-browser conformance suite. Starts real servers on loopback and
// one headless Chromium, runs every scenario as a fetch() from a real page,
// records what Chromium allowed, refused (CDP corsErrorStatus) and exposed,
// and compares it with `corslint simulate` on the same input. Any
// disagreement fails the suite.
//
//   node tests/browser/run.mjs --corslint PATH [--only SUBSTRING]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import {
  APP_FIXTURE_REQUESTS, FIXTURE_ORIGINS, FIXTURE_REQUESTS, ORIGINS, POLICIES,
  POLICY_REQUESTS, REFERENCE_REQUESTS, STATEFUL_REQUESTS,
} from './scenarios.mjs';
import * as fixPairs from './fix_pairs.mjs';
import {
  UPSTREAM_HEADERS, startApache, startApp, startExpress, startFlask,
  startNginx, startPageServer, startTlsPageServer, startUpstream, tempDir,
} from './servers.mjs';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const FIXTURES = path.resolve(HERE, '..', '..', 'fixtures');
const ALL_ORIGINS = { ...ORIGINS, ...FIXTURE_ORIGINS };
const require = createRequire(path.join(HERE, 'package.json'));

// Groups run at the same time, each against its own server; the suite
// mostly waits for the network, so this divides its time.
const PARALLEL_GROUPS = 3;

const SAFELISTED_RESPONSE = new Set([
  'cache-control', 'content-language', 'content-length', 'content-type',
  'expires', 'last-modified', 'pragma',
]);

function parseArgs(argv) {
  const args = { corslint: '', only: '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--corslint') args.corslint = argv[++i];
    else if (argv[i] === '--only') args.only = argv[++i];
    else throw new Error(`unknown argument "${argv[i]}"`);
  }
  if (!args.corslint) throw new Error('--corslint PATH is required');
  return args;
}

// Runs a program to its end; resolves to its status and output.
function runProgram(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => { stdout += data; });
    child.stderr.on('data', (data) => { stderr += data; });
    child.on('error', (error) => resolve({ status: -1, stdout,
                                           stderr: String(error) }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// `corslint simulate` on one scenario; its JSON, or a failure to report.
async function predict(corslint, group, scenario) {
  const args = ['simulate', group.file, '--origin',
                ALL_ORIGINS[scenario.origin],
                '--path', scenario.path, '--method', scenario.method,
                '--credentials', scenario.credentials, '--format', 'json'];
  for (const [name, value] of scenario.headers ?? []) {
    args.push('--header', `${name}: ${value}`);
  }
  for (const [name, value] of scenario.unrouted ? []
    : group.upstreamHeaders ?? []) {
    args.push('--upstream-header', `${name}: ${value}`);
  }
  if (scenario.upstreamStatus) {
    args.push('--upstream-status', String(scenario.upstreamStatus));
  }
  const run = await runProgram(corslint, args);
  if (run.status !== 0 && run.status !== 1) {
    return { error: `corslint simulate exited ${run.status}: ${run.stderr}` };
  }
  return { json: JSON.parse(run.stdout), command: `corslint ${args.join(' ')}` };
}

// Network events of one page, by request URL.
class Tracker {
  constructor(cdp) {
    this.requests = new Map();
    this.waiters = [];
    cdp.on('Network.requestWillBeSent', (event) => {
      this.requests.set(event.requestId, {
        url: event.request.url,
        method: event.request.method,
        preflight: event.initiator?.type === 'preflight',
        done: false,
      });
    });
    const finish = (event, failure) => {
      const request = this.requests.get(event.requestId);
      if (!request) return;
      request.done = true;
      request.failure = failure;
      const waiters = this.waiters;
      this.waiters = [];
      for (const waiter of waiters) waiter();
    };
    cdp.on('Network.loadingFinished', (event) => finish(event, null));
    cdp.on('Network.loadingFailed', (event) => finish(event, {
      errorText: event.errorText,
      corsError: event.corsErrorStatus?.corsError ?? null,
      failedParameter: event.corsErrorStatus?.failedParameter ?? '',
    }));
  }

  forUrl(url) {
    return [...this.requests.values()].filter((r) => r.url === url);
  }

  // Resolves once the page's own (non-preflight) request to `url` has
  // finished or failed.
  async settled(url) {
    const main = () => this.forUrl(url).find((r) => !r.preflight && r.done);
    while (!main()) {
      await new Promise((resolve) => this.waiters.push(resolve));
    }
    return main();
  }
}

let sentinels = 0;

async function runInBrowser(page, tracker, url, scenario, sentinel = true) {
  const result = await page.evaluate(async ({ url, method, headers,
                                              credentials }) => {
    try {
      const response = await fetch(url, {
        method, headers, credentials, cache: 'no-store',
      });
      await response.arrayBuffer();
      return { allowed: true, status: response.status,
               headers: [...response.headers.keys()] };
    } catch (error) {
      return { allowed: false, message: String(error) };
    }
  }, { url, method: scenario.method, headers: scenario.headers ?? [],
       credentials: scenario.credentials });
  const main = await tracker.settled(url);

  // DevTools may report the preflight after the request it belongs to
  // has failed. A second request through the same network service, made
  // and finished afterwards, comes after it. (Groups whose server keeps
  // state between requests go without: the second request would change
  // it.)
  if (sentinel) {
    const second = `${url.replace(/\?.*$/, '')}?sentinel=${++sentinels}`;
    await page.evaluate(async (target) => {
      try {
        await fetch(target, { mode: 'no-cors', cache: 'no-store' });
      } catch (error) {
        // Only its completion matters.
      }
    }, second);
    await tracker.settled(second);
  }
  result.preflightSent = tracker.forUrl(url).some((r) => r.preflight);
  result.corsError = main.failure?.corsError ?? null;
  result.failedParameter = main.failure?.failedParameter ?? '';
  result.errorText = main.failure?.errorText ?? '';
  return result;
}

// The prediction for one scenario. When the answer depends on earlier
// requests (a stateful RegExp), simulate must say so exactly where the
// scenario names the RegExp's state, and the alternative for that state is
// the prediction; elsewhere it must give one answer.
function choosePrediction(json, scenario) {
  const flagged = json.allowed === null;
  if (!scenario.regexState) {
    return flagged ? { error: 'corslint simulate says the answer depends ' +
                       'on earlier requests' } : { json };
  }
  if (!flagged) {
    return { error: 'corslint simulate does not say that the answer ' +
             'depends on earlier requests (a stateful RegExp)' };
  }
  if (scenario.regexState === 'after_match') {
    return { json: json.regex_state.after_match };
  }
  return { json: { ...json, allowed: json.regex_state.fresh_allowed } };
}

// The disagreements between a prediction and what Chromium did.
function compare(predicted, observed, group) {
  const differences = [];
  if (predicted.allowed !== observed.allowed) {
    differences.push(`allowed: corslint ${predicted.allowed}, chromium ` +
                     `${observed.allowed} (${observed.corsError ??
                     observed.errorText ?? observed.message})`);
    return differences;
  }
  if (predicted.preflight.sent !== observed.preflightSent) {
    differences.push(`preflight sent: corslint ${predicted.preflight.sent}, ` +
                     `chromium ${observed.preflightSent}`);
  }
  if (!predicted.allowed) {
    const code = predicted.reason.cors_error;
    if (code !== observed.corsError) {
      differences.push(`error: corslint ${code}, chromium ` +
                       `${observed.corsError} ${observed.errorText}`);
    } else if (predicted.reason.failed_parameter !==
               observed.failedParameter) {
      differences.push(`failed parameter: corslint ` +
                       `"${predicted.reason.failed_parameter}", chromium ` +
                       `"${observed.failedParameter}"`);
    }
    return differences;
  }

  // Readable headers: every non-safelisted header the prediction knows of.
  const names = new Set();
  for (const [name] of predicted.actual.response.headers) {
    names.add(name.toLowerCase());
  }
  for (const [name] of group.upstreamHeaders ?? []) {
    names.add(name.toLowerCase());
  }
  const readable = new Set(observed.headers);
  for (const name of names) {
    if (SAFELISTED_RESPONSE.has(name)) continue;
    const want = predicted.readable_headers.includes(name);
    if (want !== readable.has(name)) {
      differences.push(`header ${name} readable: corslint ${want}, ` +
                       `chromium ${readable.has(name)}`);
    }
  }
  if (!predicted.actual.response.assumed &&
      predicted.actual.response.status !== observed.status) {
    differences.push(`status: corslint ${predicted.actual.response.status}, ` +
                     `chromium ${observed.status}`);
  }
  return differences;
}

// The groups: each policy generated for each target and served by it.
function generatedGroups(corslint, work, upstreamPort) {
  const groups = [];
  for (const [policyName, policyText] of Object.entries(POLICIES)) {
    const policyFile = path.join(work, `${policyName}.yaml`);
    fs.writeFileSync(policyFile, policyText);
    for (const target of ['nginx', 'apache', 'express', 'flask']) {
      const run = spawnSync(corslint, ['generate', '--target', target,
                                       '--policy', policyFile],
                            { encoding: 'utf8' });
      if (run.status !== 0) {
        throw new Error(`corslint generate --target ${target} --policy ` +
                        `${policyName}.yaml failed: ${run.stderr}`);
      }
      const code = run.stdout;
      const extension = { nginx: 'conf', apache: 'conf', express: 'js',
                          flask: 'py' }[target];
      const codeFile = path.join(work, `${policyName}-${target}.${extension}`);
      fs.writeFileSync(codeFile, code);

      let start;
      if (target === 'nginx') {
        const site = code
          .replace('listen 80;', 'listen 127.0.0.1:@PORT@;')
          .replace(/^ *# Your root, proxy_pass .*$/m,
                   `        proxy_pass http://127.0.0.1:${upstreamPort};`);
        start = () => startNginx(site);
      } else if (target === 'apache') {
        start = () => startApache(
          code, `ProxyPass / http://127.0.0.1:${upstreamPort}/`);
      } else if (target === 'express') {
        start = () => startExpress(codeFile);
      } else {
        start = () => startFlask(codeFile);
      }
      groups.push({
        name: `generated/${policyName}/${target}`,
        server: target,
        apiHost: 'api.example.test',
        file: policyFile,
        upstreamHeaders: UPSTREAM_HEADERS,
        start,
        scenarios: POLICY_REQUESTS.map((request, index) => ({
          ...request, path: `/items/${index}`,
        })),
      });
    }
  }
  return groups;
}

// The groups of the rule fixtures: every `.conf` fixture of every rule,
// fire and silent, for nginx and Apache httpd, served by the real server
// with its static root, upstream address and port pointed at the suite's
// own. corslint simulates the same rewritten file. (Fixtures that are
// .htaccess directories need a main configuration around them and are not
// served here.)
function fixtureGroups(work, upstreamPort, unserved) {
  const htdocs = tempDir('htdocs');
  fs.mkdirSync(path.join(htdocs, 'api'));
  for (const file of ['index.html', 'items', 'api/items', 'api/index.html']) {
    fs.writeFileSync(path.join(htdocs, file), 'ok\n');
  }
  const groups = [];
  for (const fixture of ruleFixtures(['nginx', 'apache'])) {
    const { server, name, file } = fixture;
    if (!file.endsWith('.conf')) continue;
    const text = fs.readFileSync(file, 'utf8');
    // A fixture that only defines maps has nothing to serve.
    if (server === 'nginx' && !/^\s*(server|http|location|add_header|if|return|more_set_headers)\b/m.test(text)) {
      unserved.push(`${server}/${name}`);
      continue;
    }
    groups.push(fixtureGroup(server, name, text, work, htdocs, upstreamPort));
  }
  return groups;
}

// Every rule fixture of `servers`, fire and silent, in a stable order:
// its server, its name below the server's folder and its path.
function* ruleFixtures(servers) {
  for (const server of servers) {
    for (const rule of fs.readdirSync(path.join(FIXTURES, server)).sort()) {
      for (const kind of ['fire', 'silent']) {
        const dir = path.join(FIXTURES, server, rule, kind);
        if (!fs.existsSync(dir)) continue;
        for (const name of fs.readdirSync(dir).sort()) {
          yield { server, rule, kind, name: `${rule}/${kind}/${name}`,
                  file: path.join(dir, name) };
        }
      }
    }
  }
}

// The groups of the Express and Flask rule fixtures: every app of every
// rule, fire and silent, run unchanged by the test runners (it listens on
// the port they give it), and simulated on the same file. A fixture whose
// origin check is a RegExp with the g or y flag gets the successive
// requests of STATEFUL_REQUESTS instead, and Chromium must see them
// alternate.
function appFixtureGroups() {
  const groups = [];
  for (const fixture of ruleFixtures(['express', 'flask'])) {
    const file = appEntry(fixture.file);
    if (!file) continue;
    const group = appGroup(fixture.server, fixture.name, file);
    group.stateful = fixture.rule === 'stateful-origin-regex' &&
      fixture.kind === 'fire';
    group.scenarios = group.stateful ? STATEFUL_REQUESTS : APP_FIXTURE_REQUESTS;
    groups.push(group);
  }
  return groups;
}

// The file the runners start for a fixture: the file itself, or the app.*
// file of a fixture that is a folder of modules. Null for anything else.
function appEntry(fixture) {
  if (fs.statSync(fixture).isDirectory()) {
    return ['app.js', 'app.ts', 'app.py']
      .map((name) => path.join(fixture, name))
      .find((file) => fs.existsSync(file)) ?? null;
  }
  return /\.(js|ts|py)$/.test(fixture) ? fixture : null;
}

// A group for one Express or Flask application file, without scenarios.
// The app answers by itself; its route handlers add X-Total-Count (the
// runners do that), which simulate is told the application sends, except
// for a path no route serves (`unrouted`).
function appGroup(server, name, file) {
  const header = UPSTREAM_HEADERS[0];
  return {
    name: `fixture/${server}/${name}`,
    server,
    file,
    apiHost: '127.0.0.1',
    upstreamHeaders: [header],
    start: () => startApp(file, header),
    scenarios: [],
  };
}

// The groups of the fixes: each case of fixtures/fixes listed in
// FIX_PAIRS and its `.fixed` form, with the requests whose outcome the fix
// changes and the outcome Chromium must show on each side.
function fixPairGroups(work, upstreamPort) {
  const htdocs = tempDir('fix-htdocs');
  fs.mkdirSync(path.join(htdocs, 'api'));
  for (const file of ['index.html', 'items', 'api/items', 'api/index.html']) {
    fs.writeFileSync(path.join(htdocs, file), 'ok\n');
  }
  const groups = [];
  // Pairs of Express and Flask apps are served like the app fixtures.
  for (const pair of [...fixPairs.FIX_PAIRS, ...fixPairs.CODE_FIX_PAIRS]) {
    const server = pair.file.split('/')[0];
    const fixed = pair.file.replace(/\.(conf|js|ts|py)$/, '.fixed.$1');
    for (const [side, file] of [['before', pair.file], ['after', fixed]]) {
      const full = path.join(FIXTURES, 'fixes', file);
      const group = pair.file.endsWith('.conf')
        ? fixtureGroup(server, `${side}/${file}`,
                       fs.readFileSync(full, 'utf8'), work, htdocs,
                       upstreamPort)
        : appGroup(server, `${side}/${file}`, full);
      group.name = `fix/${side}/${file}`;
      group.scenarios = pair.requests.map(({ before, after, ...request }) => ({
        ...request, expectAllowed: side === 'before' ? before : after,
      }));
      groups.push(group);
    }
  }
  return groups;
}

// The group of reference.conf: the browser reference's vectors on nginx.
function referenceGroup(work, upstreamPort) {
  const text = fs.readFileSync(path.join(HERE, 'reference.conf'), 'utf8');
  const group = fixtureGroup('nginx', 'reference.conf', text, work,
                             tempDir('reference'), upstreamPort);
  group.name = 'reference/nginx';
  group.scenarios = REFERENCE_REQUESTS;
  return group;
}

function fixtureGroup(server, name, text, work, htdocs, upstreamPort) {
  let served = text
    .replace(/\broot\s+\/var\/www\/[^;\s]*;/g, `root ${htdocs};`)
    .replaceAll('/var/www/html', htdocs)
    .replace(/http:\/\/127\.0\.0\.1:808[01]/g,
             `http://127.0.0.1:${upstreamPort}`);
  let start;
  if (server === 'nginx') {
    const full = /^\s*(events|http)\s*\{/m.test(served);
    const site = /^\s*(server|map|upstream|geo)\b/m.test(served);
    served = served.replace(/\blisten\s+[^;]*;/g, 'listen 127.0.0.1:@PORT@;');
    if (!full && !site) {
      served = `server {\n    listen 127.0.0.1:@PORT@;\n    root ${htdocs};\n` +
        `    location / {\n${served}\n    }\n}\n`;
    }
    const config = served;
    start = () => startNginx(config, full);
  } else {
    served = served.replace(/<VirtualHost\s+[^>]*>/gi,
                            '<VirtualHost *:@PORT@>');
    const config = served;
    start = () => startApache(config, '');
  }
  const file = path.join(work, `${server}-${name.replaceAll('/', '-')}`);
  fs.writeFileSync(file, served.replaceAll('@PORT@', '8080'));
  const prefix = served.includes('/api/') ? '/api/' : '/';
  return {
    name: `fixture/${server}/${name}`,
    server,
    file,
    apiHost: '127.0.0.1',
    upstreamHeaders: UPSTREAM_HEADERS,
    start,
    scenarios: FIXTURE_REQUESTS.map((request) => ({
      ...request,
      path: `${prefix}${request.missing ? 'missing' : 'items'}`,
      upstreamStatus: request.missing ? 404 : undefined,
    })),
  };
}

// Starts the group's server, runs its scenarios one after the other and
// stops it, counting in `run`.
async function runGroup(group, run) {
  let server;
  try {
    server = await group.start();
  } catch (error) {
    run.failed++;
    console.log(`DISAGREE ${group.name}: the server did not start: ` +
                `${error.message}`);
    return;
  }
  const tally = run.perServer[group.server] ??= { scenarios: 0, agree: 0 };
  const sequence = [];
  try {
    for (const scenario of group.scenarios) {
      const counter = ++run.counter;
      const label = `${group.name} #${counter} ${scenario.method} ` +
        `${scenario.path} from ${scenario.origin} ` +
        `(${scenario.credentials}` +
        `${(scenario.headers ?? []).map(([n]) => `, ${n}`).join('')})` +
        (scenario.missing ? ' missing path' : '');
      const prediction = await predict(run.corslint, group, scenario);
      const chosen = prediction.error ? prediction
        : choosePrediction(prediction.json, scenario);
      let differences;
      if (chosen.error) {
        differences = [chosen.error];
      } else {
        const url = `http://${group.apiHost}:${server.port}` +
          `${scenario.path}?scenario=${counter}`;
        const { page, tracker } = run.tabs[scenario.origin];
        const observed = await runInBrowser(page, tracker, url, scenario,
                                            !group.stateful);
        differences = compare(chosen.json, observed, group);
        if (scenario.regexState) sequence.push(observed.allowed);
        if (scenario.expectAllowed !== undefined &&
            observed.allowed !== scenario.expectAllowed) {
          differences.push(
            `chromium ${observed.allowed ? 'allowed' : 'refused'} it, ` +
            `but ${group.name} should ` +
            `${scenario.expectAllowed ? 'allow' : 'refuse'} it`);
        }
        const outcome = observed.allowed ? 'allowed'
          : `refused ${observed.corsError ?? observed.errorText}`;
        run.outcomes[outcome] = (run.outcomes[outcome] ?? 0) + 1;
      }
      tally.scenarios++;
      if (differences.length === 0) {
        tally.agree++;
        run.passed++;
        continue;
      }
      run.failed++;
      console.log([`DISAGREE ${label}`,
                   ...differences.map((difference) => `  ${difference}`),
                   ...(prediction.command ? [`  ${prediction.command}`] : [])]
        .join('\n'));
    }
  } finally {
    await server.stop();
  }

  // The same request from the same origin, again and again: Chromium must
  // see it alternately allowed and refused.
  if (!group.stateful) return;
  const seen = sequence.map((allowed) => allowed ? 'allowed' : 'refused');
  console.log(`stateful RegExp, ${group.name}: chromium ${seen.join(', ')}`);
  if (!seen.includes('allowed') || !seen.includes('refused')) {
    run.failed++;
    console.log(`DISAGREE ${group.name}: the same request was not ` +
                'alternately allowed and refused');
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { chromium } = require('playwright-core');
  const work = tempDir('browser');
  const stops = [];
  let passed = 0;
  let failed = 0;
  const perServer = {};
  const unserved = [];
  const outcomes = {};

  try {
    const pages = await startPageServer();
    stops.push(pages.stop);
    const tlsPages = await startTlsPageServer(work);
    stops.push(tlsPages.stop);
    const upstream = await startUpstream();
    stops.push(upstream.stop);

    // One browser for everything; *.example.test resolves to loopback, and
    // port 80 of those names to the page server.
    const context = await chromium.launchPersistentContext(
      path.join(work, 'profile'), {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: [
          '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
          '--no-first-run', '--disable-background-networking',
          '--disable-component-update', '--disable-sync',
          '--ignore-certificate-errors',
          // Keeps sandboxed iframes in the page's process, so that their
          // requests show in the page's DevTools session, and http pages
          // on http (no automatic upgrade to https).
          '--disable-features=IsolateSandboxedIframes,HttpsUpgrades,' +
            'HttpsFirstBalancedModeAutoEnable',
          `--host-resolver-rules=MAP *:443 127.0.0.1:${tlsPages.port}, ` +
            `MAP *:80 127.0.0.1:${pages.port}, MAP *.example.test 127.0.0.1`,
        ],
        ignoreHTTPSErrors: true,
      });
    stops.push(() => context.close());

    const tabs = {};
    for (const [key, origin] of Object.entries(ALL_ORIGINS)) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const tracker = new Tracker(cdp);
      if (origin !== 'null') {
        await page.goto(`${origin}/`);
        const actual = await page.evaluate(() => self.origin);
        if (actual !== origin) {
          throw new Error(`the page for ${origin} runs as ${actual}`);
        }
        tabs[key] = { page, tracker };
        continue;
      }
      // An opaque origin: script in a sandboxed iframe of a page.
      await page.goto(`${FIXTURE_ORIGINS['fixture-app']}/`);
      await page.evaluate(() => new Promise((resolve) => {
        const frame = document.createElement('iframe');
        frame.sandbox = 'allow-scripts';
        frame.srcdoc = '<!doctype html><title>sandboxed</title>';
        frame.onload = resolve;
        document.body.append(frame);
      }));
      const frame = page.frames().find((f) => f !== page.mainFrame());
      if (await frame.evaluate(() => self.origin) !== 'null') {
        throw new Error('the sandboxed iframe does not have an opaque origin');
      }
      tabs[key] = { page: frame, tracker };
    }

    const groups = [
      ...generatedGroups(args.corslint, work, upstream.port),
      ...fixtureGroups(work, upstream.port, unserved),
      ...appFixtureGroups(),
      ...fixPairGroups(work, upstream.port),
      referenceGroup(work, upstream.port),
    ].filter((group) => group.name.includes(args.only));
    const run = { corslint: args.corslint, tabs, perServer, outcomes,
                  counter: 0, passed: 0, failed: 0 };
    const queue = [...groups];
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        await runGroup(group, run);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_GROUPS }, worker));
    passed = run.passed;
    failed = run.failed;
  } finally {
    for (const stop of stops.reverse()) await stop();
    fs.rmSync(work, { recursive: true, force: true });
  }

  for (const [server, tally] of Object.entries(perServer)) {
    console.log(`${server}: ${tally.agree} of ${tally.scenarios} scenarios ` +
                'agree');
  }
  for (const [outcome, count] of Object.entries(outcomes).sort()) {
    console.log(`chromium ${outcome}: ${count}`);
  }
  for (const name of unserved) {
    console.log(`not served (defines no server): fixture ${name}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`browser suite: error: ${error.stack ?? error}`);
  process.exitCode = 1;
});
