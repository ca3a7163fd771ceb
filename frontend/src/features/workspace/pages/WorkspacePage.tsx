import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { NotebookStatus } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { Page } from '../../../components/Page';
import { keepCopy, resetCopy, setCopyStatus, type WorkspaceTarget } from '../api';
import { LoadingSteps } from '../components/LoadingSteps';
import { NotebookFrame } from '../components/NotebookFrame';
import { OriginalChangedNotice } from '../components/OriginalChangedNotice';
import { SaveStatusBadge } from '../components/SaveStatusBadge';
import { SplitPane } from '../components/SplitPane';
import { WorkspaceExercises } from '../components/WorkspaceExercises';
import { WorkspaceTutor } from '../components/WorkspaceTutor';
import { useWorkspaceNotebook } from '../hooks/useWorkspaceNotebook';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** What the browser lacks for running Python, checked once. */
function checkCapabilities() {
  return {
    hasWasm: typeof WebAssembly === 'object',
    isIsolated: typeof crossOriginIsolated === 'boolean' && crossOriginIsolated,
  };
}

/** The notebook on the left, the tutor on the right; saves itself. For both notebook kinds. */
export function WorkspacePage() {
  const { moduleId, notebookId, id } = useParams();
  const target = useMemo<WorkspaceTarget | null>(() => {
    if (moduleId && notebookId) return { kind: 'module_copy', moduleId, notebookId };
    if (id) return { kind: 'personal', id };
    return null;
  }, [moduleId, notebookId, id]);
  const [actionError, setActionError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [capabilities] = useState(checkCapabilities);
  const workspace = useWorkspaceNotebook(target, capabilities.hasWasm);
  const { loaded, notebook, status, setStatus, show, bridge, autosave, saveState } = workspace;
  const handleNotebookCompleted = useCallback(() => setStatus('completed'), [setStatus]);

  async function runAction(action: () => Promise<void>) {
    if (isBusy) return;
    setIsBusy(true);
    setActionError(null);
    try {
      await action();
    } catch (error) {
      setActionError(messageOf(error));
    } finally {
      setIsBusy(false);
    }
  }

  async function reloadFromServer() {
    await runAction(workspace.reload);
  }

  async function keepMine() {
    if (autosave === null) return;
    if (
      !window.confirm('Keep your version? It replaces the one saved elsewhere, which is then gone.')
    ) {
      return;
    }
    await runAction(workspace.keepMine);
  }

  async function changeStatus(next: NotebookStatus) {
    if (target?.kind !== 'module_copy') return;
    await runAction(async () => setStatus(await setCopyStatus(target, next)));
  }

  async function resetToOriginal() {
    if (target?.kind !== 'module_copy') return;
    if (!window.confirm('Reset to the original? All your changes to this notebook are lost.')) {
      return;
    }
    await runAction(async () => show(await resetCopy(target)));
  }

  const title = notebook?.title ?? 'Notebook';
  const backLink =
    target?.kind === 'personal'
      ? { to: '/modules#your-notebooks', label: 'Your notebooks' }
      : { to: '/modules', label: 'Modules' };

  return (
    <Page title={title} heading={title} width="wide">
      <div className="workspace">
        <div className="workspace-toolbar">
          <Link to={backLink.to}>← {backLink.label}</Link>
          <SaveStatusBadge
            state={saveState}
            onRetry={() => void autosave?.flush()}
            onReloadServerVersion={() => void reloadFromServer()}
            onKeepMine={() => void keepMine()}
          />
          {target?.kind === 'module_copy' && status ? (
            <div className="workspace-actions">
              {status === 'completed' ? (
                <Button variant="secondary" onClick={() => void changeStatus('in_progress')}>
                  Mark as in progress
                </Button>
              ) : (
                <Button variant="secondary" onClick={() => void changeStatus('completed')}>
                  Mark as completed
                </Button>
              )}
              <span className="workspace-status">
                {status === 'completed'
                  ? 'Completed'
                  : status === 'in_progress'
                    ? 'In progress'
                    : 'Not started'}
              </span>
              <Button variant="quiet" onClick={() => void resetToOriginal()}>
                Reset to original
              </Button>
            </div>
          ) : null}
        </div>
        {actionError ? <Alert tone="error">{actionError}</Alert> : null}
        {!capabilities.hasWasm ? (
          <Alert tone="error">
            This browser cannot run Python here: it has no WebAssembly support (or it is switched
            off). Use a current Chrome, Edge, Firefox or Safari.
          </Alert>
        ) : !capabilities.isIsolated ? (
          <Alert tone="info">
            This page is not cross-origin isolated, so Python may run more slowly and
            <code> input()</code> may not work. Ask your administrator to check the server setup.
          </Alert>
        ) : null}
        {notebook?.copy?.originalUpdated && target?.kind === 'module_copy' ? (
          <OriginalChangedNotice
            onKeep={() => runAction(async () => workspace.setCopy((await keepCopy(target)).copy))}
            onStartOver={() => runAction(async () => show(await resetCopy(target)))}
          />
        ) : null}
        {loaded.status === 'failed' ? (
          <Alert tone="error">{loaded.message}</Alert>
        ) : (
          // Mounted while the notebook itself still loads: the notebook app and its kernel start
          // meanwhile (the bridge hands the notebook over once both are there), and the frame
          // keeps its place in the tree, so it is not reloaded when the notebook arrives.
          <SplitPane
            label="Resize the notebook and the tutor"
            storageKey="hintbook.workspace.split"
            left={
              <div className="workspace-notebook">
                {capabilities.hasWasm ? (
                  <>
                    <LoadingSteps phase={bridge.phase} startedAt={bridge.startedAt} />
                    <NotebookFrame
                      frameRef={bridge.frameRef}
                      src={bridge.src}
                      title={title}
                      isHidden={bridge.phase.step === 'loading-app'}
                    />
                  </>
                ) : null}
              </div>
            }
            right={
              notebook === null ? (
                <p className="loading" role="status">
                  Loading the notebook…
                </p>
              ) : (
                <div className="workspace-side">
                  {target?.kind === 'module_copy' ? (
                    <WorkspaceExercises
                      moduleId={target.moduleId}
                      notebookId={target.notebookId}
                      runInKernel={bridge.runCheck}
                      canCheck={
                        bridge.phase.step === 'starting-python' || bridge.phase.step === 'ready'
                      }
                      onNotebookCompleted={handleNotebookCompleted}
                    />
                  ) : null}
                  <WorkspaceTutor
                    notebook={notebook.ref}
                    getContext={bridge.readContext}
                    cellsRun={bridge.cellsRun}
                  />
                </div>
              )
            }
          />
        )}
      </div>
    </Page>
  );
}
