import type { Server as HttpServer } from 'node:http';
import type { Logger } from '../lib/logger.js';
import type { ActiveTurns } from '../modules/chat/active-turns.js';
import type { HintbookServer } from '../realtime/io.js';

/** Flipped once, on SIGTERM: readiness fails and no new turn starts here. */
export interface DrainSwitch {
  isDraining(): boolean;
  start(): void;
}

export function createDrainSwitch(): DrainSwitch {
  let draining = false;
  return {
    isDraining: () => draining,
    start: () => {
      draining = true;
    },
  };
}

export interface DrainDeps {
  drain: DrainSwitch;
  server: HttpServer;
  io: HintbookServer;
  activeTurns: ActiveTurns;
  logger: Logger;
  /** How long running answers may take to finish. */
  timeoutMs: number;
  /** Other replicas share this one's rooms through Redis: sockets can move there at once. */
  hasPeers: boolean;
}

/**
 * A rolling upgrade's first half for one replica: stop taking work, let the answers in flight
 * finish (bounded), and resolve with how many are still running (main.ts interrupts those).
 *
 * With peers, every socket is closed at once (a transport close, so the client reconnects by
 * itself and recovers its session on another replica) while this replica keeps streaming its
 * answers through Redis to wherever the student's socket now is.
 */
export async function drainReplica(deps: DrainDeps): Promise<number> {
  deps.drain.start();
  // No new connections; requests already on open connections still get their answer.
  deps.server.close();
  deps.server.closeIdleConnections();
  if (deps.hasPeers) {
    for (const socket of deps.io.of('/').sockets.values()) socket.conn.close();
  }
  const deadline = Date.now() + deps.timeoutMs;
  let running = deps.activeTurns.running().length;
  if (running > 0) deps.logger.info({ running }, 'draining: waiting for answers in flight');
  while (running > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    running = deps.activeTurns.running().length;
  }
  return running;
}
