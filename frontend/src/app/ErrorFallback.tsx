import { Button } from '../components/Button';

/**
 * What a crash looks like to the user. Deliberately free of router and auth hooks: it must
 * render even when those are what broke.
 */
export function ErrorFallback() {
  return (
    <div className="page page-narrow">
      <h1 className="page-heading">Something went wrong</h1>
      <div className="card prose" role="alert">
        <p>
          This page ran into a problem it could not recover from. Your work on the server is safe.
        </p>
        <p>
          <Button onClick={() => window.location.reload()}>Reload the page</Button>
        </p>
      </div>
    </div>
  );
}
