import type { AdminPrivacyResponse } from '@hintbook/contracts';
import { formatCount } from '../../../lib/format';

const KIND_LABELS = {
  name: 'names',
  email: 'email addresses',
  phone: 'phone numbers',
  secret: 'secrets',
} as const;

/** One line each: what the providers never saw in the last 30 days, and how long chats stay. */
export function PrivacySummary({ report }: { report: AdminPrivacyResponse }) {
  const counts = (Object.keys(KIND_LABELS) as Array<keyof typeof KIND_LABELS>)
    .filter((kind) => report.redactionKinds.includes(kind))
    .map((kind) => `${formatCount(report.redactions[kind])} ${KIND_LABELS[kind]}`);
  return (
    <>
      <p>
        {report.redactionKinds.length === 0
          ? 'Redaction is off: students’ text reaches the AI providers as written.'
          : report.answers === 0
            ? // `answers` counts only answers that had something replaced; "(0 answers)" read as
              // if the tutor had not answered at all.
              'Nothing needed replacing before reaching the AI providers in the last 30 days.'
            : `Replaced before reaching the AI providers in the last 30 days, in ${formatCount(report.answers)} ${report.answers === 1 ? 'answer' : 'answers'}: ${counts.join(', ')}.`}
      </p>
      <p>
        {report.chatRetentionDays === null
          ? 'Conversations are kept until students delete them.'
          : `Conversations untouched for ${formatCount(report.chatRetentionDays)} days are deleted nightly; usage and cost stay.`}
      </p>
    </>
  );
}
