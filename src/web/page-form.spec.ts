import 'reflect-metadata';
import { IsInt, IsNotEmpty, IsString, MaxLength, Min } from 'class-validator';
import { DomainError } from '../common/errors.js';
import { pageErrors, pageErrorView, pageForm } from './page-form.js';

class ThingDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(5)
  name: string;

  @IsInt()
  @Min(1)
  amountPence: number;
}

const errorsOf = async (plain: Record<string, unknown>, options = {}) => {
  try {
    await pageForm(ThingDto, plain, options);
  } catch (error) {
    return (error as DomainError).errors;
  }
  throw new Error('expected errors');
};

describe('pageForm: pages validate through the API DTOs', () => {
  it('passes a good body through as the DTO', async () => {
    await expect(pageForm(ThingDto, { name: 'Hall', amountPence: 5 })).resolves.toMatchObject({ name: 'Hall', amountPence: 5 });
  });

  it("shows the DTO's errors in the page's words, under the page's field names, one per field, in page order", async () => {
    const errors = await errorsOf(
      { name: '', amountPence: 0 },
      { rename: { amountPence: 'amount' }, order: ['amount', 'name'], messages: { name: { 'FIELD.REQUIRED': 'Enter a name' }, amount: 'Enter an amount' } },
    );
    expect(errors).toEqual([
      { field: 'amount', code: 'FIELD.TOO_SMALL', message: 'Enter an amount' },
      { field: 'name', code: 'FIELD.REQUIRED', message: 'Enter a name' },
    ]);
  });

  it("keeps the page's own parse errors in place of the DTO's for the same field, and shows both kinds at once", async () => {
    const errors = await errorsOf(
      { name: 'far too long', amountPence: undefined },
      { rename: { amountPence: 'amount' }, parseErrors: [{ field: 'amount', code: 'FIELD.NOT_AN_AMOUNT', message: 'Enter pounds' }] },
    );
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['amount', 'FIELD.NOT_AN_AMOUNT'],
      ['name', 'FIELD.TOO_LONG'],
    ]);
  });

  it("takes the page's status from the DomainError and rethrows what a page cannot put right", () => {
    expect(pageErrorView(new DomainError('conflict', 'X.CHANGED', 'Changed')).status).toBe(409);
    expect(pageErrorView(new DomainError('validation', 'X.BAD', 'Bad', [{ field: 'a.b', code: 'X', message: 'm' }])).form.errorList).toEqual([{ text: 'm', href: '#a-b' }]);
    expect(pageErrorView().status).toBe(200);
    expect(() => pageErrors(new DomainError('not_found', 'X.MISSING', 'Missing'))).toThrow('Missing');
    expect(() => pageErrors(new Error('boom'))).toThrow('boom');
  });
});
