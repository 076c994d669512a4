import { Injectable } from '@nestjs/common';

/** What someone saw on a public register (Charity Commission, Companies House) about a number, and when. */
export interface RegisterRecord {
  registeredNumber: string;
  nameShown: string;
  /** As the register shows it, e.g. "Registered", "Removed", "Active", "Dissolved". */
  registerStatus: string;
  checkedAt: Date;
}

/**
 * The port for checking a registered number against a public register. Screening depends only on
 * this; the default is manual (the officer records what they saw), and a real register client can
 * be bound to REGISTER_LOOKUP later without touching screening.
 */
export interface RegisterLookup {
  /** A short name stored with each record ('manual', 'charity-commission', ...). */
  readonly source: string;
  /**
   * The record to keep for a number: a client would fetch it (ignoring what was typed); the manual
   * look-up keeps what the officer recorded.
   */
  lookUp(registeredNumber: string, recorded: RegisterRecord): Promise<RegisterRecord>;
}

export const REGISTER_LOOKUP = Symbol('REGISTER_LOOKUP');

/** The default: no network; the officer's own record of what the register showed. */
@Injectable()
export class ManualRegisterLookup implements RegisterLookup {
  readonly source = 'manual';

  async lookUp(_registeredNumber: string, recorded: RegisterRecord): Promise<RegisterRecord> {
    return recorded;
  }
}
