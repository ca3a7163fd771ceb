import { Link } from 'react-router';
import { Page } from '../../../components/Page';
import { useCurrentUser } from '../../auth/hooks/useAuth';

/** The signed-in landing page: its job is to get the student to the tutor. */
export function HomePage() {
  const user = useCurrentUser();
  return (
    <Page title="Home" heading={`Welcome, ${user.username}`}>
      <div className="card prose">
        <p>
          Hintbook is a coding tutor that helps you find the answer yourself, with hints that get
          more concrete only when you need them.
        </p>
        <p>
          <Link className="button button-primary home-cta" to="/chat">
            Ask the tutor
          </Link>
        </p>
        <p>
          Your earlier conversations are there too. The learning modules are being built and will
          appear on this page. Tell the tutor where to start by{' '}
          <Link to="/profile">setting your programming and maths levels</Link>.
        </p>
      </div>
    </Page>
  );
}
