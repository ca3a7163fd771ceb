import { Link, useNavigate, useParams } from 'react-router';
import type { AdminUserDetailResponse, AdminUserSummary } from '@hintbook/contracts';
import { Page } from '../../../components/Page';
import { getUser } from '../api';
import { AccountActions } from '../components/AccountActions';
import { AdminDataView } from '../../../components/AdminDataView';
import { AllowanceForm } from '../components/AllowanceForm';
import { DeleteUserForm } from '../components/DeleteUserForm';
import { ResetLinkAction } from '../components/ResetLinkAction';
import { Transcripts } from '../components/Transcripts';
import { UserProgressTable } from '../components/UserProgressTable';
import { UserUsage } from '../components/UserUsage';
import { UserGroupsForm } from '../../roster/components/UserGroupsForm';
import { formatDate, formatMaybeDateTime } from '../../../lib/format';
import { useAdminData } from '../../../hooks/useAdminData';

/** One person: usage, progress, groups, account controls and (if allowed) their conversations. */
export function AdminUserPage() {
  const { userId = '' } = useParams();
  const navigate = useNavigate();
  const { state, reload, setData } = useAdminData((signal) => getUser(userId, signal), userId);
  const username = state.status === 'ready' ? state.data.user.username : 'Person';

  function replaceUser(detail: AdminUserDetailResponse, user: AdminUserSummary) {
    setData({ ...detail, user });
  }

  return (
    <Page title={username}>
      <p>
        <Link to="/admin/people">Back to people</Link>
      </p>
      <AdminDataView state={state} what="this person" onRetry={reload}>
        {(detail) => (
          <div className="stack">
            <dl className="figures" aria-label="Account">
              <div>
                <dt>Email</dt>
                <dd>{detail.user.email}</dd>
              </div>
              <div>
                <dt>Account</dt>
                <dd>
                  {detail.user.disabledAt
                    ? `Disabled since ${formatDate(detail.user.disabledAt)}`
                    : 'Active'}
                  {detail.user.isAdmin ? ' (admin)' : ''}
                </dd>
              </div>
              <div>
                <dt>Joined</dt>
                <dd>{formatDate(detail.user.createdAt)}</dd>
              </div>
              <div>
                <dt>Last active</dt>
                <dd>{formatMaybeDateTime(detail.user.lastActiveAt)}</dd>
              </div>
            </dl>
            <section className="card" aria-labelledby="user-usage">
              <h2 id="user-usage">AI usage</h2>
              <UserUsage usage={detail.usage} />
            </section>
            <section className="card" aria-labelledby="user-progress">
              <h2 id="user-progress">Progress</h2>
              <UserProgressTable progress={detail.progress} />
            </section>
            <section className="card" aria-labelledby="user-groups">
              <h2 id="user-groups">Groups</h2>
              <UserGroupsForm userId={detail.user.id} />
            </section>
            <section className="card" aria-labelledby="user-allowance">
              <h2 id="user-allowance">Allowance</h2>
              <AllowanceForm
                user={detail.user}
                onSaved={(user) => {
                  replaceUser(detail, user);
                  reload();
                }}
              />
            </section>
            <section className="card" aria-labelledby="user-transcripts">
              <h2 id="user-transcripts">Conversations</h2>
              <Transcripts userId={detail.user.id} canRead={detail.canReadTranscripts} />
            </section>
            <section className="card" aria-labelledby="user-password">
              <h2 id="user-password">Password</h2>
              <ResetLinkAction user={detail.user} />
            </section>
            <section className="card card-danger" aria-labelledby="user-account">
              <h2 id="user-account">Account</h2>
              <AccountActions user={detail.user} onChanged={(user) => replaceUser(detail, user)} />
              <DeleteUserForm
                user={detail.user}
                onDeleted={() => void navigate('/admin/people', { replace: true })}
              />
            </section>
          </div>
        )}
      </AdminDataView>
    </Page>
  );
}
