import { useState } from 'react';
import type { AdminProviderName, ProviderStatus, ProviderTestResponse } from '@hintbook/contracts';
import { Button } from '../../../components/Button';
import { testProvider } from '../api';
import { formatCount } from '../../../lib/format';
import { messageOf } from '../../../hooks/useAdminData';
import { providerLabel } from '../provider-labels';

type Result =
  | { status: 'running' }
  | { status: 'done'; result: ProviderTestResponse }
  | {
      status: 'failed';
      message: string;
    };

/** "Test this provider": one tiny real call, with its latency or the kind of failure. */
export function ProviderTests({ providers }: { providers: ProviderStatus[] }) {
  const [results, setResults] = useState<Partial<Record<AdminProviderName, Result>>>({});
  const available = providers.filter((provider) => provider.isAvailable);

  async function handleTest(name: AdminProviderName) {
    if (results[name]?.status === 'running') return;
    setResults((all) => ({ ...all, [name]: { status: 'running' } }));
    try {
      const result = await testProvider(name);
      setResults((all) => ({ ...all, [name]: { status: 'done', result } }));
    } catch (caught) {
      setResults((all) => ({ ...all, [name]: { status: 'failed', message: messageOf(caught) } }));
    }
  }

  if (available.length === 0) return <p>No provider has a key configured.</p>;
  return (
    <ul className="plain-list provider-tests">
      {available.map(({ provider }) => {
        const result = results[provider];
        return (
          <li key={provider} className="inline-controls">
            <Button
              variant="secondary"
              isBusy={result?.status === 'running'}
              busyLabel={`Testing ${providerLabel(provider)}…`}
              onClick={() => void handleTest(provider)}
            >
              Test {providerLabel(provider)}
            </Button>
            <span role="status">
              {result?.status === 'done'
                ? result.result.ok
                  ? `Works: ${result.result.model} answered in ${formatCount(result.result.latencyMs)} ms.`
                  : `Failed (${result.result.error ?? 'unknown error'}) after ${formatCount(result.result.latencyMs)} ms with ${result.result.model}.`
                : result?.status === 'failed'
                  ? `Could not run the test: ${result.message}`
                  : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
