/** OpenAPI schemas of assessment's answers (documented once, used by the controller). */
type Schema = Record<string, unknown>;
const str: Schema = { type: 'string' };
const uuid: Schema = { type: 'string', format: 'uuid' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const bool: Schema = { type: 'boolean' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const nullable = (s: Schema): Schema => ({ ...s, nullable: true });
const obj = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({ type: 'object', properties, required });
const list = (item: Schema, extra: Record<string, Schema> = {}): Schema => obj({ items: { type: 'array', items: item }, ...extra });

const criterion = obj({ key: str, name: str, guidance: str, weight: int, allowNotApplicable: bool });
export const CRITERIA_SCHEMA = obj({ roundId: uuid, criteria: { type: 'array', items: criterion }, assessorsPerBid: int, moderationThreshold: int, dueDays: int, frozen: bool });
export const POOL_SCHEMA = obj({
  roundId: uuid,
  assessors: { type: 'array', items: obj({ userId: uuid, capacity: int, fullName: str, email: str, addedAt: dateTime, openAssessments: int }) },
});
export const CONFLICT_SCHEMA = obj({ id: uuid, userId: uuid, organisationId: uuid, organisationName: str, reason: str, declaredAt: dateTime });
export const CONFLICT_LIST_SCHEMA = list(CONFLICT_SCHEMA);
export const QUEUE_ITEM_SCHEMA = obj({ id: uuid, applicationId: uuid, dueOn: { type: 'string', format: 'date' }, status: { type: 'string', enum: ['open', 'submitted'] } });
export const MY_ASSESSMENTS_SCHEMA = list(QUEUE_ITEM_SCHEMA, {
  total: int,
  page: int,
  pageSize: int,
});
const score = obj({ criterionKey: str, score: nullable(int), comment: str });
export const ASSESSMENT_SCHEMA = obj({
  id: uuid,
  applicationId: uuid,
  assessorId: uuid,
  status: { type: 'string', enum: ['open', 'submitted', 'removed'] },
  dueOn: { type: 'string', format: 'date' },
  noConflictConfirmed: bool,
  criteria: { type: 'array', items: criterion },
  scores: { type: 'array', items: score },
  recommendation: { type: 'string', enum: ['fund', 'fund_in_part', 'do_not_fund'], nullable: true },
  recommendedPence: nullable(int),
  weightedScore: nullable(num),
  submittedAt: nullable(dateTime),
  version: int,
});
export const UNASSIGNED_SCHEMA = list(obj({ id: uuid, reference: nullable(str), roundId: uuid, arrivedAt: dateTime, assigned: int, needed: int }));
export const FLAGGED_SCHEMA = list(obj({ applicationId: uuid, scores: { type: 'array', items: num } }));
export const ASSIGNMENT_SCHEMA = obj({ id: uuid });
export const MODERATION_SCHEMA = obj({ applicationId: uuid, scorePercent: num, status: str });
export const RANKING_SCHEMA = obj({
  roundId: uuid,
  potId: nullable(uuid),
  pots: { type: 'array', items: obj({ id: uuid, name: str }) },
  budgetPence: int,
  committedPence: int,
  availablePence: int,
  items: {
    type: 'array',
    items: obj({ rank: int, applicationId: uuid, reference: nullable(str), scorePercent: num, amountRequestedPence: int, runningTotalPence: int, withinBudget: bool }),
  },
});
