/** Local stand-ins for the AI vendors' HTTP APIs; see fake-server.ts for scripting. */
export { startFakeAnthropic, anthropicRenderer } from './anthropic.js';
export { startFakeOpenAI, openaiRenderer } from './openai.js';
export { startFakeGemini, geminiRenderer } from './gemini.js';
export { startFakeCohere, cohereRenderer } from './cohere.js';
export { startFakeVoyage, voyageRenderer } from './voyage.js';
export {
  promptTokensOf,
  REALISTIC_TIMING,
  startFakeServer,
  type FakeScript,
  type FakeTiming,
  type FakeServer,
  type RecordedCall,
  type StartOptions,
  type VendorRenderer,
} from './fake-server.js';
