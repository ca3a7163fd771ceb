import type { ProviderStatus } from '@hintbook/contracts';
import { formatCount, formatMaybeDateTime } from '../../../lib/format';
import { circuitLabel, providerLabel } from '../provider-labels';
import { TableScroll } from '../../../components/TableScroll';

/** Per provider: in the chain or not, circuit state, calls and errors of the last hour. */
export function ProviderStatusTable({ providers }: { providers: ProviderStatus[] }) {
  return (
    <TableScroll label="AI providers">
      <table className="admin-table">
        <caption className="visually-hidden">AI providers</caption>
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">In use</th>
            <th scope="col">Circuit</th>
            <th scope="col">Last hour</th>
            <th scope="col">Last error</th>
            <th scope="col">Last success</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((provider) => (
            <tr key={provider.provider}>
              <th scope="row">{providerLabel(provider.provider)}</th>
              <td>
                {provider.isInChain
                  ? 'In the chain'
                  : provider.isAvailable
                    ? 'Available'
                    : 'Not configured'}
              </td>
              <td>
                <span className={`circuit circuit-${provider.circuit}`}>
                  {circuitLabel(provider.circuit)}
                </span>
              </td>
              <td>
                {formatCount(provider.recentCalls)} calls, {formatCount(provider.recentErrors)}{' '}
                errors
              </td>
              <td>
                {provider.lastErrorKind
                  ? `${provider.lastErrorKind}, ${formatMaybeDateTime(provider.lastErrorAt)}`
                  : 'None'}
              </td>
              <td>{formatMaybeDateTime(provider.lastSuccessAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
