interface FieldErrorProps {
  id: string;
  message: string | undefined;
}

/** The message beside a field; the hidden prefix tells screen-reader users it is an error. */
export function FieldError({ id, message }: FieldErrorProps) {
  if (!message) return null;
  return (
    <p className="field-error" id={id}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}
