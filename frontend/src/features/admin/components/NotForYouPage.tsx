import { Link } from 'react-router';
import { Page } from '../../../components/Page';

/** Shown to a signed-in student who opens an admin address, or when the API answers 403. */
export function NotForYouPage() {
  return (
    <Page title="Not for you" heading="This page is not for you" width="narrow">
      <div className="card prose">
        <p>
          The admin panel is only open to the teachers and operators who run this Hintbook. Your
          account is a student account, so there is nothing to see here.
        </p>
        <p>
          If you should be an admin, ask whoever runs Hintbook to add your email address to{' '}
          <code>ADMIN_EMAIL</code> and to confirm that this account is yours (
          <code>scripts/admin.sh promote</code> followed by your address), then reload this page.
        </p>
        <p>
          <Link to="/">Go to the home page</Link>
        </p>
      </div>
    </Page>
  );
}
