import { Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * THE clock of the service: what time it is now, asked through one injectable provider so tests
 * can replace it (`overrideProvider(Clock).useValue(new FixedClock(...))`).
 *
 * How it relates to the database's clock: the process and PostgreSQL read the same host clock
 * (NTP-synchronised in production), so they agree to well under a second. Where a decision is
 * recorded in rows inside a transaction (the application deadline at submission, `submitted_at`,
 * a round's opening and closing moments, a form frozen when the round opens) the database's
 * transaction time decides, so the check and the stored time are the same instant; read it with
 * `transactionTime(m)` rather than this clock. The clock decides what happens before and around a
 * transaction: whether a date typed in is in the future, whether a list shows a round as taking
 * applications, whether a scheduled job arrived early.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stays where it is put (tests). */
export class FixedClock extends Clock {
  private at: number;

  constructor(at: Date | string | number) {
    super();
    this.at = new Date(at).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date | string | number): void {
    this.at = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

/**
 * The database's time for this transaction (PostgreSQL `now()`: the moment the transaction
 * started, the same value every `now()` in it writes).
 */
export async function transactionTime(m: EntityManager): Promise<Date> {
  const [{ now }] = (await m.query(`SELECT now() AS now`)) as { now: Date }[];
  return new Date(now);
}

/** Provides the Clock (the system's) to the modules that import it. */
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
