// smtp_sink.mjs - an SMTP sink for the alert tests: a minimal RFC 5321 server on 127.0.0.1
// (port chosen by the system) that accepts messages and records each as one JSON line
// {"helo", "auth", "from", "rcpt", "data", "message"}: `data` is what came after DATA as sent
// (dot-stuffed), `message` the same with the stuffing removed (RFC 5321 4.5.2).
//
// Usage: node smtp_sink.mjs --log FILE --port-file FILE [--auth USER:PASS] [--reject-rcpt]
//                           [--stall]
//   --log FILE        where messages are recorded (appended)
//   --port-file FILE  written (atomically) with the port once the server listens
//   --auth USER:PASS  advertise AUTH PLAIN LOGIN and require these credentials (535 else)
//   --reject-rcpt     answer every RCPT TO with 550
//   --stall           accept connections but never greet (for timeout tests)
// Runs until killed (SIGTERM).
import net from 'node:net';
import fs from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const log = opt('--log');
const portFile = opt('--port-file');
const auth = opt('--auth');
const rejectRcpt = args.includes('--reject-rcpt');
const stall = args.includes('--stall');
if (!log || !portFile) {
  console.error('usage: node smtp_sink.mjs --log FILE --port-file FILE [--auth USER:PASS] [--reject-rcpt]');
  process.exit(2);
}
const b64 = (s) => Buffer.from(s, 'base64').toString('utf8');

function session(sock) {
  if (stall) return sock.on('error', () => {}); // the client's timeout ends it
  let buf = Buffer.alloc(0);
  let mode = 'command'; // command | data | auth-plain | auth-user | auth-pass
  let helo = null;
  let authed = !auth;
  let authUser = null;
  let tx = { from: null, rcpt: [] };
  const reply = (line) => sock.write(line + '\r\n');

  const checkAuth = (user, pass) => {
    if (`${user}:${pass}` === auth) {
      authed = true;
      authUser = user;
      reply('235 2.7.0 Authentication successful');
    } else {
      reply('535 5.7.8 Authentication credentials invalid');
    }
    mode = 'command';
  };

  const command = (line) => {
    const verb = line.split(' ')[0].toUpperCase();
    const arg = line.slice(verb.length).trim();
    if (mode === 'auth-plain') {
      const [, user, pass] = b64(line).split('\0');
      return checkAuth(user, pass);
    }
    if (mode === 'auth-user') {
      authUser = b64(line);
      mode = 'auth-pass';
      return reply('334 UGFzc3dvcmQ6');
    }
    if (mode === 'auth-pass') return checkAuth(authUser, b64(line));
    switch (verb) {
      case 'EHLO':
        helo = arg;
        sock.write('250-sink.local greets ' + arg + '\r\n');
        if (auth) sock.write('250-AUTH PLAIN LOGIN\r\n');
        return reply('250 8BITMIME');
      case 'HELO':
        helo = arg;
        return reply('250 sink.local');
      case 'AUTH': {
        if (!auth) return reply('502 5.5.1 AUTH not supported');
        const [mech, initial] = arg.split(' ');
        if (mech.toUpperCase() === 'PLAIN') {
          if (initial) {
            const [, user, pass] = b64(initial).split('\0');
            return checkAuth(user, pass);
          }
          mode = 'auth-plain';
          return reply('334 ');
        }
        if (mech.toUpperCase() === 'LOGIN') {
          if (initial) {
            authUser = b64(initial);
            mode = 'auth-pass';
            return reply('334 UGFzc3dvcmQ6');
          }
          mode = 'auth-user';
          return reply('334 VXNlcm5hbWU6');
        }
        return reply('504 5.5.4 Unrecognized authentication type');
      }
      case 'MAIL':
        if (!authed) return reply('530 5.7.0 Authentication required');
        tx = { from: /<([^>]*)>/.exec(arg)?.[1] ?? arg, rcpt: [] };
        return reply('250 2.1.0 Ok');
      case 'RCPT':
        if (rejectRcpt) return reply('550 5.1.1 Mailbox unavailable');
        tx.rcpt.push(/<([^>]*)>/.exec(arg)?.[1] ?? arg);
        return reply('250 2.1.5 Ok');
      case 'DATA':
        if (!tx.from || tx.rcpt.length === 0) return reply('503 5.5.1 Bad sequence of commands');
        mode = 'data';
        return reply('354 End data with <CR><LF>.<CR><LF>');
      case 'RSET':
        tx = { from: null, rcpt: [] };
        return reply('250 2.0.0 Ok');
      case 'NOOP':
        return reply('250 2.0.0 Ok');
      case 'QUIT':
        reply('221 2.0.0 Bye');
        return sock.end();
      default:
        return reply('500 5.5.2 Command not recognized');
    }
  };

  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (mode === 'data') {
        // The data ends with CRLF "." CRLF; the CRLF before the dot belongs to the message.
        const s = buf.toString('latin1');
        const end = s.startsWith('.\r\n') ? 0 : s.indexOf('\r\n.\r\n');
        if (end < 0) return;
        const dataEnd = end === 0 ? 0 : end + 2;
        const data = buf.subarray(0, dataEnd).toString('utf8');
        buf = buf.subarray(dataEnd + 3);
        const message = data.split('\r\n').map((l) => (l.startsWith('.') ? l.slice(1) : l)).join('\r\n');
        const record = { helo, auth: authUser, from: tx.from, rcpt: tx.rcpt, data, message };
        fs.appendFileSync(log, JSON.stringify(record) + '\n');
        tx = { from: null, rcpt: [] };
        mode = 'command';
        reply('250 2.0.0 Ok: queued');
        continue;
      }
      const nl = buf.indexOf('\r\n');
      if (nl < 0) return;
      const line = buf.subarray(0, nl).toString('utf8');
      buf = buf.subarray(nl + 2);
      command(line);
    }
  });
  sock.on('error', () => {});
  reply('220 sink.local ESMTP medallion test sink');
}

const server = net.createServer(session);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  fs.writeFileSync(portFile + '.tmp', String(port));
  fs.renameSync(portFile + '.tmp', portFile);
  console.log(port);
});
process.on('SIGTERM', () => process.exit(0));
