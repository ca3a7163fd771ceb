/** The pedagogy core: hint-level rules, the classifier's contract, the tutor's prompts, budgets. */
export * from './hint-levels.js';
export * from './effort-rules.js';
export {
  findEvidence,
  fingerprintMessage,
  NO_EVIDENCE,
  readMessage,
  snapshotNotebook,
  strengthOf,
  type Evidence,
  type EvidenceStrength,
  type NotebookSnapshot,
} from './evidence.js';
export {
  buildClassificationRequest,
  classificationSchema,
  classifyTurn,
  type Classification,
  type ClassificationRequestInput,
} from './classification.js';
export {
  buildSummaryRequest,
  buildTutorSystemPrompt,
  buildTutorUserTurn,
  GUARD_FALLBACK_ANSWER,
  GUARD_RETRY_INSTRUCTION,
  hintCue,
  MATHS_LEVEL_INSTRUCTIONS,
  PROGRAMMING_LEVEL_INSTRUCTIONS,
  SUMMARY_MAX_WORDS,
  SUMMARY_SYSTEM_PROMPT,
  type SummaryRequestInput,
  type TutorContextInput,
  type TutorPromptInput,
} from './prompts.js';
export {
  CHARS_PER_TOKEN,
  estimateMessageTokens,
  estimateTokens,
  fitToBudget,
  MESSAGE_OVERHEAD_TOKENS,
  type FitResult,
} from './token-estimate.js';
export { formatNotebookContext } from './data-blocks.js';
export {
  checkAnswer,
  createStreamGuard,
  DEFAULT_GUARD_LIMITS,
  isGuarded,
  type GuardLimits,
  type GuardOptions,
  type GuardTrip,
  type GuardTripReason,
  type StreamGuard,
} from './answer-guard.js';
export {
  readSessionState,
  readUserState,
  sessionPedagogyStateSchema,
  userPedagogyStateSchema,
} from './state-schemas.js';
