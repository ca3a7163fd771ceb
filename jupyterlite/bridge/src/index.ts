/** JupyterLite plugin: starts the Hintbook bridge when the workspace runs inside the SPA. */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker } from '@jupyterlab/notebook';
import { patchSharedAnswerWrites, patchWaitAsync } from './atomics-fix';
import { Bridge } from './bridge';
import { answerServerContentsLocally } from './no-server-contents';
import { KernelPrestart } from './prestart';
import { readBridgeSettings } from './origins';
import { Workspace } from './workspace';

// At module load, before the kernel extension imports coincident on first kernel start.
patchWaitAsync();
patchSharedAnswerWrites();
answerServerContentsLocally(PageConfig.getBaseUrl());

/**
 * Starts the kernel early (prestart.ts). Its own plugin without requirements, so that it
 * activates as soon as the app activates plugins, not after the notebook plugins.
 */
let prestart: KernelPrestart | null = null;
const prestartPlugin: JupyterFrontEndPlugin<void> = {
  id: '@hintbook/jupyterlite-bridge:kernel-prestart',
  description: 'Starts the Python kernel while the app loads, for the notebook the SPA opens.',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    if (window.parent === window) {
      return;
    }
    prestart = new KernelPrestart(app);
  },
};

const plugin: JupyterFrontEndPlugin<void> = {
  id: '@hintbook/jupyterlite-bridge:plugin',
  description: 'Lets the Hintbook SPA drive this workspace over postMessage.',
  autoStart: true,
  requires: [INotebookTracker, IDocumentManager],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, docManager: IDocumentManager) => {
    // Opened on its own (not in an iframe) there is nobody to talk to.
    if (window.parent === window) {
      return;
    }
    const settings = readBridgeSettings(window.location.origin);
    const workspace = new Workspace(app, docManager, tracker, () => prestart);
    const bridge = new Bridge(window.parent, settings, workspace, tracker);
    void app.restored.then(() => bridge.start());
  },
};

export default [prestartPlugin, plugin];
