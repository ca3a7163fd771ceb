import type { ButtonHTMLAttributes, Ref } from 'react';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** For moving focus to the button (React 19 passes `ref` as a prop). */
  ref?: Ref<HTMLButtonElement>;
  variant?: 'primary' | 'secondary' | 'danger' | 'quiet';
  /** Shows `busyLabel` and marks the button busy without removing it from the tab order. */
  isBusy?: boolean;
  busyLabel?: string;
}

/**
 * While busy the button stays focusable (`aria-disabled`, not `disabled`): disabling it would
 * throw keyboard focus back to the page. Handlers ignore repeat clicks themselves.
 */
export function Button({
  variant = 'primary',
  isBusy = false,
  busyLabel,
  type = 'button',
  className,
  children,
  ...rest
}: ButtonProps) {
  const classes = ['button', `button-${variant}`, className].filter(Boolean).join(' ');
  return (
    <button
      type={type}
      className={classes}
      aria-disabled={isBusy || undefined}
      aria-busy={isBusy || undefined}
      {...rest}
    >
      {isBusy && busyLabel ? busyLabel : children}
    </button>
  );
}
