// The real servers of the browser suite, each on a free loopback port:
// nginx, Apache httpd, an Express app, a Flask app (generated code in the
// suite's harnesses, or an application file that listens by itself), the
// upstream they proxy to and the server of the test pages. Every start waits until the
// port answers and every server is stopped by `stop()`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const RUNNERS = path.resolve(HERE, '..', 'runners');

// Headers the upstream (and the catch-all routes of the Express and Flask
// harnesses) add to every answer: one a policy may expose, one it never
// does.
export const UPSTREAM_HEADERS = [['X-Total-Count', '3'], ['X-Secret', 's']];

// A new directory that servers running as another user can read.
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `corslint-${prefix}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Whether process `pid` holds a socket listening on `port`. Another
// server started at the same moment (the C++ tests run beside this suite)
// may have picked the same port and bound it first.
function listensOn(pid, port) {
  const sockets = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = fs.readFileSync(table, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== '0A') continue;  // LISTEN
      const local = fields[1];
      if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) {
        sockets.add(`socket:[${fields[9]}]`);
      }
    }
  }
  let fds = [];
  try { fds = fs.readdirSync(`/proc/${pid}/fd`); } catch { return false; }
  return fds.some((fd) => {
    try {
      return sockets.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      return false;
    }
  });
}

// Waits until `port` accepts connections; with `owned`, until `child`
// itself listens there.
async function waitForPort(port, child, log, owned = false) {
  for (let i = 0; i < 200; i++) {
    if (child && child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode}: ${log()}`);
    }
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open && (!owned || listensOn(child.pid, port))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on port ${port}: ${log()}`);
}

function collect(child) {
  let output = '';
  child.stdout?.on('data', (data) => { output += data; });
  child.stderr?.on('data', (data) => { output += data; });
  return () => output;
}

async function stopChild(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// An HTTP server in this process.
async function listen(handler) {
  const server = http.createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

// The pages: an empty HTML document for any host.
export function startPageServer() {
  return listen((request, response) => {
    response.setHeader('Content-Type', 'text/html');
    response.end('<!doctype html><title>corslint browser suite</title>');
  });
}

// The upstream: UPSTREAM_HEADERS for every method and path, with 404 for
// a path that names `missing` and 200 otherwise.
export function startUpstream() {
  return listen((request, response) => {
    for (const [name, value] of UPSTREAM_HEADERS) {
      response.setHeader(name, value);
    }
    if (request.url.includes('missing')) response.statusCode = 404;
    response.end('ok');
  });
}

// The pages over TLS, with a self-signed certificate made by openssl.
export async function startTlsPageServer(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj',
    '/CN=corslint-browser-suite', '-days', '1', '-keyout', key, '-out', cert,
  ], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  const server = https.createServer(
    { key: fs.readFileSync(key), cert: fs.readFileSync(cert) },
    (request, response) => {
      response.setHeader('Content-Type', 'text/html');
      response.end('<!doctype html><title>corslint browser suite</title>');
    });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

// nginx on a site file (the contents of an http block), or on a whole
// configuration when `full` is set, whose `listen` directives read
// `@PORT@`.
export async function startNginx(siteText, full = false) {
  const prefix = tempDir('nginx');
  fs.mkdirSync(path.join(prefix, 'logs'));
  fs.mkdirSync(path.join(prefix, 'html', 'api'), { recursive: true });
  for (const file of ['index.html', 'items', 'api/items']) {
    fs.writeFileSync(path.join(prefix, 'html', file), 'ok\n');
  }
  const modules = '/usr/lib/nginx/modules/ngx_http_headers_more_filter_module.so';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const text = siteText.replaceAll('@PORT@', String(port));
    const config = [
      fs.existsSync(modules) ? `load_module ${modules};` : '',
      'daemon off;',
      'master_process on;',
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/logs/error.log;`,
      ...(full ? [text] : [
        'events { worker_connections 64; }',
        'http {',
        '    access_log off;',
        text,
        '}',
      ]),
      '',
    ].join('\n');
    const file = path.join(prefix, 'nginx.conf');
    fs.writeFileSync(file, config);
    const child = spawn('nginx', ['-p', prefix, '-c', file],
                        { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = collect(child);
    try {
      await waitForPort(port, child, log);
      return {
        port,
        stop: async () => {
          await stopChild(child);
          fs.rmSync(prefix, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await stopChild(child);
      if (!/Address already in use/.test(log()) || attempt === 2) throw error;
    }
  }
  throw new Error('nginx did not start');
}

// Apache httpd with `directives` in its only virtual host, and `extra`
// after them (ProxyPass to the upstream). Directives that hold virtual
// hosts of their own (listening on `@PORT@`) go at the top level instead.
export async function startApache(directives, extra) {
  const hosts = /^\s*<VirtualHost/im.test(directives);
  const root = tempDir('httpd');
  fs.mkdirSync(path.join(root, 'htdocs'));
  fs.writeFileSync(path.join(root, 'htdocs', 'index.html'), 'ok\n');
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const modules = '/usr/lib/apache2/modules';
    const load = ['mpm_event', 'authz_core', 'headers', 'setenvif',
                  'rewrite', 'mime', 'dir', 'alias', 'proxy', 'proxy_http']
      .map((m) => `LoadModule ${m}_module ${modules}/mod_${m}.so`);
    const config = [
      `ServerRoot ${root}`,
      'ServerName localhost',
      `Listen 127.0.0.1:${port}`,
      ...load,
      'TypesConfig /etc/mime.types',
      'User www-data',
      'Group www-data',
      `PidFile ${root}/httpd.pid`,
      `ErrorLog ${root}/error.log`,
      `DocumentRoot ${root}/htdocs`,
      `<Directory ${root}/htdocs>`,
      '  Require all granted',
      '</Directory>',
      ...(hosts ? [directives.replaceAll('@PORT@', String(port))] : [
        `<VirtualHost 127.0.0.1:${port}>`,
        directives,
        extra,
        '</VirtualHost>',
      ]),
      '',
    ].join('\n');
    const file = path.join(root, 'httpd.conf');
    fs.writeFileSync(file, config);
    const child = spawn('apache2', ['-f', file, '-DFOREGROUND'],
                        { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = collect(child);
    const log = () => output() +
      (fs.existsSync(`${root}/error.log`)
        ? fs.readFileSync(`${root}/error.log`, 'utf8') : '');
    try {
      await waitForPort(port, child, log);
      return {
        port,
        stop: async () => {
          await stopChild(child);
          fs.rmSync(root, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await stopChild(child);
      if (!/already in use|could not bind/.test(log()) || attempt === 2) {
        throw error;
      }
    }
  }
  throw new Error('httpd did not start');
}

// A harness process that prints `listening PORT` once it serves.
async function startHarness(command, args, env) {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const log = collect(child);
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} did not start: ${log()}`)), 20000);
    child.stdout.on('data', () => {
      const match = /listening (\d+)/.exec(log());
      if (match) { clearTimeout(timer); resolve(Number(match[1])); }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}: ${log()}`));
    });
  });
  await waitForPort(port, child, log);
  return { port, stop: () => stopChild(child) };
}

// The Express app module at `file`, served by express_harness.js.
export function startExpress(file) {
  return startHarness('node', [path.join(HERE, 'express_harness.js'), file],
                      { NODE_PATH: path.join(HERE, 'node_modules') });
}

// The Flask app module at `file`, served by flask_harness.py with
// Debian's python3 and its flask and flask-cors.
export function startFlask(file) {
  return startHarness('/usr/bin/python3',
                      [path.join(HERE, 'flask_harness.py'), file], {});
}

// An Express (.js, .ts) or Flask (.py) application file that listens on
// 127.0.0.1:$PORT itself, as the rule fixtures and the cases of the fixes
// do, run unchanged by the test runners of tests/runners with their pinned
// packages (Debian's Flask and flask-cors for Python). `appHeader`, a
// [name, value] pair, is set by the app's route handlers as a header of
// its own.
export async function startApp(file, appHeader = null) {
  const python = file.endsWith('.py');
  const [command, runner] = python
    ? ['/usr/bin/python3', 'flask_runner.py']
    : ['node', 'express_runner.js'];
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(command, [path.join(RUNNERS, runner), file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        NODE_PATH: path.join(RUNNERS, 'node_modules'),
        PYTHONDONTWRITEBYTECODE: '1',
        CORSLINT_APP_HEADER: appHeader ? appHeader.join(': ') : '',
      },
    });
    const log = collect(child);
    try {
      await waitForPort(port, child, log, /*owned=*/true);
      return { port, stop: () => stopChild(child) };
    } catch (error) {
      await stopChild(child);
      if (!/EADDRINUSE|Address already in use/.test(log()) || attempt === 2) {
        throw error;
      }
    }
  }
  throw new Error(`${file} did not start`);
}
