/**
 * What the chaos tests count: for each answer, what reached the student against what the
 * database stored. An answer is **lost** when the student never got its end, a delta is
 * missing, the stored row is missing or still streaming, or the stored text differs from what
 * the student was finally shown (an interrupted answer keeps a prefix of what streamed: the text
 * after the last flush died with its replica). It is **duplicated** when the student got two
 * terminal events, two different texts for one delta, or the database holds a question twice
 * or two visible answers to one question. Each test file writes its counts to
 * e2e/artifacts/chaos/<file>.json; bench/replicas.ts prints their sum in its table.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChatStudent } from './chat-student.js';
import { repoRoot } from './nginx.js';

export interface TurnAudit {
  turnId: string;
  /** The stored status (complete, interrupted, error, streaming) or `missing`. */
  status: string;
  deltas: number;
  /** Deltas received more than once with the same text (harmless: the client keys by seq). */
  repeatedDeltas: number;
  isLost: boolean;
  isDuplicated: boolean;
  problems: string[];
}

type Sql = (statement: string) => Promise<string>;

const uuid = /^[0-9a-f-]{36}$/;

export async function auditTurn(
  student: ChatStudent,
  turnId: string,
  sql: Sql,
): Promise<TurnAudit> {
  if (!uuid.test(turnId)) throw new Error(`not a turn id: ${turnId}`);
  // A second ending, or deltas after the end, must have had time to arrive.
  await student.settled(turnId);
  const problems: string[] = [];
  let isLost = false;
  let isDuplicated = false;
  const lose = (problem: string) => {
    isLost = true;
    problems.push(problem);
  };
  const duplicate = (problem: string) => {
    isDuplicated = true;
    problems.push(problem);
  };

  const bySeq = new Map<number, string>();
  let repeatedDeltas = 0;
  let shown = '';
  for (const delta of student.deltasOf(turnId)) {
    const seen = bySeq.get(delta.seq);
    if (seen !== undefined) {
      repeatedDeltas += 1;
      if (seen !== delta.text) duplicate(`delta ${delta.seq} arrived with two different texts`);
      continue;
    }
    bySeq.set(delta.seq, delta.text);
  }
  const seqs = [...bySeq.keys()].sort((a, b) => a - b);
  seqs.forEach((seq, index) => {
    if (seq !== index + 1) lose(`delta ${index + 1} never arrived (got ${seq} next)`);
  });
  for (const seq of seqs) {
    const text = bySeq.get(seq)!;
    const delta = student.deltasOf(turnId).find((each) => each.seq === seq)!;
    shown = delta.replace ? text : shown + text;
  }

  const terminals = student.terminalsOf(turnId);
  if (terminals.length === 0) lose('the student never got the end of the answer');
  if (terminals.length > 1) {
    duplicate(`${terminals.length} terminal events: ${terminals.map((t) => t.name).join(', ')}`);
  }
  const terminal = terminals[0];
  if (terminal) {
    const endedAt = student.arrivalOf(terminal.payload);
    const late = student.events.filter(
      (event) =>
        event.name === 'chat:delta' && event.payload.turnId === turnId && event.at > endedAt,
    ).length;
    if (late > 0) duplicate(`${late} deltas arrived after the answer ended`);
  }

  const row = await sql(
    `select json_build_object('status', status, 'content', content, 'session', session_id,
       'question', reply_to_id) from messages where id = '${turnId}'`,
  );
  if (!row) {
    lose('no answer row stored');
    return {
      turnId,
      status: 'missing',
      deltas: seqs.length,
      repeatedDeltas,
      isLost,
      isDuplicated,
      problems,
    };
  }
  const stored = JSON.parse(row) as {
    status: string;
    content: string;
    session: string;
    question: string;
  };
  if (stored.status === 'streaming') lose('the stored answer is still streaming');
  const finalText = terminal?.payload.content;
  if (stored.status === 'complete') {
    if (stored.content !== shown) lose('the stored answer differs from the deltas received');
    if (terminal && finalText !== stored.content)
      lose('chat:done carried another text than stored');
  } else if (terminal) {
    // Interrupted or failed: the student is shown the terminal event's text, which must be
    // what is kept, and it can only be what streamed so far.
    if (finalText !== stored.content) lose('the kept text differs from what the student is shown');
    if (!shown.startsWith(stored.content)) lose('the kept text is not what streamed');
  }

  const doubled = await sql(
    `select count(*) from (select reply_to_id from messages where session_id = '${stored.session}'
       and role = 'assistant' and replaced_at is null group by reply_to_id having count(*) > 1) d`,
  );
  if (doubled !== '0') duplicate('a question has two visible answers');
  const questions = await sql(
    `select count(*) from messages where session_id = '${stored.session}' and role = 'user'
       and client_message_id = (select client_message_id from messages where id = '${stored.question}')`,
  );
  if (questions !== '1') duplicate(`the question is stored ${questions} times`);
  return {
    turnId,
    status: stored.status,
    deltas: seqs.length,
    repeatedDeltas,
    isLost,
    isDuplicated,
    problems,
  };
}

export interface ChaosRecord {
  file: string;
  finishedAt: string;
  answers: number;
  lost: number;
  duplicated: number;
  repeatedDeltas: number;
  byTest: Record<string, { answers: number; lost: number; duplicated: number }>;
}

/** Collects one file's audits; `write()` saves them for bench/replicas.ts. */
export function createChaosRecord(file: string) {
  const byTest: ChaosRecord['byTest'] = {};
  let repeatedDeltas = 0;
  return {
    add(test: string, audits: TurnAudit[]) {
      const entry = (byTest[test] ??= { answers: 0, lost: 0, duplicated: 0 });
      for (const audit of audits) {
        entry.answers += 1;
        if (audit.isLost) entry.lost += 1;
        if (audit.isDuplicated) entry.duplicated += 1;
        repeatedDeltas += audit.repeatedDeltas;
      }
    },
    async write() {
      const tests = Object.values(byTest);
      const record: ChaosRecord = {
        file,
        finishedAt: new Date().toISOString(),
        answers: tests.reduce((sum, test) => sum + test.answers, 0),
        lost: tests.reduce((sum, test) => sum + test.lost, 0),
        duplicated: tests.reduce((sum, test) => sum + test.duplicated, 0),
        repeatedDeltas,
        byTest,
      };
      const dir = path.join(repoRoot, 'e2e', 'artifacts', 'chaos');
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, `${file}.json`), `${JSON.stringify(record, null, 2)}\n`);
    },
  };
}
