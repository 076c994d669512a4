/** OpenAPI schemas of finance's answers (documented once, used by the controller). */
type Schema = Record<string, unknown>;
const str: Schema = { type: 'string' };
const uuid: Schema = { type: 'string', format: 'uuid' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const date: Schema = { type: 'string', format: 'date' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
/** OpenAPI 3.1 (JSON Schema 2020-12): null is a type of its own. */
const nullable = (s: Schema): Schema => ({ ...s, type: [s.type as string, 'null'], ...(Array.isArray(s.enum) ? { enum: [...(s.enum as unknown[]), null] } : {}) });
const obj = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({ type: 'object', properties, required });
const arr = (items: Schema): Schema => ({ type: 'array', items });

const condition: Schema = {
  oneOf: [obj({ kind: { type: 'string', enum: ['offer_condition'] }, text: str }), obj({ kind: { type: 'string', enum: ['return_accepted'] }, returnNumber: int }), { type: 'null' }],
};

export const BANK_ACCOUNT_SCHEMA = obj({
  awardId: uuid,
  entered: bool,
  accountName: nullable(str),
  sortCode: nullable(str),
  accountNumber: nullable(str),
  accountLastFour: nullable(str),
  masked: bool,
  verified: bool,
  verifiedAt: nullable(dateTime),
  verificationMethod: nullable({ type: 'string', enum: ['letter', 'bank_statement', 'call_back'] }),
  enteredAt: nullable(dateTime),
  enteredByUserId: nullable(uuid),
});

export const INSTALMENT_SCHEMA = obj({
  id: uuid,
  awardId: uuid,
  position: int,
  dueOn: date,
  amountPence: int,
  paidPence: int,
  awaitingApprovalPence: int,
  outstandingPence: int,
  condition,
  conditionText: nullable(str),
  conditionMet: bool,
  conditionMetAt: nullable(dateTime),
  conditionMetBy: nullable(str),
  conditionNote: nullable(str),
});

export const SCHEDULE_SCHEMA = obj({ awardId: uuid, reference: str, totalPence: int, paidPence: int, instalments: arr(INSTALMENT_SCHEMA) });

export const PAYMENT_SCHEMA = obj({
  id: uuid,
  awardId: uuid,
  instalmentId: nullable(uuid),
  amountPence: int,
  paidOn: date,
  reference: str,
  status: { type: 'string', enum: ['recorded', 'awaiting_approval', 'paid', 'rejected'] },
  statusLabel: str,
  recordedBy: str,
  recordedByUserId: uuid,
  decidedBy: nullable(str),
  decidedAt: nullable(dateTime),
  decisionNote: nullable(str),
  createdAt: dateTime,
});
export const PAYMENT_LIST_SCHEMA = obj({ items: arr(PAYMENT_SCHEMA) });

const blocker = obj({ code: str, message: str });
export const DUE_ITEM_SCHEMA = obj({
  instalment: INSTALMENT_SCHEMA,
  award: obj({ id: uuid, reference: str, organisationName: str, roundId: uuid, status: str, amountPence: int, paidPence: int }),
  fundId: uuid,
  status: { type: 'string', enum: ['due', 'overdue', 'blocked'] },
  overdue: bool,
  blockers: arr(blocker),
});
export const DUE_LIST_SCHEMA = obj({ items: arr(DUE_ITEM_SCHEMA), total: int, page: int, pageSize: int });

const planStep = obj({ percent: int, after: { type: 'string', enum: ['acceptance'] }, monthsAfterStart: int, condition }, ['percent']);
export const ROUND_PLAN_SCHEMA = obj({ roundId: uuid, fundId: uuid, steps: arr(planStep), set: bool });
export const APPROVAL_RULE_SCHEMA = obj({ fundId: uuid, approvalThresholdPence: nullable(int), approveEveryPayment: bool, effectiveThresholdPence: int });
