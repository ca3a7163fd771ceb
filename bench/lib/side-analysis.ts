import type { DirectRequest, TurnRecord } from './worker-messages.js';
import { summarizeValues, type Summary } from './stats.js';

/** What the fake saw of one turn (its clock, ms). */
export interface FakeTurnTimings {
  classifyAt?: number;
  answerAt?: number;
  firstChunkAt?: number;
}

/** One provider request as the fake logged it. */
export interface FakeRequest {
  conversationId: string | null;
  benchId: string | null;
  isStream: boolean;
  startAt: number;
  endAt?: number;
}

export interface SideBySide {
  turns: number;
  clean: number;
  /** send → first delta, through Hintbook. */
  throughHintbook: Summary;
  /** The fake's own wait: answer request arrived → first chunk written. */
  providerOwn: Summary;
  /** Hintbook's share: through Hintbook − the provider's own wait, per turn. */
  added: Summary;
  /** send → the answer request reached the fake: store, plan, context, reservation. */
  beforeAnswerCall: Summary;
  /**
   * The same, split: a conversation's first question (stored before its answer call, which
   * needs the new conversation's row) and the follow-ups (stored beside it).
   */
  beforeAnswerCallFirst: Summary;
  beforeAnswerCallFollowUp: Summary;
  /** The fake wrote the first chunk → the client got it. */
  firstChunkPipe: Summary;
  /**
   * Requests of the same conversation that started after the send and ended before the answer
   * request: they ran while Hintbook prepared the answer (beside it, when that was slow).
   */
  roundTripsBefore: Summary;
  maxRoundTripsBefore: number;
  /**
   * Of those, the ones the answer request followed within WAITED_WITHIN_MS of their end: what a
   * pre-answer call looks like from outside (the answer call goes out as soon as it returns).
   */
  waitedFor: number;
  turnsThatWaited: number;
  summaries: number;
  classifications: number;
}

/**
 * Per turn: the first token through Hintbook against the provider's own first-token wait, and
 * how many whole provider round trips (same conversation, started after the question was sent,
 * ended before the answer request arrived) the answer waited behind.
 */
/** An answer request this soon after a call ended was, in all likelihood, waiting for it. */
export const WAITED_WITHIN_MS = 25;

export function analyseSideBySide(
  turns: TurnRecord[],
  timings: Record<string, FakeTurnTimings>,
  requests: FakeRequest[],
): SideBySide {
  const total: number[] = [];
  const own: number[] = [];
  const added: number[] = [];
  const before: number[] = [];
  const beforeCall: number[] = [];
  const beforeCallFirst: number[] = [];
  const beforeCallFollowUp: number[] = [];
  const pipe: number[] = [];
  const byConversation = new Map<string, FakeRequest[]>();
  for (const request of requests) {
    if (!request.conversationId) continue;
    const list = byConversation.get(request.conversationId) ?? [];
    list.push(request);
    byConversation.set(request.conversationId, list);
  }
  let clean = 0;
  let waitedFor = 0;
  let turnsThatWaited = 0;
  for (const turn of turns) {
    if (turn.outcome === 'ok') clean += 1;
    const fake = timings[turn.benchId];
    if (!fake?.answerAt || !fake.firstChunkAt || turn.firstDeltaAt === undefined) continue;
    const through = turn.firstDeltaAt - turn.sentAt;
    const provider = fake.firstChunkAt - fake.answerAt;
    total.push(through);
    own.push(provider);
    added.push(through - provider);
    beforeCall.push(fake.answerAt - turn.sentAt);
    (turn.turnIndex === 1 ? beforeCallFirst : beforeCallFollowUp).push(fake.answerAt - turn.sentAt);
    pipe.push(turn.firstDeltaAt - fake.firstChunkAt);
    const waited = (byConversation.get(turn.conversationId ?? '') ?? []).filter(
      (request) =>
        request.startAt >= turn.sentAt &&
        request.endAt !== undefined &&
        request.endAt <= fake.answerAt!,
    );
    before.push(waited.length);
    const followed = waited.filter(
      (request) => fake.answerAt! - request.endAt! <= WAITED_WITHIN_MS,
    );
    waitedFor += followed.length;
    if (followed.length > 0) turnsThatWaited += 1;
  }
  // A turn's stream requests: the first is its answer, any later one a summary after it.
  const streamsPerTurn = new Map<string, number>();
  for (const request of requests)
    if (request.isStream && request.benchId)
      streamsPerTurn.set(request.benchId, (streamsPerTurn.get(request.benchId) ?? 0) + 1);
  return {
    turns: turns.length,
    clean,
    throughHintbook: summarizeValues(total),
    providerOwn: summarizeValues(own),
    added: summarizeValues(added),
    beforeAnswerCall: summarizeValues(beforeCall),
    beforeAnswerCallFirst: summarizeValues(beforeCallFirst),
    beforeAnswerCallFollowUp: summarizeValues(beforeCallFollowUp),
    firstChunkPipe: summarizeValues(pipe),
    roundTripsBefore: summarizeValues(before),
    maxRoundTripsBefore: Math.max(0, ...before),
    waitedFor,
    turnsThatWaited,
    summaries: [...streamsPerTurn.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    classifications: requests.filter((request) => !request.isStream).length,
  };
}

/** The provider asked directly meanwhile, decomposed as a turn is: what the bench itself adds. */
export interface DirectShare {
  /** (request sent → first chunk at the client) − (the fake's own wait), per request. */
  added: Summary;
  /** Request sent → it reached the fake (client loop, SDK, loopback). */
  toFake: Summary;
  /** The fake wrote the first chunk → the client had it. */
  back: Summary;
}

/**
 * The same subtraction as for the turns, for requests that never pass through Hintbook: what is
 * left is the bench's own cost (client processes, the fake, loopback, CPU shared with them), the
 * floor under the turns' added latency on the same machine at the same moment.
 */
export function analyseDirectShare(
  requests: DirectRequest[],
  timings: Record<string, FakeTurnTimings>,
): DirectShare {
  const added: number[] = [];
  const toFake: number[] = [];
  const back: number[] = [];
  for (const request of requests) {
    const fake = timings[request.benchId];
    if (!fake?.answerAt || !fake.firstChunkAt) continue;
    added.push(request.firstAt - request.sentAt - (fake.firstChunkAt - fake.answerAt));
    toFake.push(fake.answerAt - request.sentAt);
    back.push(request.firstAt - fake.firstChunkAt);
  }
  return {
    added: summarizeValues(added),
    toFake: summarizeValues(toFake),
    back: summarizeValues(back),
  };
}
