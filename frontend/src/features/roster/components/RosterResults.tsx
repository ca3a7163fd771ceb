import type { ImportRosterResponse, RosterRowResult } from '@hintbook/contracts';
import { Button } from '../../../components/Button';
import { saveBlob } from '../../../lib/download';
import { invitationLinksCsv } from '../invitation-links-csv';
import { TableScroll } from '../../../components/TableScroll';

const OUTCOMES: Record<RosterRowResult['outcome'], string> = {
  invited: 'Invited',
  invitation_renewed: 'Invited again',
  added_to_group: 'Added to group',
  has_account: 'Has an account',
  rejected: 'Not imported',
};

/** Every row of an import and what became of it; invitation links are shown only here, once. */
export function RosterResults({ result }: { result: ImportRosterResponse }) {
  const counts = result.rows.reduce<Record<string, number>>((all, row) => {
    all[row.outcome] = (all[row.outcome] ?? 0) + 1;
    return all;
  }, {});
  const hasLinks = result.rows.some((row) => row.inviteUrl);
  return (
    <section aria-labelledby="roster-result" className="stack-small">
      <h3 id="roster-result">Imported</h3>
      <p role="status">
        {Object.entries(counts)
          .map(([outcome, count]) => `${OUTCOMES[outcome as RosterRowResult['outcome']]}: ${count}`)
          .join(' · ')}
        {result.groupsCreated.length > 0 ? ` · New groups: ${result.groupsCreated.join(', ')}` : ''}
      </p>
      {hasLinks ? (
        <div className="stack-small">
          <p>
            Give each person their own link: it works once, only for their address. The links are
            not shown again (you can always invite someone again): download them now to hand out or
            mail-merge.
          </p>
          <div>
            <Button
              variant="secondary"
              onClick={() =>
                saveBlob(
                  new Blob([invitationLinksCsv(result.rows)], { type: 'text/csv;charset=utf-8' }),
                  `hintbook-invitations-${new Date().toISOString().slice(0, 10)}.csv`,
                )
              }
            >
              Download the links (CSV)
            </Button>
          </div>
        </div>
      ) : null}
      <TableScroll label="Imported rows">
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Group</th>
              <th scope="col">Result</th>
              {hasLinks ? <th scope="col">Invitation link</th> : null}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <tr key={`${row.line}-${row.email}`}>
                <td>{row.line}</td>
                <td>{row.email}</td>
                <td>{row.name ?? ''}</td>
                <td>{row.group ?? ''}</td>
                <td>{row.message}</td>
                {hasLinks ? (
                  <td>
                    {row.inviteUrl ? (
                      <input
                        className="input"
                        readOnly
                        aria-label={`Invitation link for ${row.email}`}
                        value={row.inviteUrl}
                        onFocus={(event) => event.currentTarget.select()}
                      />
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
