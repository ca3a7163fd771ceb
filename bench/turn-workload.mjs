// Run under valgrind by bench/metrics-instructions.ts (plain JS, the backend's build: no tsx,
// whose esbuild child valgrind would not follow). Usage:
//   node bench/turn-workload.mjs <turns> <on|off>
// `turns` turns of 90 deltas each through the backend's turn registry and emitter, with the
// real turn instrumentation (instrumentTurns, what app.ts wraps them in when metrics record)
// or without it. Prints the loop's own wall time (ms), which the driver reads only from runs
// outside valgrind, to convert instructions into time on this CPU.
import { createActiveTurns } from '../backend/dist/modules/chat/active-turns.js';
import { createAppMetrics } from '../backend/dist/modules/observability/metrics.js';
import { instrumentTurns } from '../backend/dist/modules/observability/turn-metrics.js';

const DELTAS_PER_TURN = 90;
const turns = Number(process.argv[2]);
const isInstrumented = process.argv[3] === 'on';

const raw = { activeTurns: createActiveTurns(), emitter: { toUser: () => {} } };
const { activeTurns, emitter } = isInstrumented
  ? instrumentTurns(createAppMetrics(), raw.activeTurns, raw.emitter)
  : raw;
const started = performance.now();
for (let t = 0; t < turns; t++) {
  const turnId = `turn-${t}`;
  const turn = activeTurns.start({ turnId, sessionId: `s-${t}`, userId: 'u' });
  for (let seq = 1; seq <= DELTAS_PER_TURN; seq++)
    emitter.toUser('u', 'chat:delta', { sessionId: `s-${t}`, turnId, seq, text: ' word' });
  activeTurns.finish(turn, {
    name: 'chat:done',
    payload: {
      sessionId: `s-${t}`,
      turnId,
      messageId: turnId,
      status: 'complete',
      content: '',
      usage: { inputTokens: 1, outputTokens: 1 },
    },
  });
}
process.stdout.write(`${performance.now() - started}\n`);
