/** The checklist every round starts with (seeded for existing rounds by the migration, for new ones on first use). */
export const DEFAULT_CHECKLIST: readonly { key: string; label: string }[] = [
  { key: 'registered_number', label: 'Registered number checked against the public register' },
  { key: 'latest_accounts', label: 'Latest accounts seen' },
  { key: 'safeguarding_policy', label: 'Safeguarding policy in date' },
  { key: 'bank_account', label: "Bank account in the organisation's name" },
  { key: 'project_area', label: 'Project within the area' },
  { key: 'no_excluded_purpose', label: 'No excluded purpose' },
];

export const CHECKLIST_KEY = /^[a-z][a-z0-9_]{1,59}$/;
export const MAX_CHECKLIST_ITEMS = 30;
export const MAX_NOTE_LENGTH = 2000;
export const MAX_MESSAGE_LENGTH = 5000;
export const MAX_REASON_LENGTH = 2000;
