// Helpers of the notification tests (issue 19): the local servers kc-notify
// delivers to, on 127.0.0.1 at the ports of the stack's configuration
// (tests/run.sh: KC_SMTP_URL, KC_SMS_URL): an SMTP server (Debian's
// python3-aiosmtpd, tests/http/notify-smtp.py) recording each message
// to a file, and an HTTP sink recording each POST of the SMS gateway.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { TOP, OUT, VAR, sleep, until, readBody } from '../lib.mjs';

// The ports the stack's sender was configured with; fails when it was not.
export function notifyPorts() {
  const smtp = /^smtp:\/\/127\.0\.0\.1:(\d+)/.exec(process.env.KC_SMTP_URL || '');
  const sms = /^http:\/\/127\.0\.0\.1:(\d+)(\/.*)$/.exec(process.env.KC_SMS_URL || '');
  if (!smtp || !sms) throw new Error('KC_SMTP_URL and KC_SMS_URL must point at 127.0.0.1 (tests/run.sh sets them)');
  return { smtp: Number(smtp[1]), sms: Number(sms[1]), smsPath: sms[2] };
}

const listening = (port) => new Promise((res) => {
  const s = net.connect(port, '127.0.0.1');
  s.on('connect', () => { s.destroy(); res(true); });
  s.on('error', () => res(false));
});

// The SMTP server: {start(delayMs), stop(), messages()}; the file keeps
// every message of the run (restarts append).
export function smtpServer(port) {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `smtp-${port}.jsonl`);
  fs.rmSync(file, { force: true });
  let proc;
  return {
    file,
    async start(delayMs = 0) {
      // Debian's python3, where python3-aiosmtpd is (not another on PATH).
      proc = spawn('/usr/bin/python3', [path.join(TOP, 'tests', 'http', 'notify-smtp.py'), String(port), file, String(delayMs)],
        { stdio: ['ignore', 'ignore', 'inherit'] });
      if (!(await until(() => listening(port), 10000, 50))) throw new Error(`SMTP server on ${port} did not start`);
    },
    async stop() {
      if (!proc) return;
      const p = proc; proc = undefined;
      const done = new Promise((res) => p.on('exit', res));
      p.kill('SIGTERM');
      await Promise.race([done, sleep(5000)]);
    },
    messages() {
      if (!fs.existsSync(file)) return [];
      return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    },
  };
}

// The SMS gateway's sink: records {headers, json, status}; answer(rec)
// gives the status to answer (default 200).
export function smsSink(port) {
  const posts = [];
  const sink = { posts, answer: () => 200 };
  const server = http.createServer(async (req, res) => {
    const { text: body, json } = await readBody(req);
    const rec = { method: req.method, url: req.url, headers: req.headers, body, json };
    rec.status = sink.answer(rec);
    posts.push(rec);
    res.writeHead(rec.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(rec.status < 300 ? { code: '100', request_id: json?.request_id } : { code: '99', error: 'test refusal' }));
  });
  sink.start = () => new Promise((res, rej) => { server.once('error', rej); server.listen(port, '127.0.0.1', res); });
  sink.stop = () => new Promise((res) => { server.closeAllConnections?.(); server.close(() => res()); });
  return sink;
}

// The pid of the stack's sender process (the child of its multiwatch).
export function senderPid() {
  const mw = fs.readFileSync(path.join(VAR, 'run', 'kc-notify.pid'), 'utf8').trim();
  const kids = fs.readFileSync(`/proc/${mw}/task/${mw}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return kids.length ? Number(kids[0]) : undefined;
}
