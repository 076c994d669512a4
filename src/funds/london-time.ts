import { parseLondonDateTime } from '../common/dates.js';

/**
 * Round dates are entered and shown in Europe/London. An ISO 8601 date-time with an offset ("Z",
 * "+01:00") is taken as given; one without is London wall-clock time (GMT or BST as it falls).
 * The arithmetic lives in common/dates.ts; this file names what rounds use.
 */
export { fromLondon, isRealDateTime, londonParts, type LondonParts } from '../common/dates.js';

/** Parses an ISO 8601 date-time (London time when it has no offset); null when it is not one. */
export const parseRoundDateTime = (input: unknown): Date | null => parseLondonDateTime(input);
