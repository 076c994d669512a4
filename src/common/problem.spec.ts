import { BadRequestException } from '@nestjs/common';
import { DomainError } from './errors.js';
import { toProblem } from './problem.js';

describe('toProblem', () => {
  it('maps a DomainError to its status and code, with field errors', () => {
    const p = toProblem(new DomainError('validation', 'X.Y', 'Bad', [{ field: 'a', code: 'FIELD.REQUIRED', message: 'Enter a' }]));
    expect(p).toMatchObject({ status: 422, code: 'X.Y', title: 'Validation failed', detail: 'Bad', type: '/problems/x-y' });
    expect(p.errors).toHaveLength(1);
  });

  it('never lets extra members replace the standard ones', () => {
    const p = toProblem(new DomainError('conflict', 'R.C', 'Conflict', [], { status: 'open', code: 'other', current: { v: 2 } }));
    expect(p).toMatchObject({ status: 409, code: 'R.C', current: { v: 2 } });
  });

  it('maps a Fastify error wrapped by Nest through its cause', () => {
    const cause = Object.assign(new Error('bad json'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    const wrapped = new BadRequestException('bad json', { cause });
    expect(toProblem(wrapped)).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED_JSON' });
  });

  it('hides the internals of unknown errors', () => {
    const p = toProblem(new TypeError('cannot read x of undefined at /srv/app.js:1'));
    expect(p).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(JSON.stringify(p)).not.toContain('app.js');
  });
});
