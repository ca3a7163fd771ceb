import { Link, NavLink, Outlet, useMatch } from 'react-router';
import { Alert } from '../components/Alert';
import { Button } from '../components/Button';
import { VerifyEmailBanner } from '../features/auth/components/VerifyEmailBanner';
import { useAuth } from '../features/auth/hooks/useAuth';
import { useSignOut } from '../features/auth/hooks/useSignOut';

/** Header, main landmark and footer around every page. */
export function AppShell() {
  const { state, retryRestore } = useAuth();
  const { signOut, isSigningOut, error: signOutError } = useSignOut();
  const isSignedIn = state.status === 'signed-in';
  // The notebook workspace uses the whole window width; every other page keeps a reading width.
  const isModuleWorkspace = useMatch('/modules/:moduleId/notebooks/:notebookId') !== null;
  const isPersonalWorkspace = useMatch('/notebooks/:id') !== null;
  const isFullWidth = isModuleWorkspace || isPersonalWorkspace;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="header">
        <div className="header-inner">
          <Link className="brand" to="/">
            <img className="brand-mark" src="/favicon.svg" alt="" width="28" height="28" />
            Hintbook
          </Link>
          <nav aria-label="Main" className="nav">
            {isSignedIn ? (
              <>
                <NavLink to="/" end>
                  Home
                </NavLink>
                <NavLink to="/modules">Modules</NavLink>
                <NavLink to="/chat">Tutor</NavLink>
                <NavLink to="/profile">Profile</NavLink>
                {state.user.isAdmin ? <NavLink to="/admin">Admin</NavLink> : null}
                <Button
                  variant="quiet"
                  isBusy={isSigningOut}
                  busyLabel="Signing out…"
                  onClick={() => void signOut()}
                >
                  Sign out
                </Button>
              </>
            ) : state.status === 'signed-out' ? (
              <>
                <NavLink to="/sign-in">Sign in</NavLink>
                <NavLink to="/register">Create account</NavLink>
              </>
            ) : null}
          </nav>
        </div>
      </header>
      <main id="main" className={isFullWidth ? 'main main-full' : 'main'} tabIndex={-1}>
        {signOutError ? <Alert tone="error">{signOutError}</Alert> : null}
        {state.status === 'restoring' ? (
          <p className="loading" role="status">
            Loading…
          </p>
        ) : state.status === 'unavailable' ? (
          <div className="page page-narrow">
            <h1 className="page-heading">Hintbook is not reachable</h1>
            <div className="card prose">
              <Alert tone="error">{state.message}</Alert>
              <p>Your account and your work are safe. Try again in a moment.</p>
              <Button onClick={retryRestore}>Try again</Button>
            </div>
          </div>
        ) : (
          <>
            {isSignedIn && !isFullWidth ? <VerifyEmailBanner user={state.user} /> : null}
            <Outlet />
          </>
        )}
      </main>
      <footer className="footer">
        <p>Hintbook · a coding tutor that gives hints, not answers.</p>
      </footer>
    </div>
  );
}
