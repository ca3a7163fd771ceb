import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUsageEvent } from './usage.repository.js';
import { registerThroughApi } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { checkTurnLimits, OVERLAP_MARGIN_TURNS, reserveTurn } from './quota.service.js';

/** When may an answer call start beside its hold (quota.service.ts, turn.service.ts)? */
describe('room to start a turn beside its hold', () => {
  const DAILY = 100_000;
  const ESTIMATE = { tokens: 5_000, costUsd: 0 };
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CHAT_DAILY_TOKENS: String(DAILY), CHAT_WEEKLY_TOKENS: '0' });
  });
  afterAll(() => t.close());

  const deps = () => ({ db: t.database.db, limits: t.config.chat, clock: t.clock });
  const noQuestions = async () => 0;
  async function studentWithLeft(left: number) {
    const user = await registerThroughApi(t.app);
    await insertUsageEvent(t.database.db, {
      userId: user.body.user.id,
      purpose: 'answer',
      provider: 'openai',
      model: 'gpt-5-mini',
      inputTokens: DAILY - left,
      outputTokens: 0,
      outcome: 'ok',
      createdAt: t.clock(),
    });
    return user.body.user.id;
  }

  it('starts beside the hold only with the margin left, counting the turns running here', async () => {
    const margin = OVERLAP_MARGIN_TURNS * ESTIMATE.tokens;
    const far = await studentWithLeft(margin + 2 * ESTIMATE.tokens);
    expect(await checkTurnLimits(deps(), far, ESTIMATE, noQuestions, 0)).toMatchObject({
      hasRoomToOverlap: true,
    });
    // Three turns running here could each take their estimate first.
    expect(await checkTurnLimits(deps(), far, ESTIMATE, noQuestions, 3)).toMatchObject({
      hasRoomToOverlap: false,
    });
    const near = await studentWithLeft(margin - 1);
    expect(await checkTurnLimits(deps(), near, ESTIMATE, noQuestions, 0)).toMatchObject({
      hasRoomToOverlap: false,
    });
  });

  it('counts what a hold took for the next turn, without reading again', async () => {
    const margin = OVERLAP_MARGIN_TURNS * ESTIMATE.tokens;
    const userId = await studentWithLeft(margin + ESTIMATE.tokens / 2);
    const checked = await checkTurnLimits(deps(), userId, ESTIMATE, noQuestions, 0);
    expect(checked.hasRoomToOverlap).toBe(true);
    await reserveTurn(deps(), userId, ESTIMATE, checked.limits);
    // The hold is still running: what it holds leaves less than the margin.
    expect(await checkTurnLimits(deps(), userId, ESTIMATE, noQuestions, 0)).toMatchObject({
      hasRoomToOverlap: false,
    });
  });

  it('refuses a student over the rate limit before anything else', async () => {
    const userId = await studentWithLeft(DAILY);
    await expect(
      checkTurnLimits(deps(), userId, ESTIMATE, async () => t.config.chat.turnsPerMinute, 0),
    ).rejects.toMatchObject({ code: 'chat.rate_limited' });
  });
});
