import { formatPence } from '../common/money.js';
import type { FormSection } from '../forms/form.types.js';
import { BUDGET_SECTION, PROJECT_SECTION, type ApplicationDetail } from './application-views.js';
import { displayAnswer } from './page-forms.js';

const base = (id: string) => `/applications/${id}`;

export const CATEGORY_LABELS: Record<string, string> = {
  staff: 'Staff',
  volunteers: 'Volunteer expenses',
  equipment: 'Equipment',
  venue: 'Venue hire',
  activities: 'Activities',
  training: 'Training',
  publicity: 'Publicity',
  travel: 'Travel',
  overheads: 'Overheads',
  other: 'Other',
};

/** Summary lists of every section of a bid, with Change links while it is a draft. */
export function answerSummaries(app: ApplicationDetail, formSections: FormSection[], changeable: boolean) {
  const change = (href: string, what: string) => (changeable ? { items: [{ href, text: 'Change', visuallyHiddenText: what }] } : undefined);
  const row = (key: string, value: string, href: string) => ({
    key: { text: key },
    value: value ? { text: value } : { html: '<span class="govuk-hint govuk-!-margin-0">Not answered</span>' },
    actions: change(href, key.toLowerCase()),
  });
  const project = `${base(app.id)}/project`;
  const lists = [
    {
      title: 'Project details',
      rows: [
        row('Organisation', app.organisation.name, ''),
        row('Pot', `${app.pot.name} (${formatPence(app.pot.minGrantPence)} to ${formatPence(app.pot.maxGrantPence)})`, ''),
        row('Project title', app.projectTitle ?? '', project),
        row('Summary', app.projectSummary ?? '', project),
        row('Start date', displayAnswer({ type: 'date' } as never, app.projectStartDate), project),
        row('End date', displayAnswer({ type: 'date' } as never, app.projectEndDate), project),
        row('Districts', app.districts.map((d) => d.name).join(', '), project),
        row('Priorities', app.priorities.map((p) => p.name).join(', '), project),
      ].map((r, i) => (i < 2 ? { ...r, actions: undefined } : r)),
    },
    ...formSections
      .filter((s) => s.key !== PROJECT_SECTION && s.key !== BUDGET_SECTION)
      .map((s) => {
        const answers = app.sections.find((v) => v.key === s.key)?.answers ?? {};
        const href = `${base(app.id)}/sections/${s.key}`;
        return {
          title: s.title,
          rows: s.questions.map((q) =>
            q.type === 'file'
              ? row(q.label, app.attachments.filter((a) => a.kind === q.key).map((a) => a.fileName).join(', '), `${base(app.id)}/attachments`)
              : row(q.label, displayAnswer(q, answers[q.key]), href),
          ),
        };
      }),
    {
      title: 'Budget',
      rows: [
        ...app.budgetLines.map((l) =>
          row(
            `${l.item} (${CATEGORY_LABELS[l.category] ?? l.category})`,
            formatPence(l.amountPence) + (l.otherFundingPence ? `, plus ${formatPence(l.otherFundingPence)} from ${l.otherFundingSource}` : ''),
            `${base(app.id)}/budget`,
          ),
        ),
        { key: { text: 'Total asked for' }, value: { text: formatPence(app.amountRequestedPence) } },
      ],
    },
    {
      title: 'Attachments',
      rows: app.attachments.length
        ? app.attachments.map((a) => row(a.fileName, a.kind.replace(/_/g, ' '), `${base(app.id)}/attachments`))
        : [{ ...row('Files', 'None uploaded', `${base(app.id)}/attachments`) }],
    },
  ];
  return lists;
}

