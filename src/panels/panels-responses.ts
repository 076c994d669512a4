/** OpenAPI schemas of panels' answers (documented once, used by the controller). */
type Schema = Record<string, unknown>;
const str: Schema = { type: 'string' };
const uuid: Schema = { type: 'string', format: 'uuid' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const bool: Schema = { type: 'boolean' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const nullable = (s: Schema): Schema => ({ ...s, nullable: true });
const obj = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({ type: 'object', properties, required });
const arr = (items: Schema): Schema => ({ type: 'array', items });

const member = obj({ userId: uuid, fullName: str, chair: bool });
export const PANEL_SCHEMA = obj({
  id: uuid,
  roundId: uuid,
  title: str,
  meetingAt: dateTime,
  status: { type: 'string', enum: ['open', 'confirmed'] },
  chairId: nullable(uuid),
  members: arr(member),
  agendaCount: int,
  decidedCount: int,
  confirmedAt: nullable(dateTime),
});
export const PANEL_LIST_SCHEMA = obj({ items: arr(PANEL_SCHEMA), total: int, page: int, pageSize: int });
export const DECISION_SCHEMA = obj(
  {
    id: uuid,
    applicationId: uuid,
    outcome: { type: 'string', enum: ['approve', 'approve_in_part', 'reject', 'defer'] },
    amountPence: nullable(int),
    awardId: nullable(uuid),
    panelId: uuid,
    status: { type: 'string', enum: ['recorded', 'changed', 'confirmed'] },
    conditions: arr(str),
    reducedBudgetLines: arr(obj({ budgetLineId: uuid, amountPence: int })),
    feedback: nullable(str),
    reason: nullable(str),
    version: int,
    recordedAt: dateTime,
  },
  ['id', 'applicationId', 'outcome', 'amountPence'],
);
export const DECISION_LIST_SCHEMA = obj({ items: arr(DECISION_SCHEMA) });
const person = obj({ userId: uuid, fullName: str });
export const AGENDA_SCHEMA = obj({
  panelId: uuid,
  roundId: uuid,
  status: str,
  pots: arr(
    obj({
      potId: uuid,
      name: str,
      budgetPence: int,
      committedPence: int,
      availablePence: int,
      fundingLinePence: int,
      items: arr(
        obj({
          rank: int,
          applicationId: uuid,
          reference: nullable(str),
          organisationId: uuid,
          organisationName: str,
          projectTitle: nullable(str),
          status: str,
          scorePercent: nullable(num),
          amountRequestedPence: int,
          runningTotalPence: int,
          withinBudget: bool,
          recommendations: arr(obj({ recommendation: str, recommendedPence: nullable(int), weightedScore: nullable(num) })),
          notTakingPart: arr(person),
          decision: nullable(DECISION_SCHEMA),
        }),
      ),
    }),
  ),
});
export const CONFIRM_SCHEMA = obj({ panelId: uuid, status: str, confirmedAt: dateTime, approved: int, rejected: int, deferred: int, awardIds: arr(uuid) });
export const MINUTES_SCHEMA = obj({
  panelId: uuid,
  final: bool,
  confirmedAt: str,
  confirmedBy: str,
  attendees: arr(member),
  items: arr(
    obj({
      applicationId: uuid,
      reference: nullable(str),
      organisationName: str,
      outcome: str,
      amountPence: nullable(int),
      conditions: arr(str),
      feedback: nullable(str),
      reason: nullable(str),
      notTakingPart: arr(person),
    }),
  ),
});
export const STANDARD_CONDITIONS_SCHEMA = obj({ fundId: uuid, conditions: arr(str) });
