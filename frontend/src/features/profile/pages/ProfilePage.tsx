import { Page } from '../../../components/Page';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { DeleteAccountForm } from '../components/DeleteAccountForm';
import { DownloadDataForm } from '../components/DownloadDataForm';
import { ProfileDetailsForm } from '../components/ProfileDetailsForm';
import { SignOutEverywhereForm } from '../components/SignOutEverywhereForm';

export function ProfilePage() {
  return (
    <Page title="Your profile">
      <div className="stack">
        <div className="card">
          <ProfileDetailsForm />
        </div>
        <div className="card">
          <ChangePasswordForm />
        </div>
        <div className="card">
          <SignOutEverywhereForm />
        </div>
        <div className="card">
          <DownloadDataForm />
        </div>
        <div className="card card-danger">
          <DeleteAccountForm />
        </div>
      </div>
    </Page>
  );
}
