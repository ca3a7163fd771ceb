import { useCallback, useRef, useState } from 'react';
import { signOut } from '../api';

/** Sign-out for the header button: where to go next is decided by the route guards. */
export function useSignOut() {
  const [isSigningOut, setIsSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);

  const handleSignOut = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setIsSigningOut(true);
    setError(null);
    try {
      await signOut();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not sign out. Please try again.');
    } finally {
      inFlight.current = false;
      setIsSigningOut(false);
    }
  }, []);

  return { signOut: handleSignOut, isSigningOut, error };
}
