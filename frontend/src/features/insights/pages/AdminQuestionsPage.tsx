import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { Page } from '../../../components/Page';
import { getQuestionInsights } from '../api';
import { listAdminModules } from '../../learning/admin-api';
import { AdminDataView } from '../../../components/AdminDataView';
import { GroupingNote } from '../components/GroupingNote';
import { QuestionGroupList } from '../components/QuestionGroupList';
import { SelectField } from '../../../components/SelectField';
import { formatCount, formatDate } from '../../../lib/format';
import { useAdminData } from '../../../hooks/useAdminData';
import { toRangeQuery, type QuestionRange, type RangeChoice } from '../question-range';

const ranges = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: 'custom', label: 'Dates I choose' },
];
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` in the admin's time zone, as date inputs want it. */
function localDay(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The questions students ask again and again, grouped, over a period, overall or per module. */
export function AdminQuestionsPage() {
  const [choice, setChoice] = useState<RangeChoice>('30');
  const [fromDate, setFromDate] = useState(() => localDay(Date.now() - 30 * DAY_MS));
  const [toDate, setToDate] = useState(() => localDay(Date.now()));
  const [datesProblem, setDatesProblem] = useState<string | null>(null);
  // What is shown: presets apply at once, picked dates when the admin confirms them.
  const [applied, setApplied] = useState<QuestionRange>({ choice: '30', fromDate, toDate });
  const [moduleId, setModuleId] = useState('');
  const modules = useAdminData((signal) => listAdminModules(signal), 'modules');
  const { state, reload } = useAdminData((signal) => {
    const range = toRangeQuery(applied, Date.now());
    // Only valid ranges are ever applied.
    if ('problem' in range) return Promise.reject(new Error(range.problem));
    return getQuestionInsights({ ...range, moduleId: moduleId || undefined }, signal);
  }, `${applied.choice}|${applied.fromDate}|${applied.toDate}|${moduleId}`);

  function handleChoice(value: RangeChoice) {
    setChoice(value);
    setDatesProblem(null);
    if (value !== 'custom') setApplied({ choice: value, fromDate, toDate });
  }

  function handleApplyDates(event: FormEvent) {
    event.preventDefault();
    const range = { choice: 'custom' as const, fromDate, toDate };
    const query = toRangeQuery(range, Date.now());
    setDatesProblem('problem' in query ? query.problem : null);
    if (!('problem' in query)) setApplied(range);
  }

  const moduleOptions = [
    { value: '', label: 'All questions' },
    ...(modules.state.status === 'ready'
      ? modules.state.data.map((module) => ({ value: module.id, label: module.title }))
      : []),
  ];

  return (
    <Page title="What students ask">
      <div className="stack">
        <form className="filters" aria-label="Which questions" onSubmit={handleApplyDates}>
          <SelectField
            label="Period"
            value={choice}
            options={ranges}
            onChange={(event) => handleChoice(event.target.value as RangeChoice)}
          />
          {choice === 'custom' ? (
            <>
              <FormField
                label="First day"
                type="date"
                value={fromDate}
                onChange={(event) => setFromDate(event.target.value)}
                error={datesProblem ?? undefined}
              />
              <FormField
                label="Last day"
                type="date"
                value={toDate}
                onChange={(event) => setToDate(event.target.value)}
              />
              <Button type="submit" variant="secondary">
                Show these days
              </Button>
            </>
          ) : null}
          <SelectField
            label="Module"
            value={moduleId}
            options={moduleOptions}
            onChange={(event) => setModuleId(event.target.value)}
          />
        </form>
        <AdminDataView state={state} what="the questions" onRetry={reload}>
          {(report) => (
            <>
              <GroupingNote report={report} />
              <dl className="figures" aria-label="Questions in the period">
                <div>
                  <dt>Questions asked</dt>
                  <dd>{formatCount(report.questionsInRange)}</dd>
                </div>
                <div>
                  <dt>In a group of two or more</dt>
                  <dd>{formatCount(report.questionsGrouped)}</dd>
                </div>
                <div>
                  <dt>Groups</dt>
                  <dd>{formatCount(report.groups.length)}</dd>
                </div>
              </dl>
              <section className="card" aria-labelledby="question-groups-heading">
                <h2 id="question-groups-heading">Questions that come up again</h2>
                <p className="field-hint">
                  {formatDate(report.from)} to {formatDate(lastInstant(report.to))}
                  {report.module ? ` · ${report.module.title} only` : ' · all modules and chats'}
                  {report.questionsConsidered < report.questionsInRange
                    ? ` · the ${formatCount(report.questionsConsidered)} most recent questions`
                    : ''}
                </p>
                {report.questionsInRange === 0 ? (
                  <p>No student asked the tutor anything in this period.</p>
                ) : report.groups.length === 0 ? (
                  <p>No question came up more than once in this period.</p>
                ) : (
                  <QuestionGroupList
                    groups={report.groups}
                    considered={report.questionsConsidered}
                    showModules={report.module === null}
                  />
                )}
              </section>
            </>
          )}
        </AdminDataView>
      </div>
    </Page>
  );
}

/** `to` is exclusive: the day shown as the end is that of the instant just before it. */
function lastInstant(iso: string): string {
  return new Date(Date.parse(iso) - 1).toISOString();
}
