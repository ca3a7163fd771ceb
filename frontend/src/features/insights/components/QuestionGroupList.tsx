import type { AskedQuestion, QuestionGroup } from '@hintbook/contracts';
import { formatCount, formatDateTime, formatPercent } from '../../../lib/format';

interface QuestionGroupListProps {
  /** Largest first, as the API sends them. */
  groups: QuestionGroup[];
  /** How many questions were grouped: each group's share is of these. */
  considered: number;
  /** Name the modules a group's questions came from (not when the page shows one module). */
  showModules: boolean;
}

const count = (value: number, noun: string) =>
  `${formatCount(value)} ${noun}${value === 1 ? '' : 's'}`;

/**
 * Groups of similar questions: the typical question as a heading, a bar to compare sizes at a
 * glance (the largest group fills it; the numbers are in the text beside it), and the other
 * wordings behind a disclosure.
 */
export function QuestionGroupList({ groups, considered, showModules }: QuestionGroupListProps) {
  const largest = Math.max(1, ...groups.map((group) => group.size));
  return (
    <ol className="question-groups" aria-label="Groups of similar questions, largest first">
      {groups.map((group) => (
        <li key={group.id} className="question-group">
          <h3 className="question-group-title">
            <q>{group.representative.text}</q>
          </h3>
          <div className="question-share">
            <div className="question-share-bar" aria-hidden="true">
              <span style={{ width: `${(group.size / largest) * 100}%` }} />
            </div>
            <p className="question-share-label">
              {count(group.size, 'question')} from {count(group.students, 'student')} ·{' '}
              {formatPercent(considered > 0 ? group.size / considered : 0)} of all questions · last
              asked {formatDateTime(group.lastAskedAt)}
            </p>
          </div>
          {group.keywords.length > 0 ? (
            <p className="cell-note">Shared words: {group.keywords.join(', ')}</p>
          ) : null}
          {showModules && group.modules.length > 0 ? (
            <p className="cell-note">
              Asked in{' '}
              {group.modules
                .map((module) => `${module.title} (${formatCount(module.questions)})`)
                .join(', ')}
            </p>
          ) : null}
          {group.examples.length > 0 ? (
            <details className="question-examples">
              <summary>
                {group.examples.length === 1
                  ? 'Another wording'
                  : `${formatCount(group.examples.length)} other wordings`}
              </summary>
              <ul>
                {group.examples.map((example) => (
                  <ExampleQuestion key={`${example.askedAt}|${example.text}`} example={example} />
                ))}
              </ul>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function ExampleQuestion({ example }: { example: AskedQuestion }) {
  return (
    <li>
      <q>{example.text}</q>
      <span className="cell-note">
        {formatDateTime(example.askedAt)}
        {example.moduleTitle ? ` · ${example.moduleTitle}` : ''}
      </span>
    </li>
  );
}
