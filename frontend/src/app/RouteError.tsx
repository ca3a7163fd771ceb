import { useEffect } from 'react';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ErrorFallback } from './ErrorFallback';
import { NotFoundPage } from './NotFoundPage';

/** `errorElement` of the root route: a crash in one page keeps the rest of the app usable. */
export function RouteError() {
  const error = useRouteError();
  const isNotFound = isRouteErrorResponse(error) && error.status === 404;

  useEffect(() => {
    if (!isNotFound) console.error('Route failed to render', error);
  }, [error, isNotFound]);

  return isNotFound ? <NotFoundPage /> : <ErrorFallback />;
}
