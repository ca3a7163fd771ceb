/** Long answers are cut for speech; the whole text stays in the conversation. */
const MAX_SPOKEN = 600;

interface AnswerAnnouncerProps {
  announcement: { id: number; text: string } | null;
}

/**
 * A polite live region that speaks each finished answer once. The conversation itself is not
 * live: announcing every streamed fragment would drown a screen-reader user.
 */
export function AnswerAnnouncer({ announcement }: AnswerAnnouncerProps) {
  const text = announcement?.text ?? '';
  const spoken =
    text.length > MAX_SPOKEN
      ? `${text.slice(0, MAX_SPOKEN)}… The full answer is in the conversation.`
      : text;
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true">
      {/* A fresh key makes the same text count as new, e.g. two identical answers. */}
      <p key={announcement?.id ?? 0}>{spoken}</p>
    </div>
  );
}
