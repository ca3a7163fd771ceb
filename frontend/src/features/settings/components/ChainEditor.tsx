import type { AdminProviderName, ProviderStatus } from '@hintbook/contracts';
import { Button } from '../../../components/Button';
import { providerLabel } from '../provider-labels';
import { moveItem } from '../../../lib/move-item';

interface ChainEditorProps {
  chain: AdminProviderName[];
  defaults: AdminProviderName[];
  isOverridden: boolean;
  providers: ProviderStatus[];
  onChange(chain: AdminProviderName[]): void;
}

/** The primary provider first, then the fallbacks tried when it fails. */
export function ChainEditor({
  chain,
  defaults,
  isOverridden,
  providers,
  onChange,
}: ChainEditorProps) {
  const addable = providers.filter((p) => p.isAvailable && !chain.includes(p.provider));
  return (
    <div className="stack-small">
      <p className="field-hint">
        Environment default: {defaults.map(providerLabel).join(' → ') || 'none'}
        {isOverridden ? ' · a saved order overrides it' : ''}
      </p>
      <ol className="admin-list" aria-label="Providers in the order they are tried">
        {chain.map((provider, index) => (
          <li key={provider} className="admin-list-item">
            <span className="admin-list-title">
              {providerLabel(provider)}
              {index === 0 ? ' (primary)' : ' (fallback)'}
            </span>
            <div className="inline-controls">
              <Button
                variant="secondary"
                disabled={index === 0}
                aria-label={`Move ${providerLabel(provider)} up`}
                onClick={() => onChange(moveItem(chain, index, -1))}
              >
                Up
              </Button>
              <Button
                variant="secondary"
                disabled={index === chain.length - 1}
                aria-label={`Move ${providerLabel(provider)} down`}
                onClick={() => onChange(moveItem(chain, index, 1))}
              >
                Down
              </Button>
              <Button
                variant="secondary"
                disabled={chain.length === 1}
                aria-label={`Remove ${providerLabel(provider)} from the chain`}
                onClick={() => onChange(chain.filter((item) => item !== provider))}
              >
                Remove
              </Button>
            </div>
          </li>
        ))}
      </ol>
      {addable.length > 0 ? (
        <div className="inline-controls">
          {addable.map(({ provider }) => (
            <Button
              key={provider}
              variant="secondary"
              onClick={() => onChange([...chain, provider])}
            >
              Add {providerLabel(provider)}
            </Button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
