import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { App } from './app/App';
import { routes } from './app/routes';
import { keepKernelBytecodePerSession } from './features/workspace/kernel-bytecode';
import { apiClient } from './lib/api-client';
import './styles/index.css';

keepKernelBytecodePerSession(apiClient);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App router={createBrowserRouter(routes)} />
  </StrictMode>,
);
