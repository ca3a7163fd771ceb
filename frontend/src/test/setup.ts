import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { apiClient } from '../lib/api-client';

// findBy… and waitFor give up after 1 s by default: on a loaded 2-core CI machine a lazily
// loaded page once took longer than that to show its heading (AdminQuestionsPage, 1.2 s), and
// the test failed on timing, not behaviour. A wait is not a speed check (those live in bench/).
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  // The app's client is a module singleton: no test may inherit another's session.
  apiClient.endSession('signed-out');
});
