import { useCallback, useEffect, useRef, useState } from 'react';
import type { NotebookContext, NotebookRef } from '@hintbook/contracts';
import { Button } from '../../../components/Button';
import { useCurrentUser } from '../../auth/hooks/useAuth';
import { ChatConversation, type SessionLookup } from '../../chat/components/ChatConversation';
import { ConnectionBadge } from '../../chat/components/ConnectionBadge';
import { useChatSession } from '../../chat/hooks/useChatSession';
import { useChatSocket, useConnectionState } from '../../chat/hooks/useChatSocket';
import { useMyUsage } from '../../chat/hooks/useMyUsage';
import { listNotebookSessions } from '../api';
import { TutorSees } from './TutorSees';

const TUTOR_SEES_ID = 'workspace-tutor-sees';

interface WorkspaceTutorProps {
  notebook: NotebookRef;
  /** The live notebook (active cell, last error), read just before each question. */
  getContext(): Promise<NotebookContext | undefined>;
  /** Changes whenever a cell finished running: the cell and error shown may be out of date. */
  cellsRun: number;
}

/**
 * The tutor beside the notebook: the chat page's conversation, scoped to this notebook. It picks
 * up the notebook's latest conversation; the first question otherwise starts one.
 */
export function WorkspaceTutor({ notebook, getContext, cellsRun }: WorkspaceTutorProps) {
  const user = useCurrentUser();
  const connection = useChatSocket();
  const connectionState = useConnectionState(connection);
  const { usage, refresh: refreshUsage } = useMyUsage();
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [lookup, setLookup] = useState<SessionLookup>({ status: 'loading' });
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const [seen, setSeen] = useState<NotebookContext | undefined>(undefined);
  const seenReads = useRef(0);

  /** Reads what the next question would carry; only the latest read is shown. */
  const readSeen = useCallback(async () => {
    const read = ++seenReads.current;
    const context = await getContext();
    if (read === seenReads.current) setSeen(context);
  }, [getContext]);
  const isSeenShown = seen !== undefined;

  // Once shown, the line follows the notebook: a cell run in it (a new error, another cell) is
  // shown without the student having to leave the question box and come back. Only a new run
  // asks again; the line's first showing is the focus's read.
  const cellsRunSeen = useRef(cellsRun);
  useEffect(() => {
    if (cellsRunSeen.current === cellsRun) return;
    cellsRunSeen.current = cellsRun;
    if (isSeenShown) void readSeen();
  }, [cellsRun, isSeenShown, readSeen]);

  useEffect(() => {
    const controller = new AbortController();
    listNotebookSessions(notebook.id, controller.signal).then(
      (sessions) => {
        setSessionId(sessions[0]?.id ?? null);
        setLookup({ status: 'done' });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLookup({
          status: 'failed',
          message: error instanceof Error ? error.message : 'Could not load the conversation.',
        });
      },
    );
    return () => controller.abort();
  }, [notebook.id]);

  const noop = useCallback(() => {}, []);
  const chat = useChatSession(sessionId, connection, {
    notebook,
    getContext,
    onSessionCreated: setSessionId,
    onSessionsChanged: noop,
    onUsageChanged: refreshUsage,
  });
  const isTurnActive = chat.state.turn !== null;
  const draftKey = `${user.id}:notebook:${notebook.id}:${sessionId ?? 'new'}`;

  return (
    <section
      className="workspace-tutor"
      aria-labelledby="workspace-tutor-title"
      onFocus={(event) => {
        // Moving into the question box, from the notebook or after an answer: read it afresh.
        if (event.target === composerRef.current) void readSeen();
      }}
    >
      <div className="workspace-tutor-header">
        <h2 id="workspace-tutor-title" className="workspace-tutor-title">
          Tutor
        </h2>
        <ConnectionBadge state={connectionState} onRetry={connection.retryNow} />
        {sessionId && !isTurnActive ? (
          <Button
            variant="quiet"
            onClick={() => {
              setSessionId(null);
              composerRef.current?.focus();
            }}
          >
            New conversation
          </Button>
        ) : null}
      </div>
      <ChatConversation
        chat={chat}
        connectionState={connectionState}
        usage={usage}
        draftKey={draftKey}
        composerRef={composerRef}
        sessionLookup={lookup}
        aboveComposer={{ node: <TutorSees id={TUTOR_SEES_ID} context={seen} />, id: TUTOR_SEES_ID }}
        emptyHint={
          <p>
            Stuck on a cell or an error? Ask here. The tutor sees the cell you are on and the last
            error, and starts with hints.
          </p>
        }
      />
    </section>
  );
}
