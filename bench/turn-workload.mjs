// Run under valgrind by bench/metrics-instructions.ts (plain JS, the backend's build: no tsx,
// whose esbuild child valgrind would not follow). Usage:
//   node bench/turn-workload.mjs <turns> <on|off> <deltas|turn>
// `turns` turns through the turn registry and emitter, wrapped by the real instrumentTurns
// (on) or not (off). deltas: the turn starts, 90 deltas, it ends. turn: the whole turn as the
// backend records it when metrics are on: the turn starts, its
// QUERIES database queries go through the query timing wrapper (db/query-timing), the
// classification and the answer are recorded as provider calls, 90 deltas go through the
// emitter, the turn ends; the turn registry and emitter wrapped by the real instrumentTurns.
// Off: the same calls with nothing installed, as app.ts does with METRICS_RECORDING=off.
// Prints the loop's own wall time (ms), which the driver reads only from runs outside
// valgrind, to convert instructions into time on this CPU.
import { createActiveTurns } from '../backend/dist/modules/chat/active-turns.js';
import { timeQueries } from '../backend/dist/db/query-timing.js';
import { createAppMetrics } from '../backend/dist/modules/observability/metrics.js';
import { instrumentTurns } from '../backend/dist/modules/observability/turn-metrics.js';

const DELTAS_PER_TURN = 90;
/** About what a turn sends before and after its answer (question, history, usage, answer). */
const QUERIES = 10;
const turns = Number(process.argv[2]);
const isRecording = process.argv[3] === 'on';
const isWholeTurn = process.argv[4] === 'turn';

const metrics = createAppMetrics();
const raw = { activeTurns: createActiveTurns(), emitter: { toUser: () => {} } };
const { activeTurns, emitter } = isRecording
  ? instrumentTurns(metrics, raw.activeTurns, raw.emitter)
  : raw;
// A pg client's query(), answering at once; wrapped as db/client.ts wraps every connection.
const client = { query: () => Promise.resolve({ rows: [] }) };
timeQueries(client, () => (isRecording ? metrics.dbQuery : undefined));
const recordCall = isRecording ? (call) => metrics.providerCall(call, 0.0004) : () => {};
const call = (purpose) => ({
  provider: 'openai',
  model: 'gpt-5-mini',
  purpose,
  outcome: 'ok',
  durationMs: 900,
  usage: { inputTokens: 900, outputTokens: 300 },
});

const started = performance.now();
for (let t = 0; t < turns; t++) {
  const turnId = `turn-${t}`;
  const turn = activeTurns.start({ turnId, sessionId: `s-${t}`, userId: 'u' });
  if (isWholeTurn) {
    for (let q = 0; q < QUERIES; q++) await client.query('select 1');
    recordCall(call('classification'));
  }
  for (let seq = 1; seq <= DELTAS_PER_TURN; seq++)
    emitter.toUser('u', 'chat:delta', { sessionId: `s-${t}`, turnId, seq, text: ' word' });
  if (isWholeTurn) recordCall(call('answer'));
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
