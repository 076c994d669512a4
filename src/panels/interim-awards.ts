import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AwardsPort, type ProvisionalAwardInput } from './awards.port.js';

/**
 * STAND-IN, replaced by AwardsService at merge (the awards module is built on another branch):
 * writes nothing, hands out fresh award ids. Panels' tests do not depend on award rows.
 */
@Injectable()
export class InterimAwards extends AwardsPort {
  createProvisional(_m: EntityManager, _input: ProvisionalAwardInput, _actor: Actor): Promise<{ awardId: string; reference: string }> {
    return Promise.resolve({ awardId: randomUUID(), reference: 'PENDING' });
  }

  changeProvisional(): Promise<void> {
    return Promise.resolve();
  }

  cancelProvisional(): Promise<void> {
    return Promise.resolve();
  }

  offer(): Promise<void> {
    return Promise.resolve();
  }
}
