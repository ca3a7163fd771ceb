import { useCallback, useEffect, useRef, useState } from 'react';
import { failureFromError, type FieldErrors, type FormFailure } from '../lib/form-errors';

interface UseApiFormOptions<F extends string> {
  fields: readonly F[];
  codeFields?: Partial<Record<string, F>>;
}

/**
 * Submission state for one form: busy flag, inline and top-level errors, and focus management so
 * a keyboard or screen-reader user lands on the first problem instead of hunting for it.
 */
export function useApiForm<F extends string>({ fields, codeFields }: UseApiFormOptions<F>) {
  const formRef = useRef<HTMLFormElement>(null);
  const [failure, setFailure] = useState<FormFailure<F> & { attempt: number }>({
    fieldErrors: {},
    formError: null,
    attempt: 0,
  });
  const [isSubmitting, setIsSubmitting] = useState(false);
  const isSubmittingRef = useRef(false);

  const fail = useCallback((next: FormFailure<F>) => {
    setFailure((previous) => ({ ...next, attempt: previous.attempt + 1 }));
  }, []);

  const clear = useCallback(() => {
    setFailure((previous) => ({ fieldErrors: {}, formError: null, attempt: previous.attempt }));
  }, []);

  /** Runs `action`, ignoring repeat submits while one is in flight. Resolves true on success. */
  const submit = useCallback(
    async (action: () => Promise<void>): Promise<boolean> => {
      if (isSubmittingRef.current) return false;
      isSubmittingRef.current = true;
      setIsSubmitting(true);
      clear();
      try {
        await action();
        return true;
      } catch (error) {
        fail(failureFromError(error, fields, codeFields));
        return false;
      } finally {
        isSubmittingRef.current = false;
        setIsSubmitting(false);
      }
    },
    [clear, fail, fields, codeFields],
  );

  useEffect(() => {
    if (failure.attempt === 0) return;
    const form = formRef.current;
    const target =
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form?.querySelector<HTMLElement>('[data-form-error]');
    target?.focus();
  }, [failure]);

  return {
    formRef,
    fieldErrors: failure.fieldErrors as FieldErrors<F>,
    formError: failure.formError,
    isSubmitting,
    submit,
    fail,
    clear,
  };
}
