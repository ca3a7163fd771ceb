/** The 1–5 self-assessment in plain words; the tutor starts from it and adjusts as it learns. */
export const skillLevels = [
  { value: 1, name: 'New to it', description: 'Never tried it, or only a little.' },
  { value: 2, name: 'Beginner', description: 'I know the basics but often get stuck.' },
  { value: 3, name: 'Getting there', description: 'I can solve simple problems on my own.' },
  { value: 4, name: 'Confident', description: 'I handle most problems without help.' },
  { value: 5, name: 'Expert', description: 'I could teach it to others.' },
] as const;

/** Reads a level from a submitted form; anything else becomes NaN and fails the contract schema. */
export function readSkillLevel(data: FormData, name: string): number {
  const raw = data.get(name);
  return typeof raw === 'string' && raw !== '' ? Number(raw) : Number.NaN;
}
