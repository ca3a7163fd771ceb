import type { NotebookContext } from '@hintbook/contracts';
import {
  createRedactionVault,
  createStreamRestorer,
  type RedactionVault,
} from '../../ai/privacy/redaction.js';
import type { RedactionKind } from '../../ai/privacy/redaction-patterns.js';
import type { LlmMessage } from '../../ai/types.js';
import type { Tutor } from './tutor.types.js';

/**
 * The tutor as one turn uses it when redaction is on: every request's messages pass the turn's
 * vault on the way out (the system prompt is ours and holds no student text), and what comes
 * back has the placeholders turned back into the student's values — the streamed answer, the
 * classifier's problem summary and the conversation summary, so what we store reads as written
 * and is redacted afresh next time it is sent.
 *
 * Secrets are restored too: they came from this student and go back only to them, and an answer
 * that says "move ⟦SECRET_1⟧ into an environment variable" would only confuse.
 *
 * The answer guard sits after this, so it judges the text the student will see.
 */
export function withRedaction(tutor: Tutor, vault: RedactionVault): Tutor {
  const redact = (request: { system: string; messages: LlmMessage[] }) => ({
    system: request.system,
    messages: request.messages.map((message) => ({
      ...message,
      content: vault.redact(message.content),
    })),
  });
  return {
    isConfigured: () => tutor.isConfigured(),
    isDemo: () => tutor.isDemo(),
    async classify(request, owner, signal) {
      const verdict = await tutor.classify(redact(request), owner, signal);
      return verdict && { ...verdict, problemSummary: vault.restore(verdict.problemSummary) };
    },
    async summarize(request, owner) {
      const summary = await tutor.summarize(redact(request), owner);
      return summary && vault.restore(summary);
    },
    async *streamAnswer(request, owner, signal) {
      // A stream cut off mid-placeholder drops that prefix: only `⟦…` is ever held back.
      const restorer = createStreamRestorer(vault);
      for await (const event of tutor.streamAnswer(redact(request), owner, signal)) {
        if (event.type === 'delta') {
          const text = restorer.push(event.text);
          if (text) yield { type: 'delta', text };
          continue;
        }
        const rest = restorer.flush();
        if (rest) yield { type: 'delta', text: rest };
        yield event;
      }
    },
  };
}

/**
 * The notebook snapshot with every text field redacted, before the request builders cut it to
 * their budgets: a value cut in half there would no longer be recognised.
 */
export function redactNotebookContext(
  context: NotebookContext | undefined,
  redact: (text: string) => string,
): NotebookContext | undefined {
  if (!context) return undefined;
  const { lastError } = context;
  return {
    ...context,
    ...(context.activeCellSource !== undefined
      ? { activeCellSource: redact(context.activeCellSource) }
      : {}),
    ...(context.activeCellOutputs
      ? { activeCellOutputs: context.activeCellOutputs.map(redact) }
      : {}),
    ...(lastError
      ? {
          lastError: {
            ename: lastError.ename,
            evalue: redact(lastError.evalue),
            ...(lastError.traceback !== undefined
              ? { traceback: redact(lastError.traceback) }
              : {}),
          },
        }
      : {}),
  };
}

/**
 * One vault for every call of a turn (the summary after it too), so a value has one placeholder
 * in all of them. Made where the turn's first outbound text is: the send, for reads started
 * beside its checks, else the turn itself.
 */
export function createTurnVault(
  deps: { privacy: { redactionKinds: ReadonlySet<RedactionKind> } },
  user: { username: string; email: string },
): RedactionVault {
  return createRedactionVault({
    kinds: deps.privacy.redactionKinds,
    identity: { names: [user.username], email: user.email },
  });
}
