import type { AiPolicyNow } from '@hintbook/contracts';

/**
 * How the tutor may help in a module right now, in the policy's own plain words, shown before
 * the student types. Nothing is shown while the tutor is simply on.
 */
export function PolicyNotice({ policy }: { policy: AiPolicyNow }) {
  if (policy.mode === 'on') return null;
  return (
    <p className={`policy-notice policy-${policy.mode}`} role="note">
      {policy.text}
    </p>
  );
}
