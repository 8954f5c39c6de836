// http_sink.mjs - a webhook receiver for the alert tests: an HTTP server on 127.0.0.1 (port
// chosen by the system) that records every request as one JSON line
// {"method", "path", "headers", "body"} and answers it.
//
// Usage: node http_sink.mjs --log FILE --port-file FILE [--status N] [--stall]
//   --log FILE        where requests are recorded (appended)
//   --port-file FILE  written (atomically) with the port once the server listens
//   --status N        the answer's status (default 200); the body says "ok" or "failed"
//   --stall           record the request, then never answer (for timeout tests)
// Runs until killed (SIGTERM).
import http from 'node:http';
import fs from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const log = opt('--log');
const portFile = opt('--port-file');
const status = Number(opt('--status', '200'));
const stall = args.includes('--stall');
if (!log || !portFile || !Number.isInteger(status)) {
  console.error('usage: node http_sink.mjs --log FILE --port-file FILE [--status N] [--stall]');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const record = {
      method: req.method,
      path: req.url,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    fs.appendFileSync(log, JSON.stringify(record) + '\n');
    if (stall) return; // the client's timeout ends it
    const text = status >= 200 && status < 300 ? 'ok' : 'failed';
    res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': text.length });
    res.end(text);
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  fs.writeFileSync(portFile + '.tmp', String(port));
  fs.renameSync(portFile + '.tmp', portFile);
  console.log(port);
});
process.on('SIGTERM', () => process.exit(0));
