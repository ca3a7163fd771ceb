import { useEffect, useState } from 'react';
import type { AiPolicyNow } from '@hintbook/contracts';
import { listModules } from '../../learning/api';

/**
 * Module policies that switch the tutor off right now for a time window (an exam): the server
 * applies those to every conversation, the general chat too, so the student sees them before
 * typing. Best effort: without the list the chat still works and the server still refuses.
 */
export function useExamPolicies(): AiPolicyNow[] {
  const [policies, setPolicies] = useState<AiPolicyNow[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    listModules(controller.signal).then(
      (modules) => {
        const seen = new Set<string>();
        setPolicies(
          modules
            .map((module) => module.aiPolicy)
            .filter((policy) => policy.mode === 'off' && policy.until !== null)
            .filter((policy) => !seen.has(policy.text) && Boolean(seen.add(policy.text))),
        );
      },
      () => {},
    );
    return () => controller.abort();
  }, []);
  return policies;
}
