import { Link } from 'react-router';
import { Page } from '../../../components/Page';
import { listClassGroups, listInvitations } from '../api';
import { AdminDataView } from '../../../components/AdminDataView';
import { InvitationsTable } from '../components/InvitationsTable';
import { RosterImportForm } from '../components/RosterImportForm';
import { formatCount } from '../../../lib/format';
import { useAdminData } from '../../../hooks/useAdminData';
import { TableScroll } from '../../../components/TableScroll';

/** Class lists: import one, see the groups and who has joined, withdraw invitations. */
export function AdminClassesPage() {
  const groups = useAdminData((signal) => listClassGroups(signal), 'groups');
  const invitations = useAdminData((signal) => listInvitations(signal), 'invitations');

  function reloadAll() {
    groups.reload();
    invitations.reload();
  }

  return (
    <Page title="Classes">
      <div className="stack">
        <section className="card" aria-labelledby="classes-import">
          <h2 id="classes-import">Invite a class</h2>
          <RosterImportForm onImported={reloadAll} />
        </section>
        <section className="card" aria-labelledby="classes-groups">
          <h2 id="classes-groups">Groups</h2>
          <AdminDataView state={groups.state} what="the groups" onRetry={groups.reload}>
            {(list) =>
              list.length === 0 ? (
                <p>No groups yet: give rows of a class list a group to create one.</p>
              ) : (
                <TableScroll label="Groups">
                  <table className="admin-table">
                    <caption className="visually-hidden">Groups</caption>
                    <thead>
                      <tr>
                        <th scope="col">Group</th>
                        <th scope="col" className="numeric">
                          Members
                        </th>
                        <th scope="col" className="numeric">
                          Invitations waiting
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((group) => (
                        <tr key={group.id}>
                          <td>
                            <Link to={`/admin/people?group=${group.id}`}>{group.name}</Link>
                          </td>
                          <td className="numeric">{formatCount(group.memberCount)}</td>
                          <td className="numeric">{formatCount(group.pendingInvitations)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              )
            }
          </AdminDataView>
        </section>
        <section className="card" aria-labelledby="classes-invitations">
          <h2 id="classes-invitations">Invitations</h2>
          <AdminDataView
            state={invitations.state}
            what="the invitations"
            onRetry={invitations.reload}
          >
            {(list) => <InvitationsTable invitations={list} onChanged={invitations.reload} />}
          </AdminDataView>
        </section>
      </div>
    </Page>
  );
}
