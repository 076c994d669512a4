/** A bid's statuses, for other modules and the access policy (the entity file is applications' own). */
export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'screening',
  'more_info_requested',
  'in_assessment',
  'assessed',
  'at_panel',
  'approved',
  'rejected',
  'deferred',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
