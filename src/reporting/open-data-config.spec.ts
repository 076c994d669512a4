import { ConfigError, loadConfig, type AppConfig } from '../config/config.js';
import { DomainError } from '../common/errors.js';
import { grantJson, toGrant, type OpenDataRow } from './open-data-grant.js';
import { OpenDataService } from './open-data.service.js';

describe('the open data settings', () => {
  it('has a clearly-demo org-id outside production, none in production unless set, and checks both', () => {
    expect(loadConfig({}).openData).toEqual({ orgId: 'XE-EXAMPLE-DEMO-PCC', orgName: 'Police and Crime Commissioner for West Yorkshire', prefix: '360G-pcc-demo' });
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) };
    expect(loadConfig(production).openData.orgId).toBeNull();
    expect(loadConfig({ ...production, OPEN_DATA_ORG_ID: 'GB-GOR-PC000123', OPEN_DATA_PREFIX: '360G-pcc-wy', OPEN_DATA_ORG_NAME: 'West Yorkshire PCC' }).openData).toEqual({
      orgId: 'GB-GOR-PC000123',
      orgName: 'West Yorkshire PCC',
      prefix: '360G-pcc-wy',
    });
    expect(() => loadConfig({ OPEN_DATA_ORG_ID: 'not an org id' })).toThrow(ConfigError);
    expect(() => loadConfig({ OPEN_DATA_PREFIX: 'pcc-wy' })).toThrow(ConfigError);
  });

  it('answers 503 OPEN_DATA.NOT_CONFIGURED without an org-id', () => {
    const service = new OpenDataService(null as never, { openData: { orgId: null, orgName: 'PCC', prefix: '360G-x' }, publicUrl: 'https://x' } as AppConfig);
    let error: unknown;
    try {
      service.publisher();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(503);
    expect((error as DomainError).code).toBe('OPEN_DATA.NOT_CONFIGURED');
  });
});

describe('a grant as 360Giving JSON', () => {
  const row: OpenDataRow = {
    awardId: 'a',
    reference: 'R1-0001',
    projectTitle: 'Safe "streets"',
    projectSummary: null,
    amountPence: 123450,
    decidedAt: new Date('2017-11-03T10:00:00Z'),
    startsOn: '2018-01-01',
    endsOn: null,
    updatedAt: new Date('2018-01-02T00:00:00Z'),
    orgId: 'GB-CHC-1123456',
    orgName: 'Group',
    postcode: 'LS1 4AB',
    charityNumber: '1123456',
    companyNumber: null,
    roundTitle: 'Round one',
    roundCode: 'R1',
    withheld: null,
    districts: [{ name: 'Leeds', gssCode: 'E08000035' }],
    priorities: [],
  };
  const publisher = { orgId: 'GB-GOR-PC000123', orgName: 'PCC', prefix: '360G-pcc', dataSource: 'https://x/360giving.json' };

  it('writes the amount with exactly two decimals and the title as the description when there is no summary', () => {
    const text = grantJson(toGrant(row, publisher));
    expect(text).toContain('"amountAwarded":1234.50}');
    expect(JSON.parse(text)).toMatchObject({ id: '360G-pcc-R1-0001', title: 'Safe "streets"', description: 'Safe "streets"', amountAwarded: 1234.5, awardDate: '2017-11-03', plannedDates: [{ startDate: '2018-01-01' }] });
  });

  it('drops the districts and the postcode when the location is withheld', () => {
    const g = JSON.parse(grantJson(toGrant({ ...row, withheld: 'location' }, publisher))) as Record<string, unknown>;
    expect(g.beneficiaryLocation).toBeUndefined();
    expect(g.recipientOrganization).toEqual([{ id: 'GB-CHC-1123456', name: 'Group', charityNumber: '1123456' }]);
  });
});
