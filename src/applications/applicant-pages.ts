import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/errors.js';
import { formatDateTime } from '../common/dates.js';
import { mayChangePart } from './application-lifecycle.js';
import { BUDGET_SECTION, PROJECT_SECTION, type ApplicationDetail, type SectionView } from './application-views.js';

/** What the applicant's page journeys share: their addresses and how an edit conflict is shown. */

export const base = (id: string) => `/applications/${id}`;

/** Where each kind of missing item is put right. */
export function hrefFor(id: string, field: string): string {
  if (field.startsWith('project.') || field === `sections.${PROJECT_SECTION}`) return `${base(id)}/project`;
  if (field === 'budget' || field === `sections.${BUDGET_SECTION}`) return `${base(id)}/budget`;
  if (field.startsWith('attachments.')) return `${base(id)}/attachments`;
  const key = field.split('.')[1];
  return `${base(id)}/sections/${key}`;
}

export function statusTag(status: SectionView['status']): Record<string, unknown> {
  if (status === 'completed') return { text: 'Completed' };
  if (status === 'in_progress') return { tag: { text: 'In progress', classes: 'govuk-tag--light-blue' } };
  return { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } };
}

/** The bid's status and reopened parts, as the lifecycle's one rule (mayChangePart) reads them. */
export const partsOf = (app: ApplicationDetail) => ({
  status: app.status,
  reopenedSections: app.moreInformation?.sections ?? [],
  reopenedAttachmentKinds: app.moreInformation?.attachmentKinds ?? [],
});

/** May this section of the bid be changed now (a draft; or named when more information was asked for)? */
export const sectionChangeable = (app: ApplicationDetail, section: string) => mayChangePart(partsOf(app), { section });

/** A section that cannot be changed now sends its editing pages to the bid's answers; true when it can. */
export function requireEditable(app: ApplicationDetail, reply: FastifyReply, section: string): boolean {
  if (sectionChangeable(app, section)) return true;
  void reply.redirect(`${base(app.id)}/check-answers`, 303);
  return false;
}

/** Errors a person can put right on the page they are on: validation, and someone else's save. */
export const isEditError = (error: unknown): error is DomainError =>
  error instanceof DomainError && (error.kind === 'validation' || error.code === 'APPLICATION.EDIT_CONFLICT');

/** On an edit conflict: who saved, when, their answers; the page then offers to save over them. */
export function conflictOf(error: DomainError, rows: (answers: Record<string, unknown>) => { rows: unknown[] }) {
  if (error.code !== 'APPLICATION.EDIT_CONFLICT') return undefined;
  const current = error.extra.current as { version: number; answers: Record<string, unknown>; updatedBy: { name: string } | null; updatedAt: string | null };
  return {
    version: current.version,
    who: current.updatedBy?.name ?? 'Someone else',
    when: current.updatedAt ? formatDateTime(current.updatedAt) : '',
    ...rows(current.answers ?? {}),
  };
}
