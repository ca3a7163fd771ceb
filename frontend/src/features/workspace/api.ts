import {
  copyStatusResponseSchema,
  listSessionsResponseSchema,
  notebookCopyResponseSchema,
  notebookVersionResponseSchema,
  personalNotebookResponseSchema,
  saveNotebookResponseSchema,
  type ChatSession,
  type NotebookContent,
  type NotebookCopy,
  type NotebookRef,
  type NotebookStatus,
  type SaveNotebookResponse,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';
import type { BridgeDataFile, NotebookJSON } from '../../lib/jupyterlite-bridge';

/** Which notebook a workspace shows: a module notebook (through the student's copy) or their own. */
export type WorkspaceTarget =
  { kind: 'module_copy'; moduleId: string; notebookId: string } | { kind: 'personal'; id: string };

/** Everything the workspace needs to open a notebook, whichever kind it is. */
export interface WorkspaceNotebook {
  /** The chat's notebook reference: the copy id for module notebooks. */
  ref: NotebookRef;
  title: string;
  content: NotebookContent;
  version: number;
  files: BridgeDataFile[];
  /** Module copies only. */
  copy: NotebookCopy | null;
}

/** Keepalive requests may carry at most 64 KiB; larger saves on unload go out as usual. */
const KEEPALIVE_MAX_BYTES = 60 * 1024;

function copyPath(target: Extract<WorkspaceTarget, { kind: 'module_copy' }>): string {
  return `/api/modules/${encodeURIComponent(target.moduleId)}/notebooks/${encodeURIComponent(target.notebookId)}/copy`;
}

function fromCopy(copy: NotebookCopy): WorkspaceNotebook {
  return {
    ref: { kind: 'module_copy', id: copy.id },
    title: copy.title,
    content: copy.content,
    version: copy.version,
    files: copy.files.map((file) => ({
      name: file.path,
      encoding: 'base64',
      content: file.contentBase64,
    })),
    copy,
  };
}

/** Loads the notebook; for a module notebook this creates the student's copy on first open. */
export async function loadWorkspaceNotebook(
  target: WorkspaceTarget,
  signal?: AbortSignal,
): Promise<WorkspaceNotebook> {
  if (target.kind === 'module_copy') {
    const { copy } = await apiClient.request(copyPath(target), {
      schema: notebookCopyResponseSchema,
      signal,
    });
    return fromCopy(copy);
  }
  const { notebook } = await apiClient.request(`/api/notebooks/${encodeURIComponent(target.id)}`, {
    schema: personalNotebookResponseSchema,
    signal,
  });
  return {
    ref: { kind: 'personal', id: notebook.id },
    title: notebook.title,
    content: notebook.content,
    version: notebook.version,
    files: [],
    copy: null,
  };
}

/**
 * The stored version alone, without the notebook: "keep mine" after a conflict needs only the
 * number to save on top of, and a notebook can be megabytes.
 */
export async function loadWorkspaceNotebookVersion(target: WorkspaceTarget): Promise<number> {
  const path =
    target.kind === 'module_copy'
      ? `${copyPath(target)}/version`
      : `/api/notebooks/${encodeURIComponent(target.id)}/version`;
  const { version } = await apiClient.request(path, { schema: notebookVersionResponseSchema });
  return version;
}

/** Stores the content on top of `baseVersion`; a stale base is refused with a 409. */
export function saveWorkspaceNotebook(
  target: WorkspaceTarget,
  content: NotebookJSON,
  baseVersion: number,
  options: { isUnloading?: boolean } = {},
): Promise<SaveNotebookResponse> {
  const body = { content, baseVersion };
  const keepalive =
    options.isUnloading === true && JSON.stringify(body).length < KEEPALIVE_MAX_BYTES;
  const path =
    target.kind === 'module_copy'
      ? copyPath(target)
      : `/api/notebooks/${encodeURIComponent(target.id)}`;
  return apiClient.request(path, {
    method: 'PUT',
    body,
    keepalive,
    schema: saveNotebookResponseSchema,
  });
}

export async function setCopyStatus(
  target: Extract<WorkspaceTarget, { kind: 'module_copy' }>,
  status: NotebookStatus,
): Promise<NotebookStatus> {
  const response = await apiClient.request(copyPath(target), {
    method: 'PATCH',
    body: { status },
    schema: copyStatusResponseSchema,
  });
  return response.status;
}

/** Replaces the copy with the current original (the student's work is gone). */
export async function resetCopy(
  target: Extract<WorkspaceTarget, { kind: 'module_copy' }>,
): Promise<WorkspaceNotebook> {
  const { copy } = await apiClient.request(`${copyPath(target)}/reset`, {
    method: 'POST',
    schema: notebookCopyResponseSchema,
  });
  return fromCopy(copy);
}

/** Keeps the student's copy although the original changed (the notice goes away). */
export async function keepCopy(
  target: Extract<WorkspaceTarget, { kind: 'module_copy' }>,
): Promise<WorkspaceNotebook> {
  const { copy } = await apiClient.request(`${copyPath(target)}/keep`, {
    method: 'POST',
    schema: notebookCopyResponseSchema,
  });
  return fromCopy(copy);
}

/** The notebook's conversations with the tutor, newest activity first. */
export async function listNotebookSessions(
  notebookId: string,
  signal?: AbortSignal,
): Promise<ChatSession[]> {
  const search = new URLSearchParams({ notebookId });
  const { sessions } = await apiClient.request(`/api/chat/sessions?${search}`, {
    schema: listSessionsResponseSchema,
    signal,
  });
  return sessions;
}
