// The page of `corslint serve` in headless Chromium: builds policies and
// compares every code tab with `corslint generate`, simulates an allowed
// and a refused preflight against `corslint simulate`, checks a broken
// nginx config (its corrected form against `corslint check --fix`), a
// broken Express app and a broken Flask app, copies snippets, and writes a
// screenshot of each view.
//
//   node tests/browser/serve.mjs --corslint PATH --artifacts DIR
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(path.join(HERE, 'package.json'));
const TARGETS = ['express', 'nginx', 'apache', 'flask'];

function parseArgs(argv) {
  const args = { corslint: '', artifacts: '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--corslint') args.corslint = argv[++i];
    else if (argv[i] === '--artifacts') args.artifacts = argv[++i];
    else throw new Error(`unknown argument "${argv[i]}"`);
  }
  if (!args.corslint || !args.artifacts) {
    throw new Error('--corslint PATH and --artifacts DIR are required');
  }
  return args;
}

// Starts `corslint serve` on a free loopback port; resolves to its URL.
function startServe(corslint) {
  const child = spawn(corslint, ['serve', '--port', '0'],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) resolve({ url: match[1], stop: () => child.kill() });
    });
  });
}

function run(corslint, args) {
  const result = spawnSync(corslint, args, { encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`corslint ${args.join(' ')} exited ${result.status}: ` +
                    result.stderr);
  }
  return result.stdout;
}

let failures = 0;
function expect(ok, what) {
  console.log(`${ok ? 'ok' : 'FAIL'}: ${what}`);
  if (!ok) failures++;
}

// Waits until `selector`'s text `is`, `includes` or `startsWith` `value`
// (the page's policy forbids evaluated strings); false on timeout.
async function waitForText(page, selector, test, value, timeout = 5000) {
  try {
    await page.waitForFunction(
      ([sel, how, expected]) => {
        const node = document.querySelector(sel);
        if (!node) return false;
        const text = node.textContent;
        if (how === 'is') return text === expected;
        if (how === 'includes') return text.includes(expected);
        return text.startsWith(expected);
      },
      [selector, test, value], { timeout });
    return true;
  } catch {
    return false;
  }
}

// Sets the builder's form as `options` says.
async function setPolicy(page, options) {
  await page.check(`input[name=mode][value=${options.mode}]`);
  await page.setChecked('#any-origin', options.anyOrigin ?? false);
  if (!options.anyOrigin) {
    await page.fill('#origins', options.origins.join('\n'));
  }
  for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    await page.setChecked(`#methods input[value=${method}]`,
                          options.methods.includes(method));
  }
  if (options.mode !== 'advanced') return;
  await page.fill('#allow-headers', options.allowHeaders ?? '');
  await page.fill('#expose-headers', options.exposeHeaders ?? '');
  await page.fill('#max-age', options.maxAge ?? '');
  await page.setChecked('#credentials', options.credentials ?? false);
}

function generateArgs(options, target) {
  const args = ['generate', '--target', target];
  if (options.anyOrigin) args.push('--allow-any-origin');
  for (const origin of options.origins ?? []) args.push('--origin', origin);
  args.push('--methods', options.methods.join(','));
  if (options.mode === 'advanced') {
    if (options.allowHeaders) {
      args.push('--allow-headers', options.allowHeaders);
    }
    if (options.exposeHeaders) {
      args.push('--expose-headers', options.exposeHeaders);
    }
    if (options.maxAge) args.push('--max-age', options.maxAge);
    if (options.credentials) args.push('--credentials');
  }
  return args;
}

const POLICIES = [
  { name: 'simple allowlist', mode: 'simple',
    origins: ['https://app.example.com', 'https://admin.example.com'],
    methods: ['GET', 'POST', 'DELETE'] },
  { name: 'any origin', mode: 'simple', anyOrigin: true,
    methods: ['GET', 'HEAD'] },
  { name: 'advanced with credentials', mode: 'advanced',
    origins: ['https://app.example.com'], methods: ['GET', 'PUT', 'PATCH'],
    allowHeaders: 'Content-Type, X-Trace-Id', exposeHeaders: 'X-Request-Id',
    maxAge: '600', credentials: true },
];

async function testBuilder(page, args) {
  for (const policy of POLICIES) {
    await setPolicy(page, policy);
    for (const target of TARGETS) {
      const expected = run(args.corslint, generateArgs(policy, target));
      await page.click(`.tabs button[data-target=${target}]`);
      const same = await waitForText(page, '#code', 'is',
                                     expected);
      expect(same, `${policy.name}: the ${target} tab is corslint generate's`);
    }
  }
  await page.click('.tabs button[data-target=nginx]');
  await page.screenshot({ path: path.join(args.artifacts, 'builder.png'),
                          fullPage: true });

  // The copy button puts the shown tab on the clipboard.
  await page.click('#copy');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const shown = await page.textContent('#code');
  expect(copied === shown && copied.includes('server'),
         'copy puts the nginx code on the clipboard');

  // A wildcard with credentials is explained where it is made.
  await page.setChecked('#any-origin', true);
  const explained = await waitForText(page, '#problems', 'includes',
                                      'Browsers refuse');
  expect(explained, 'a wildcard with credentials is explained');
  await page.screenshot({ path: path.join(args.artifacts,
                                          'builder-wildcard.png'),
                          fullPage: true });
  await page.click('#use-allowlist');
  const mended = await waitForText(page, '#problems', 'is', '');
  expect(mended && !(await page.isChecked('#any-origin')),
         'the allowlist button mends the policy');
}

async function testPreflight(page, args, work) {
  const policy = POLICIES[2];
  await setPolicy(page, policy);
  await page.click('nav button[data-view=preflight]');
  const file = path.join(work, 'policy.json');
  fs.writeFileSync(file, JSON.stringify({
    origins: policy.origins, methods: policy.methods,
    allow_headers: ['Content-Type', 'X-Trace-Id'],
    expose_headers: ['X-Request-Id'], max_age: 600, credentials: true,
  }));
  for (const [method, verdict] of [['DELETE', 'Refused'], ['PUT', 'Allowed']]) {
    await page.fill('#sim-method', method);
    await page.selectOption('#sim-credentials', 'include');
    await page.click('#simulate');
    const shown = await waitForText(page, '#sim-verdict', 'startsWith',
                                    verdict);
    expect(shown, `a ${method} preflight is ${verdict.toLowerCase()}`);
    const expected = run(args.corslint, [
      'simulate', file, '--origin', 'https://app.example.com', '--path',
      '/api/items', '--method', method, '--header',
      'Content-Type: application/json', '--credentials', 'include']);
    const text = await page.textContent('#sim-text');
    expect(text === expected,
           `the ${method} steps are corslint simulate's`);
    await page.screenshot({
      path: path.join(args.artifacts, `preflight-${verdict.toLowerCase()}.png`),
      fullPage: true });
  }
}

// Broken apps in the two code formats, each with the line and rule of its
// mistake; the format is named once and detected once.
const BROKEN_APPS = [
  { name: 'Express', lang: 'auto', shown: 'Express (JavaScript)', line: '4',
    rule: 'reflected-origin', text: [
      "const express = require('express');",
      "const cors = require('cors');",
      'const app = express();',
      'app.use(cors({ origin: true, credentials: true }));',
      "app.get('/api/items', (req, res) => res.json([]));",
    ] },
  { name: 'Flask', lang: 'flask', shown: 'Flask', line: '7',
    rule: 'reflected-origin', text: [
      'from flask import Flask, jsonify, request',
      '',
      'app = Flask(__name__)',
      '',
      '@app.after_request',
      'def add_cors(response):',
      '    response.headers["Access-Control-Allow-Origin"] = ' +
        'request.headers.get("Origin", "")',
      '    return response',
      '',
      '@app.route("/api/items")',
      'def items():',
      '    return jsonify([])',
    ] },
];

// The origin the Check view is told to trust, so that a reflected origin
// has a fix.
const TRUSTED = 'https://app.example.com';

// Pastes `lines` as `lang`, runs the check and waits for its summary.
async function pasteAndCheck(page, lang, lines, summary) {
  await page.selectOption('#check-lang', lang);
  await page.fill('#check-text', lines.join('\n'));
  await page.click('#run-check');
  return waitForText(page, '#check-summary', 'startsWith', summary);
}

// What `corslint check --fix` (and `extra`) writes for `text`.
function commandLineFix(args, work, lang, text, extra) {
  const file = path.join(work, 'snippet.conf');
  fs.writeFileSync(file, text);
  run(args.corslint, ['check', '--fix', '--lang', lang, ...extra, file]);
  return fs.readFileSync(file, 'utf8');
}

async function testCheck(page, args, work) {
  await page.click('nav button[data-view=check]');
  const nginx = [
    'server {',
    '    listen 80;',
    '    location /api/ {',
    '        add_header Access-Control-Allow-Origin $http_origin;',
    '        add_header Access-Control-Allow-Credentials True;',
    '    }',
    '}',
  ];
  await page.fill('#check-trusted', TRUSTED);
  const read = await pasteAndCheck(page, 'nginx', nginx, 'Read as nginx');
  expect(read, 'the pasted config is read as nginx');
  const found = await waitForText(page, '#check-result', 'includes',
                                  '[reflected-origin]');
  expect(found, 'the pasted config shows reflected-origin');
  const line = await page.getAttribute(
    '.finding:has-text("reflected-origin")', 'data-line');
  expect(line === '4', `the finding sits at line 4 (got ${line})`);
  const help = await page.textContent('.finding:has-text("reflected-origin")');
  expect(help.includes('help: '), 'the finding shows its help line');
  const fixes = await page.$$eval('.finding .fix',
                                  (rows) => rows.map((row) => row.textContent));
  expect(fixes.some((fix) => fix.startsWith('fix: add `always`')),
         `a finding shows its safe fix (got ${JSON.stringify(fixes)})`);
  expect(fixes.some((fix) => fix.startsWith('unsafe fix')),
         'a finding shows its unsafe fix as such');

  // The corrected config is what `corslint check --fix` writes, with or
  // without the unsafe fixes.
  const text = nginx.join('\n');
  const trusted = ['--trusted-origin', TRUSTED];
  const safe = commandLineFix(args, work, 'nginx', text, trusted);
  const unsafe = commandLineFix(args, work, 'nginx', text,
                                [...trusted, '--unsafe-fixes']);
  expect(safe !== text && unsafe !== safe,
         'the nginx paste has both safe and unsafe fixes');
  const shownSafe = await waitForText(page, '#corrected-text', 'is', safe);
  expect(shownSafe, 'the corrected config is corslint check --fix\'s');
  expect(await page.isHidden('#unsafe-warning'),
         'safe fixes carry no warning');
  await page.check('input[name=fix-mode][value=unsafe]');
  const shownUnsafe = await waitForText(page, '#corrected-text', 'is', unsafe);
  expect(shownUnsafe,
         'with unsafe fixes it is corslint check --fix --unsafe-fixes\'s');
  expect(await page.isVisible('#unsafe-warning'),
         'unsafe fixes are labelled as changing the allowed origins');
  await page.screenshot({ path: path.join(args.artifacts, 'check.png'),
                          fullPage: true });
  await page.check('input[name=fix-mode][value=safe]');
  await page.click('#copy-corrected');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied === safe, 'copy puts the corrected config on the clipboard');

  // A display-only fix shows its snippet with its finding.
  const apache = [
    '<Location /api>',
    '    Header always set Access-Control-Allow-Origin "*"',
    '    Header always set Access-Control-Allow-Credentials "true"',
    '</Location>',
  ];
  const apacheRead = await pasteAndCheck(page, 'auto', apache,
                                         'Read as Apache');
  expect(apacheRead, 'the Apache paste is detected as Apache');
  const snippet = await page.textContent(
    '.finding:has-text("[wildcard-origin-with-credentials]") ' +
    '.fix.display-only pre.snippet');
  expect(snippet.includes('generated by `corslint generate`') &&
         snippet.includes('https://app.example.com'),
         'a suggestion shows its snippet for the trusted origin');
  await page.screenshot({ path: path.join(args.artifacts,
                                          'check-suggestion.png'),
                          fullPage: true });

  for (const app of BROKEN_APPS) {
    const shown = await pasteAndCheck(page, app.lang, app.text,
                                      `Read as ${app.shown}: `);
    expect(shown, `the ${app.name} app is read as ${app.shown}`);
    const at = await page.getAttribute(
      `.finding:has-text("[${app.rule}]")`, 'data-line');
    expect(at === app.line,
           `the ${app.name} app shows ${app.rule} at line ${app.line} ` +
           `(got ${at})`);
    await page.screenshot({
      path: path.join(args.artifacts, `check-${app.name.toLowerCase()}.png`),
      fullPage: true });
  }
}

async function testLearn(page, args) {
  await page.click('nav button[data-view=learn]');
  const rows = await page.$$eval('#headers-reference tbody tr',
                                 (trs) => trs.length);
  expect(rows >= 9, 'the headers reference lists the CORS headers');
  await page.click('#mistakes a:text-is("wildcard-origin-with-credentials")');
  const page_text = await page.textContent('#rule-page pre');
  expect(page_text.includes('wildcard-origin-with-credentials'),
         'a mistake links to its rule page');
  await page.screenshot({ path: path.join(args.artifacts, 'learn.png'),
                          fullPage: true });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.artifacts, { recursive: true });
  const { chromium } = require('playwright-core');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'corslint-serve-page-'));
  const serve = await startServe(args.corslint);
  let context;
  try {
    context = await chromium.launchPersistentContext(
      path.join(work, 'profile'), {
        executablePath: '/usr/bin/chromium',
        headless: true,
        viewport: { width: 1280, height: 800 },
        args: [
          '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
          '--no-first-run', '--disable-background-networking',
          '--disable-component-update', '--disable-sync',
        ],
      });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'],
                                   { origin: serve.url.replace(/\/$/, '') });
    const page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (error) => expect(false, `page error: ${error}`));
    await page.goto(serve.url);
    expect(await waitForText(page, '#code', 'includes', 'cors'),
           'the page shows code at once');
    await testBuilder(page, args);
    await testPreflight(page, args, work);
    await testCheck(page, args, work);
    await testLearn(page, args);
  } finally {
    if (context) await context.close();
    serve.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(failures === 0 ? 'serve page: all checks passed'
                             : `serve page: ${failures} checks failed`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
