import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { apiClient } from '../lib/api-client';

afterEach(() => {
  cleanup();
  // The app's client is a module singleton: no test may inherit another's session.
  apiClient.endSession('signed-out');
});
