import {
  REALISTIC_TIMING,
  startFakeAnthropic,
  startFakeCohere,
  startFakeGemini,
  startFakeOpenAI,
  startFakeVoyage,
} from './index.js';

/**
 * Runs one fake vendor for e2e tests and benchmarks:
 *   tsx src/test/fake-providers/serve.ts <anthropic|openai|gemini|cohere|voyage> [port]
 * FAKE_TIMING=realistic gives every call REALISTIC_TIMING (400 ms to the first token, 15 ms a token).
 * FAKE_HOST=0.0.0.0 listens on every interface (in a container of the stack test); default loopback.
 * Prints one JSON line `{"vendor","url","baseUrl","port"}` once listening; script it over HTTP
 * (POST /__fake/script …, see fake-server.ts). Stops on SIGINT/SIGTERM.
 */
const starters = {
  anthropic: startFakeAnthropic,
  openai: startFakeOpenAI,
  gemini: startFakeGemini,
  cohere: startFakeCohere,
  voyage: startFakeVoyage,
};

const [vendor, portArg] = process.argv.slice(2);
if (!vendor || !(vendor in starters)) {
  console.error(`usage: serve.ts <${Object.keys(starters).join('|')}> [port]`);
  process.exit(2);
}
const server = await starters[vendor as keyof typeof starters]({
  port: portArg ? Number(portArg) : 0,
  ...(process.env.FAKE_HOST ? { host: process.env.FAKE_HOST } : {}),
  ...(process.env.FAKE_TIMING === 'realistic' ? { timing: REALISTIC_TIMING } : {}),
});
process.stdout.write(
  `${JSON.stringify({ vendor, url: server.url, baseUrl: server.baseUrl, port: server.port })}\n`,
);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
