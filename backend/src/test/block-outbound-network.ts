import net from 'node:net';

/**
 * Tests may talk to this machine only. Any connection to another host fails loudly, so a test
 * that would call a real provider or registry cannot pass by accident.
 */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;
const originalConnect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
  const [first, second] = args as [unknown, unknown];
  const options =
    typeof first === 'object' && first !== null
      ? (first as { host?: string; path?: string })
      : { host: typeof second === 'string' ? second : 'localhost' };
  const host = options.host ?? 'localhost';
  if (!('path' in options && options.path) && !LOOPBACK.test(host)) {
    throw new Error(`Blocked outbound connection to ${host} during tests`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
