// The page of `corslint serve`. Every answer comes from the JSON API, which
// runs the same code as `corslint generate`, `simulate` and `check`.
'use strict';

const $ = (selector) => document.querySelector(selector);
const $$ = (selector) => [...document.querySelectorAll(selector)];

async function api(endpoint, body) {
  const response = await fetch(`/api/${endpoint}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function splitList(text, separator) {
  return text.split(separator).map((item) => item.trim())
    .filter((item) => item !== '');
}

// ---- Views ----

function showView(name) {
  for (const button of $$('nav button')) {
    button.classList.toggle('active', button.dataset.view === name);
  }
  for (const view of $$('.view')) view.hidden = view.id !== name;
}

// ---- Builder ----

const code = { express: '', nginx: '', apache: '', flask: '' };
let generation = 0;

// The policy in the builder, as the API and policy files spell it.
function currentPolicy() {
  const advanced = $('#policy').classList.contains('advanced-mode');
  const policy = {
    any_origin: $('#any-origin').checked,
    origins: $('#any-origin').checked
      ? [] : splitList($('#origins').value, /\n/),
    methods: $$('#methods input:checked').map((box) => box.value),
  };
  if (!advanced) return policy;
  policy.allow_headers = splitList($('#allow-headers').value, ',');
  policy.expose_headers = splitList($('#expose-headers').value, ',');
  policy.credentials = $('#credentials').checked;
  const maxAge = $('#max-age').value.trim();
  if (maxAge !== '') policy.max_age = Number(maxAge);
  return policy;
}

function showCode() {
  const target = $('.tabs button.active').dataset.target;
  $('#code').dataset.target = target;
  $('#code').textContent = code[target];
}

// A wildcard with credentials gets its own explanation and a way out.
function showProblems(problems, policy) {
  const box = $('#problems');
  box.replaceChildren();
  for (const problem of problems) {
    const item = element('div', 'problem');
    item.append(element('strong', '', problem.message));
    if (problem.help) item.append(element('p', 'hint', problem.help));
    box.append(item);
  }
  if (!(policy.any_origin && policy.credentials)) return;
  const why = element('div', 'problem', '');
  why.id = 'wildcard-credentials';
  why.append(element('p', '',
    'Browsers refuse a credentialed response whose ' +
    'Access-Control-Allow-Origin is "*": a wildcard would let every site ' +
    'read responses made with the user\'s cookies. Name the origins ' +
    'that may send credentials instead.'));
  const button = element('button', '', 'Use an allowlist instead');
  button.type = 'button';
  button.id = 'use-allowlist';
  button.addEventListener('click', () => {
    $('#any-origin').checked = false;
    if ($('#origins').value.trim() === '') {
      $('#origins').value = 'https://app.example.com';
    }
    update();
  });
  why.append(button);
  box.append(why);
}

async function update() {
  const run = ++generation;
  const policy = currentPolicy();
  $('#origins').disabled = policy.any_origin;
  const reply = await api('generate', policy);
  if (run !== generation) return;
  document.body.dataset.generated = String(run);
  if (reply.status !== 200) {
    const problems = reply.body.problems ?? [{ message: reply.body.error }];
    showProblems(problems, policy);
    $('#code').classList.add('stale');
    $('#warnings').textContent = '';
    return;
  }
  showProblems([], policy);
  Object.assign(code, reply.body.code);
  $('#code').classList.remove('stale');
  $('#warnings').textContent = reply.body.warnings.trim();
  showCode();
}

// Puts `text` on the clipboard and says so on `button` for a moment.
async function copyText(button, text) {
  await navigator.clipboard.writeText(text);
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

function copyCode() {
  return copyText($('#copy'), code[$('#code').dataset.target]);
}

// ---- Preflight check ----

async function simulate() {
  const reply = await api('simulate', {
    policy: currentPolicy(),
    origin: $('#sim-origin').value.trim(),
    path: $('#sim-path').value.trim() || '/',
    method: $('#sim-method').value.trim(),
    headers: splitList($('#sim-headers').value, /\n/),
    credentials: $('#sim-credentials').value,
  });
  const verdict = $('#sim-verdict');
  if (reply.status !== 200) {
    verdict.className = 'verdict refused';
    verdict.textContent = `cannot simulate: ${reply.body.error}`;
    $('#sim-text').textContent = '';
    return;
  }
  verdict.className = `verdict ${reply.body.allowed ? 'allowed' : 'refused'}`;
  verdict.textContent = reply.body.allowed
    ? 'Allowed: the browser lets the page read the response'
    : 'Refused: the browser blocks the request';
  $('#sim-text').textContent = reply.body.text;
}

// ---- Check my config ----

const FORMATS = {
  nginx: 'nginx', apache: 'Apache', express: 'Express', flask: 'Flask',
};
const FIX_LABELS = {
  safe: 'fix',
  unsafe: 'unsafe fix (can change which origins are allowed)',
  'display-only': 'suggestion',
};
let checked = null;

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// What the paste was read as, e.g. "Express (TypeScript)".
function formatLabel(reply) {
  const name = FORMATS[reply.format] ?? reply.format;
  if (reply.format !== 'express') return name;
  return `${name} (${reply.file.endsWith('.ts') ? 'TypeScript' : 'JavaScript'})`;
}

function findingBox(item) {
  const box = element('div', `finding ${item.severity}`);
  box.dataset.line = String(item.line);
  const rule = item.rule ? ` [${item.rule}]` : '';
  box.append(element('div', 'message',
    `${item.line}:${item.column}: ${item.severity}: ${item.message}${rule}`));
  if (item.help) box.append(element('div', 'help', `help: ${item.help}`));
  for (const fix of item.fixes ?? []) {
    const row = element('div', `fix ${fix.applicability}`);
    row.dataset.applicability = fix.applicability;
    row.append(element('div', '',
      `${FIX_LABELS[fix.applicability] ?? 'fix'}: ${fix.description}`));
    if (fix.snippet) row.append(element('pre', 'snippet', fix.snippet));
    box.append(row);
  }
  return box;
}

// The paste with the fixes of the chosen kind applied, as `corslint check
// --fix` (with or without --unsafe-fixes) would write it.
function showCorrected() {
  const mode = $('input[name=fix-mode]:checked').value;
  const corrected = checked.corrected[mode];
  $('#unsafe-warning').hidden = mode !== 'unsafe';
  $('#copy-corrected').disabled = corrected.text === null;
  $('#corrected-text').textContent = corrected.text ?? '';
  const note = $('#corrected-note');
  if (corrected.text === null) {
    note.textContent = `no corrected config: ${corrected.error}`;
  } else if (corrected.applied === 0) {
    note.textContent = mode === 'safe'
      ? 'No safe fix applies; the paste is unchanged'
      : 'No fix applies; the paste is unchanged';
  } else {
    note.textContent = `${plural(corrected.applied, 'fix')} applied, ` +
      `${plural(corrected.remaining, 'finding')} left`;
  }
}

async function checkConfig() {
  const text = $('#check-text').value;
  const reply = await api('check', {
    lang: $('#check-lang').value,
    text,
    trusted_origins: splitList($('#check-trusted').value, /[\s,]+/),
  });
  const result = $('#check-result');
  result.replaceChildren();
  $('#corrected').hidden = true;
  if (reply.status !== 200) {
    $('#check-summary').textContent = `cannot check: ${reply.body.error}`;
    return;
  }
  checked = reply.body;
  const byLine = new Map();
  for (const item of [...checked.errors, ...checked.findings]) {
    const line = Math.max(item.line, 1);
    if (!byLine.has(line)) byLine.set(line, []);
    byLine.get(line).push(item);
  }
  text.split('\n').forEach((source, index) => {
    const row = element('div', 'line');
    row.append(element('span', 'number', String(index + 1)), source);
    result.append(row);
    for (const item of byLine.get(index + 1) ?? []) {
      result.append(findingBox(item));
    }
  });

  const { findings, errors, fixable, unsafe_fixable: unsafe } =
    checked.summary;
  let summary = `Read as ${formatLabel(checked)}: `;
  summary += findings === 0 && errors === 0
    ? 'no findings' : plural(findings, 'finding');
  if (errors) summary += `, ${plural(errors, 'input error')}`;
  if (fixable) summary += `, ${fixable} fixable with --fix`;
  if (unsafe) {
    summary += `, ${unsafe}${fixable ? ' more' : ''} with --fix --unsafe-fixes`;
  }
  $('#check-summary').textContent = summary;
  // The corrected config only when a fix changes something.
  const { safe: safeFixes, unsafe: allFixes } = checked.corrected;
  if (safeFixes.applied === 0 && allFixes.applied === 0 &&
      safeFixes.text !== null && allFixes.text !== null) {
    return;
  }
  $('#corrected').hidden = false;
  showCorrected();
}

function copyCorrected() {
  return copyText($('#copy-corrected'), $('#corrected-text').textContent);
}

// ---- How CORS works ----

async function loadRules() {
  const reply = await api('rules');
  const list = $('#mistakes');
  for (const rule of reply.body.rules) {
    const item = element('li');
    const link = element('a', '', rule.name);
    link.href = `#rule/${rule.name}`;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      $('#rule-page pre').textContent = rule.page;
      $('#rule-page').hidden = false;
      $('#rule-page').dataset.rule = rule.name;
      $('#rule-page').scrollIntoView();
    });
    item.append(link, `: ${rule.summary}`);
    list.append(item);
  }
}

// ---- Wiring ----

function main() {
  for (const button of $$('nav button')) {
    button.addEventListener('click', () => showView(button.dataset.view));
  }
  for (const button of $$('.tabs button[data-target]')) {
    button.addEventListener('click', () => {
      for (const tab of $$('.tabs button[data-target]')) {
        tab.classList.toggle('active', tab === button);
      }
      showCode();
    });
  }
  for (const radio of $$('input[name=mode]')) {
    radio.addEventListener('change', () => {
      $('#policy').classList.toggle('advanced-mode',
        $('input[name=mode]:checked').value === 'advanced');
      update();
    });
  }
  $('#policy').addEventListener('input', update);
  $('#copy').addEventListener('click', copyCode);
  $('#simulate').addEventListener('click', simulate);
  $('#run-check').addEventListener('click', checkConfig);
  for (const radio of $$('input[name=fix-mode]')) {
    radio.addEventListener('change', showCorrected);
  }
  $('#copy-corrected').addEventListener('click', copyCorrected);
  update();
  loadRules();
}

main();
