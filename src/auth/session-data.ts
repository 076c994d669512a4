/** What the service keeps in a browser session. */
declare module 'fastify' {
  interface Session {
    userId?: string;
    /** When the person signed in (ms): sessions end this long after, however active. */
    signedInAt?: number;
    /** One-time messages for the next page. */
    flash?: { type: 'success' | 'info'; heading?: string; text: string };
    /** Where to go after signing in. */
    returnTo?: string;
    /** Answers carried between the pages of a multi-page form. */
    journeys?: Record<string, Record<string, unknown>>;
  }
}

export {};
