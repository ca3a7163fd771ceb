import { Link } from 'react-router';
import type { PublicUser } from '@hintbook/contracts';
import { skillLevels } from '../../auth/skill-levels';

const levelName = (value: number) =>
  skillLevels.find((level) => level.value === value)?.name ?? String(value);

/** The levels the tutor starts from, as the student set them, with where to change them. */
export function LevelsNote({ user }: { user: PublicUser }) {
  return (
    <p>
      The tutor starts from your levels, programming{' '}
      <strong>{levelName(user.programmingLevel)}</strong> and maths{' '}
      <strong>{levelName(user.mathsLevel)}</strong>, and adjusts as it gets to know you.{' '}
      <Link to="/profile">Change your levels</Link>
    </p>
  );
}
