import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaffRead } from '../auth/access.decorator.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/request-context.js';
import { AuditService, type AuditRecord } from '../audit/audit.service.js';
import { formatDateTime } from '../common/dates.js';
import { PageRenderer } from '../web/page-renderer.js';
import { isLegalForm, LEGAL_FORM_LABELS } from './legal-forms.js';
import { OrganisationInvitesService } from './organisation-invites.service.js';
import { isUuid } from '../common/ids.js';
import { OrganisationMembersService } from './organisation-members.service.js';
import { OrganisationsService } from './organisations.service.js';

const PAGE_SIZE = 25;
const AUDIT_PAGE_SIZE = 50;

/** The audit actions of an organisation, in words. */
const ACTION_LABELS: Record<string, string> = {
  'organisation.registered': 'Registered',
  'organisation.updated': 'Details changed',
  'organisation.member_invited': 'Invitation sent',
  'organisation.invite_revoked': 'Invitation cancelled',
  'organisation.member_joined': 'Member joined',
  'organisation.member_removed': 'Member removed',
  'organisation.member_left': 'Member left',
};

/** Audit fields in words. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  legalForm: 'Type of organisation',
  charityNumber: 'Charity number',
  companyNumber: 'Company number',
  orgId: 'Identifier',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2',
  town: 'Town or city',
  postcode: 'Postcode',
  districtId: 'District',
  contactName: 'Contact name',
  contactEmail: 'Contact email',
  contactPhone: 'Contact phone',
  owner: 'Owner',
  email: 'Email',
  fullName: 'Name',
  role: 'Role',
  status: 'Status',
  expiresAt: 'Link expires',
  inviteId: 'Invitation',
  userId: 'Person',
  replacedInviteIds: 'Replaced invitations',
};

/** An audit event as rows of what changed, from before to after, in words. */
function historyRow(event: AuditRecord, districtNames: Map<string, string>) {
  const shown = (field: string, value: unknown): string | null => {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return null;
    if (field === 'legalForm' && isLegalForm(value)) return LEGAL_FORM_LABELS[value];
    if (field === 'districtId' && typeof value === 'string') return districtNames.get(value) ?? value;
    if (field === 'expiresAt' && typeof value === 'string') return formatDateTime(value);
    if (field === 'owner' && value && typeof value === 'object' && 'email' in value) return String((value as { email: unknown }).email);
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  const before = event.before ?? {};
  const after = event.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return {
    occurredAt: event.occurredAt,
    actorLabel: event.actorLabel,
    what: ACTION_LABELS[event.action] ?? event.action,
    changes: fields
      .map((field) => ({ field: FIELD_LABELS[field] ?? field, before: shown(field, before[field]), after: shown(field, after[field]) }))
      .filter((c) => c.before !== null || c.after !== null),
  };
}

/** A whole number from the query string within bounds, or the fallback. */
function pageNumber(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 1;
  return Math.max(1, n);
}

/** Staff views of every organisation: search, details, members and history. */
@ApiExcludeController()
@Controller('staff/organisations')
export class StaffOrganisationsPages {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly members: OrganisationMembersService,
    private readonly invites: OrganisationInvitesService,
    private readonly audit: AuditService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @StaffRead('grants_officer', 'finance_officer')
  async list(@CurrentUser() user: AuthenticatedUser, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const name = typeof query.name === 'string' ? query.name.trim().slice(0, 160) : '';
    const districtId = typeof query.districtId === 'string' && isUuid(query.districtId) ? query.districtId : '';
    const page = pageNumber(query.page);
    const [result, districts] = await Promise.all([
      this.organisations.list(user, { page, pageSize: PAGE_SIZE, name: name || undefined, districtId: districtId || undefined }, 'visible'),
      this.organisations.activeDistricts(),
    ]);
    const filters = new URLSearchParams();
    if (name) filters.set('name', name);
    if (districtId) filters.set('districtId', districtId);
    const baseUrl = `/staff/organisations?${filters.toString()}${filters.toString() ? '&' : ''}`;
    return this.pages.render(request, reply, 'pages/staff/organisations/list.njk', {
      pageTitle: 'Organisations',
      result,
      pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
      filters: { name, districtId },
      districts,
      baseUrl,
    });
  }

  @Get(':id')
  @StaffRead('grants_officer', 'finance_officer')
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const organisation = await this.organisations.get(user, id);
    const page = pageNumber(query.page);
    const [members, invites, history, districts] = await Promise.all([
      this.members.list(user, id),
      this.invites.list(user, id),
      this.audit.list({ entityType: 'organisation', entityId: id, page, pageSize: AUDIT_PAGE_SIZE }),
      this.organisations.districtNames(),
    ]);
    return this.pages.render(request, reply, 'pages/staff/organisations/show.njk', {
      pageTitle: organisation.name,
      backLink: '/staff/organisations',
      organisation,
      members,
      invites,
      history: history.items.map((event) => historyRow(event, districts)),
      historyPage: page,
      historyPages: Math.max(1, Math.ceil(history.total / AUDIT_PAGE_SIZE)),
      canEdit: this.organisations.mayChangeDetails(user, organisation.myRole),
    });
  }
}
