import { useCallback } from 'react';
import type { UpdateProfileBody } from '@hintbook/contracts';
import { useAuth } from '../../auth/hooks/useAuth';
import { updateProfile } from '../api';

/** Saves profile changes and shows the saved user everywhere (header, home) at once. */
export function useUpdateProfile() {
  const { setUser } = useAuth();
  return useCallback(
    async (changes: UpdateProfileBody) => {
      setUser(await updateProfile(changes));
    },
    [setUser],
  );
}
