// Counts a backend's socket writes, to see how many XADDs share one write to Redis.
//
//   BENCH_BACKEND_NODE_FLAGS="--require ./bench/redis-writes-probe.cjs" node --import tsx bench/replicas.ts …
//
// Every 5 s each backend appends one line to bench/results/redis-writes.log: its pid, then for
// those 5 s the write calls on its Redis connections (remote port 6379: the adapter's publisher,
// its XREAD reader, pub/sub), the XADD, XREAD and other commands in them, and the write calls on
// every other socket (WebSocket frames to the students, HTTP answers). Node gives each `_write`
// or `_writev` of a socket to libuv as one write attempt: one write/writev system call when the
// kernel takes it all, as loopback does (checked with strace on a small script, bench/README.md).
// Not loaded by anything by default.
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');

const REDIS_PORT = 6379;
const INTERVAL_MS = Number(process.env.REDIS_WRITES_INTERVAL_MS ?? 5_000);
const logFile = path.join(__dirname, 'results', 'redis-writes.log');
const counts = { redisWrites: 0, xadd: 0, xread: 0, otherCommands: 0, otherWrites: 0 };
let last = { ...counts };

function countCommands(chunk) {
  // node-redis writes each command as RESP: "*<n>\r\n$<len>\r\n<NAME>\r\n…" (strings or buffers).
  const text =
    typeof chunk === 'string'
      ? chunk
      : Buffer.isBuffer(chunk)
        ? chunk.toString('latin1', 0, 64)
        : '';
  for (const [, name] of text.matchAll(/^\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n/gm)) {
    if (name === 'XADD') counts.xadd++;
    else if (name === 'XREAD') counts.xread++;
    else counts.otherCommands++;
  }
}

const originalWritev = net.Socket.prototype._writev;
net.Socket.prototype._writev = function (chunks, callback) {
  if (this.remotePort === REDIS_PORT) {
    counts.redisWrites++;
    for (const { chunk } of chunks) countCommands(chunk);
  } else counts.otherWrites++;
  return originalWritev.call(this, chunks, callback);
};
const originalWrite = net.Socket.prototype._write;
net.Socket.prototype._write = function (data, encoding, callback) {
  if (this.remotePort === REDIS_PORT) {
    counts.redisWrites++;
    countCommands(data);
  } else counts.otherWrites++;
  return originalWrite.call(this, data, encoding, callback);
};

setInterval(() => {
  const delta = Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, n - last[key]]));
  last = { ...counts };
  const line = { at: new Date().toISOString(), pid: process.pid, ...delta };
  fs.appendFileSync(logFile, `${JSON.stringify(line)}\n`);
}, INTERVAL_MS).unref();
