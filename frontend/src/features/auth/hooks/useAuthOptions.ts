import { useEffect, useState } from 'react';
import type { AuthOptionsResponse } from '@hintbook/contracts';
import { getAuthOptions } from '../api';

/**
 * What this installation offers around accounts (mail, verification, school sign-in), read once
 * while `enabled`; null until it arrives, or when it cannot be read (callers then act as before
 * they knew).
 */
export function useAuthOptions(enabled = true): AuthOptionsResponse | null {
  const [options, setOptions] = useState<AuthOptionsResponse | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    getAuthOptions(controller.signal).then(setOptions, () => setOptions(null));
    return () => controller.abort();
  }, [enabled]);
  return options;
}
