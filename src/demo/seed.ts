import { DEMO_ASSESSMENT_BIDS, DEMO_PANEL_BIDS } from './demo-data.js';
import { loadDemoPanels } from './demo-panels.js';
import { loadDemoAssessment } from './demo-assessment.js';
import { loadDemoReporting } from './demo-reporting.js';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import argon2 from 'argon2';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AccountImportService } from '../accounts/account-import.service.js';
import { AppModule } from '../app.module.js';
import { ApplicationHistoryService } from '../applications/application-history.service.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { BudgetLinesService } from '../applications/budget-lines.service.js';
import { AttachmentStorage } from '../attachments/attachment-storage.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import type { AppConfig } from '../config/config.js';
import { PaymentSettingsService } from '../finance/payment-settings.service.js';
import { FundsService } from '../funds/funds.service.js';
import { RoundHistoryService } from '../funds/round-history.service.js';
import { RoundLifecycleService } from '../funds/round-lifecycle.service.js';
import { PotSetupService } from '../funds/pot-setup.service.js';
import { RoundSetupService } from '../funds/round-setup.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { ReferenceDataService } from '../reference-data/reference-data.service.js';
import { DEMO_DISTRICTS, DEMO_ORGANISATIONS, DEMO_USERS } from './demo-data.js';
import { screenDemoBid, type DemoScreeningState } from './demo-screening.js';
import {
  ALL_PRIORITIES, daysFromToday, DEMO_CRITERIA, DEMO_ELIGIBILITY, DEMO_EXCLUSIONS, DEMO_FORM, DEMO_OUTCOMES, demoAnswers, demoBudget, importHistory, isoDate,
} from './demo-funding.js';

/** A tiny valid PDF: the demo's safeguarding policies (the attachment check reads the bytes). */
const DEMO_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

/**
 * Loads the demo data into an empty database (development only; never when NODE_ENV=production),
 * through the same services the pages and the API call, so the demo can never hold what the
 * service would refuse. The users (who share the demo password) and the history of past rounds
 * (see demo-funding.ts) go through the owning modules' import doors (AccountImportService,
 * RoundHistoryService, ApplicationHistoryService): demo/ writes no table itself.
 */
export async function seedDemoIfEmpty(config: AppConfig): Promise<boolean> {
  if (config.nodeEnv === 'production') return false;
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'], abortOnError: false });
  try {
    if (await app.get(AccountImportService).anyAccount()) return false;
    await new DemoLoader(app, config).load();
    return true;
  } finally {
    await app.close();
  }
}

type Person = AuthenticatedUser & { actor: Actor };

class DemoLoader {
  private readonly ds: DataSource;
  private readonly people = new Map<string, Person>();
  private readonly system: Actor = { userId: null, label: 'system:demo' };

  constructor(
    private readonly app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    this.ds = app.get(DataSource);
  }

  async load(): Promise<void> {
    await this.users();
    const reference = this.app.get(ReferenceDataService);
    const districts = new Map<string, string>();
    for (const d of DEMO_DISTRICTS) districts.set(d.gssCode, (await reference.createDistrict(this.system, { gssCode: d.gssCode, name: d.name })).id);
    const priorities = new Map<string, string>();
    for (const [i, o] of DEMO_OUTCOMES.entries()) {
      const outcome = await reference.createOutcome(this.system, { code: o.code, name: o.name, position: i + 1 });
      for (const [j, [code, name]] of o.priorities.entries()) {
        priorities.set(code, (await reference.createPriority(this.system, { code, name, outcomeId: outcome.id, position: j + 1 })).id);
      }
    }
    const organisations = this.app.get(OrganisationsService);
    const orgIds = new Map<string, string>();
    for (const o of DEMO_ORGANISATIONS) {
      const owner = this.person(o.members[0]);
      const view = await organisations.register(owner.actor, owner, {
        name: o.name, legalForm: o.legalForm, charityNumber: o.charityNumber, companyNumber: o.companyNumber, addressLine1: o.addressLine1, town: o.town,
        postcode: o.postcode, districtId: districts.get(o.districtGss), contactName: o.contactName, contactEmail: o.contactEmail,
      });
      orgIds.set(o.name, view.id);
    }
    const officer = this.person('officer@demo.test');
    const fund = await this.app.get(FundsService).create(officer.actor, {
      name: 'Safer Communities Fund',
      funderName: 'Police and Crime Commissioner for West Yorkshire',
      fundingSource: 'Proceeds of Crime Act',
      description:
        'Small grants, paid from money recovered from criminals, to voluntary and community groups, charities, not-for-profits and local statutory partners for projects that make communities safer.',
      referencePrefix: 'SCF',
    });
    const history = { rounds: this.app.get(RoundHistoryService), applications: this.app.get(ApplicationHistoryService) };
    const owners = new Map(
      DEMO_ORGANISATIONS.map((o) => {
        const owner = this.person(o.members[0]);
        return [o.name, { id: orgIds.get(o.name)!, ownerId: owner.id, ownerName: owner.fullName }];
      }),
    );
    await this.ds.transaction((m) => importHistory(m, history, fund.id, { districts, priorities, organisations: owners }));
    await loadDemoReporting(this.app, officer.actor, fund.id);
    await this.openRound(fund.id, officer, districts, priorities, orgIds);
    const audit = this.app.get(AuditService);
    await this.ds.transaction((m) =>
      audit.record(m, this.system, {
        action: 'demo.seeded',
        entityType: 'system',
        entityId: 'demo',
        after: { users: DEMO_USERS.length, districts: DEMO_DISTRICTS.length, organisations: DEMO_ORGANISATIONS.length },
      }),
    );
  }

  /** The demo people: accounts with the shared demo password, already confirmed (a system path: nobody registers them). */
  private async users(): Promise<void> {
    const hash = await argon2.hash(this.config.demoPassword, { type: argon2.argon2id });
    const ids = await this.app.get(AccountImportService).importConfirmed(DEMO_USERS.map((u) => ({ email: u.email, fullName: u.fullName, passwordHash: hash, roles: u.roles })));
    for (const u of DEMO_USERS) {
      const id = ids.get(u.email)!;
      this.people.set(u.email, { id, email: u.email, fullName: u.fullName, roles: u.roles, emailVerified: true, via: 'session', actor: { userId: id, label: u.email } });
    }
  }

  private person(email: string | undefined): Person {
    const person = email ? this.people.get(email) : undefined;
    if (!person) throw new Error(`demo data: no demo user ${email}`);
    return person;
  }

  /** Round 22, open whenever the demo starts (opened a week ago, closes in four weeks at 5pm), with bids in several states. */
  private async openRound(fundId: string, officer: Person, districts: Map<string, string>, priorities: Map<string, string>, orgIds: Map<string, string>): Promise<void> {
    const setup = this.app.get(RoundSetupService);
    const round = await setup.createRound(officer.actor, fundId, {
      code: 'R22',
      title: 'Safer Communities Fund round 22',
      description: 'Grants for community projects that make West Yorkshire safer, from money recovered from criminals under the Proceeds of Crime Act.',
      criteria: DEMO_CRITERIA,
      exclusions: DEMO_EXCLUSIONS,
      opensAt: daysFromToday(-7, 9).toISOString(),
      closesAt: daysFromToday(28, 17).toISOString(),
      totalBudgetPence: 25000000,
    });
    const pots = this.app.get(PotSetupService);
    const small = await pots.createPot(officer.actor, round.id, {
      name: 'Community grants', description: 'Grants of £1,000 to £6,000 for projects anywhere in West Yorkshire.',
      minGrantPence: 100000, maxGrantPence: 600000, budgetPence: 15000000, districtIds: [...districts.values()], priorityIds: ALL_PRIORITIES.map((c) => priorities.get(c)!),
    });
    const large = await pots.createPot(officer.actor, round.id, {
      name: 'Tackling exploitation', description: 'Grants of £15,000 to £20,000 for projects in Bradford and Leeds tackling exploitation and abuse.',
      minGrantPence: 1500000, maxGrantPence: 2000000, budgetPence: 4000000, districtIds: [districts.get('E08000032')!, districts.get('E08000035')!],
      priorityIds: ['human-trafficking-modern-slavery', 'child-sexual-exploitation', 'domestic-sexual-abuse'].map((c) => priorities.get(c)!),
    });
    await setup.replaceEligibilityQuestions(officer.actor, round.id, DEMO_ELIGIBILITY.map((q) => ({ ...q })));
    await setup.saveForm(officer.actor, round.id, DEMO_FORM);
    await this.app.get(RoundLifecycleService).transition(officer.actor, round.id, 'open', 'grants_officer', { reason: 'Demo round opened' });

    const start = isoDate(daysFromToday(60, 0));
    const end = isoDate(daysFromToday(300, 0));
    const bids: { pot: string; org: string; title: string; summary: string; amountPence: number; priorities: string[]; district: string; to: 'draft' | 'submitted' | 'withdrawn' | DemoScreeningState; scored?: boolean }[] = [
      { pot: small.id, org: 'Holbeck Neighbourhood Watch Association', title: 'Safer streets walkabouts in Holbeck', to: 'draft', amountPence: 425000,
        summary: 'Monthly walkabouts with residents, police community support officers and the council to find and fix places that feel unsafe.', priorities: ['anti-social-behaviour'], district: 'E08000035' },
      { pot: small.id, org: 'Calder Valley Youth Outreach', title: 'Friday night youth club in Hebden Bridge', to: 'submitted', amountPence: 575050,
        summary: 'A weekly youth club with detached youth workers to reduce anti-social behaviour on Friday nights.', priorities: ['anti-social-behaviour', 'drugs-alcohol'], district: 'E08000033' },
      { pot: large.id, org: 'Bradford Women’s Safety Network', title: 'Exploitation outreach in Bradford nail bars', to: 'screening', amountPence: 1875000,
        summary: 'Trained outreach workers visiting nail bars and car washes to spot and support victims of modern slavery.', priorities: ['human-trafficking-modern-slavery'], district: 'E08000032' },
      { pot: small.id, org: 'Wakefield Street Angels', title: 'Winter night patrols', to: 'withdrawn', amountPence: 310000,
        summary: 'Volunteer patrols supporting vulnerable people in Wakefield city centre on winter weekends.', priorities: ['supporting-victims'], district: 'E08000036' },
      { pot: small.id, org: 'Holbeck Neighbourhood Watch Association', title: 'Street lighting survey in Holbeck', to: 'more_info', amountPence: 280000,
        summary: 'Residents mapping dark alleys and broken lights with the council, so that repairs go where people feel least safe.', priorities: ['anti-social-behaviour'], district: 'E08000035' },
      { pot: small.id, org: 'Calder Valley Youth Outreach', title: 'Detached youth work in Todmorden', to: 'in_assessment', amountPence: 490000,
        summary: 'Youth workers meeting young people where they gather on weekend evenings, with routes into sport and music.', priorities: ['anti-social-behaviour'], district: 'E08000033' },
      { pot: small.id, org: 'Wakefield Street Angels', title: 'Safe space at the bus station', to: 'in_assessment', amountPence: 355000,
        summary: 'A staffed safe space at Wakefield bus station on Friday and Saturday nights for people who are vulnerable or lost.', priorities: ['supporting-victims'], district: 'E08000036' },
      ...DEMO_ASSESSMENT_BIDS.map((b) => ({ ...b, pot: b.large ? large.id : small.id, to: 'in_assessment' as const, scored: true })),
      ...DEMO_PANEL_BIDS.map((b) => ({ ...b, priorities: [...b.priorities], pot: b.large ? large.id : small.id, to: 'in_assessment' as const, scored: true })),
    ];
    const idByTitle = new Map<string, string>();
    const inAssessment: string[] = [];
    const waitingForScores: string[] = [];
    const applications = this.app.get(ApplicationsService);
    const budget = this.app.get(BudgetLinesService);
    for (const bid of bids) {
      const organisation = DEMO_ORGANISATIONS.find((o) => o.name === bid.org)!;
      const applicant = this.person(organisation.members[0]);
      const created = await applications.create(applicant, applicant.actor, { roundId: round.id, potId: bid.pot, organisationId: orgIds.get(bid.org)! });
      idByTitle.set(bid.title, created.id);
      const complete = bid.to !== 'draft';
      let detail = await applications.updateProject(applicant, applicant.actor, created.id, {
        version: created.version, projectTitle: bid.title, projectSummary: bid.summary, projectStartDate: start, projectEndDate: end,
        districtIds: [districts.get(bid.district)!], priorityIds: bid.priorities.map((c) => priorities.get(c)!), completed: complete,
      });
      // The draft is half done: its first section begun, the rest for the person trying the demo.
      for (const section of DEMO_FORM.sections.slice(0, complete ? undefined : 1)) {
        const current = detail.sections.find((s) => s.key === section.key)!;
        await applications.saveSection(applicant, applicant.actor, created.id, section.key, {
          answers: demoAnswers(section.key, { summary: bid.summary, start }), version: current.version, completed: complete,
        });
      }
      if (!complete) continue;
      for (const line of demoBudget(bid.amountPence)) await budget.add(applicant, applicant.actor, created.id, line);
      await this.attachSafeguardingPolicy(applicant, created.id, bid.org);
      detail = await applications.get(applicant, created.id);
      const budgetSection = detail.sections.find((s) => s.kind === 'budget')!;
      await applications.saveSection(applicant, applicant.actor, created.id, budgetSection.key, { answers: {}, version: budgetSection.version, completed: true });
      await applications.submit(applicant, applicant.actor, created.id, { name: applicant.fullName, confirmed: true });
      if (bid.to === 'withdrawn') await applications.withdraw(applicant, applicant.actor, created.id, 'We found other funding for the patrols.');
      if (bid.to === 'screening' || bid.to === 'more_info' || bid.to === 'in_assessment') await screenDemoBid(this.app, officer, created.id, bid.to);
      // The scored bids first: the assessment demo scores the first few it is given.
      if (bid.to === 'in_assessment') (bid.scored ? inAssessment : waitingForScores).push(created.id);
    }
    await loadDemoAssessment(this.app, {
      roundId: round.id, officer, person: (email) => this.person(email), inAssessment: [...inAssessment, ...waitingForScores],
      conflictOrganisationId: orgIds.get('Wakefield Street Angels')!, moreScores: DEMO_PANEL_BIDS.map((b) => b.scores),
    });
    // Half on acceptance, half once the six-month return is accepted: the demo's accepted award shows both.
    await this.app.get(PaymentSettingsService).putRoundPlan(officer.actor, round.id, [
      { percent: 50, after: 'acceptance' },
      { percent: 50, monthsAfterStart: 6, condition: { kind: 'return_accepted', returnNumber: 1 } },
    ]);
    await loadDemoPanels(this.app, {
      roundId: round.id, fundId, officer, chair: this.person('panel@demo.test'),
      bids: DEMO_PANEL_BIDS.map((b) => ({ applicationId: idByTitle.get(b.title)!, owner: this.person(DEMO_ORGANISATIONS.find((o) => o.name === b.org)!.members[0]), plan: b.plan })),
      recordedNext: idByTitle.get(DEMO_ASSESSMENT_BIDS[2].title)!,
    });
  }

  private async attachSafeguardingPolicy(applicant: Person, applicationId: string, organisation: string): Promise<void> {
    const storage = this.app.get(AttachmentStorage);
    const file = await storage.receive(Readable.from([DEMO_PDF]));
    const name = `${organisation.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-safeguarding-policy.pdf`;
    await this.app.get(AttachmentsService).upload(applicant, applicant.actor, applicationId, async () => ({ kind: 'safeguarding_policy', unknownFields: [], file: { ...file, clientName: name } }));
  }
}
