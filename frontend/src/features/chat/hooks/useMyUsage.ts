import { useCallback, useEffect, useState } from 'react';
import type { MyUsageResponse } from '@hintbook/contracts';
import { getMyUsage } from '../api';

/** The student's allowance; refreshed after every answer, since answers spend it. */
export function useMyUsage() {
  const [usage, setUsage] = useState<MyUsageResponse | null>(null);
  const [refreshCount, setRefreshCount] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    getMyUsage(controller.signal).then(setUsage, () => {
      // The meter is a courtesy: without it the chat still works and the server still enforces.
    });
    return () => controller.abort();
  }, [refreshCount]);

  const refresh = useCallback(() => setRefreshCount((count) => count + 1), []);
  return { usage, refresh };
}
