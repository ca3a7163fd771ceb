import { Link } from 'react-router';
import { Page } from '../../../components/Page';
import { useCurrentUser } from '../../auth/hooks/useAuth';

/** The signed-in landing page; the tutor and the modules will live here. */
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
          The tutor chat and the learning modules are not here yet: they are being built and will
          appear on this page. Until then there is not much to do, but you can already{' '}
          <Link to="/profile">set your programming and maths levels</Link> so the tutor knows where
          to start.
        </p>
      </div>
    </Page>
  );
}
