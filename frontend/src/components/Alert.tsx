import type { ReactNode } from 'react';

interface AlertProps {
  tone: 'error' | 'info' | 'success';
  children: ReactNode;
  /**
   * Marks the alert as the form's summary of what went wrong: it can take focus, so a failed
   * submit without a field to fix still moves keyboard users to the explanation.
   */
  isFormError?: boolean;
}

/** Errors interrupt (`role="alert"`); information and success wait their turn (`status`). */
export function Alert({ tone, children, isFormError = false }: AlertProps) {
  return (
    <div
      className={`alert alert-${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
      tabIndex={isFormError ? -1 : undefined}
      data-form-error={isFormError || undefined}
    >
      {children}
    </div>
  );
}
