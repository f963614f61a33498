/** The pure half of Xurrent writes: input → request body, and Xurrent's 422 answers → userErrors. */
import { describe, expect, it } from 'vitest';
import { buildBody, userErrorsOf } from '../../../src/sources/xurrent/write-input.js';

describe('buildBody', () => {
  it("builds Xurrent's body: `<reference>_id` integers, snake_case fields, whole minutes", () => {
    expect(buildBody({
      personId: '7', date: '2016-03-28', timeSpent: { hours: 2 }, customerId: '8', serviceId: '36', timeAllocationId: '4',
      description: 'Transaction response time testing for new HR features.', startedAt: '2016-03-28T09:00:00.000Z', noteId: '12',
      costCurrency: 'USD', correction: false, effortClassId: '1',
    }, true)).toEqual({
      body: {
        person_id: 7, date: '2016-03-28', time_spent: 120, customer_id: 8, service_id: 36, time_allocation_id: 4,
        description: 'Transaction response time testing for new HR features.', started_at: '2016-03-28T09:00:00.000Z', note_id: 12,
        cost_currency: 'USD', correction: false, effort_class_id: 1,
      },
    });
  });

  it('sends only the given fields on update, and null clears an optional one', () => {
    expect(buildBody({ description: null, requestId: null, startedAt: null, timeSpent: { minutes: -0 }, rounding: 'UP' }, false)).toEqual({
      body: { description: null, request_id: null, started_at: null, time_spent: 0 },
    });
    expect(Object.is((buildBody({ timeSpent: { minutes: -0 } }, false) as { body: { time_spent: number } }).body.time_spent, 0)).toBe(true);
  });

  it('reports every problem of an input at once', () => {
    const result = buildBody({ personId: 'x', date: '2026-10-20', timeSpent: { seconds: 30 }, description: 'd'.repeat(81) }, true);
    expect('errors' in result && result.errors.map((e) => [e.field?.join('.'), e.code])).toEqual([
      ['input.xurrent.personId', 'INVALID_ID'],
      ['input.xurrent.customerId', 'VALIDATION'],
      ['input.xurrent.serviceId', 'VALIDATION'],
      ['input.xurrent.description', 'VALIDATION'],
      ['input.xurrent.timeSpent.seconds', 'INEXACT_DURATION'],
    ]);
  });

  it('needs no customer or service when the entry is linked to a problem, task or project task', () => {
    for (const link of ['problemId', 'taskId', 'projectTaskId', 'requestId']) {
      expect(buildBody({ personId: '7', date: '2026-10-20', timeSpent: { minutes: 5 }, [link]: '812' }, true)).toHaveProperty('body');
    }
  });
});

describe('userErrorsOf', () => {
  it('puts each [field, message] pair on the input field, quoting what was sent', () => {
    expect(userErrorsOf({ message: 'Validation failed', errors: [['time_spent', 'must be an integer'], ['effort_class', 'is invalid']] }, { timeSpent: { minutes: 1 }, effortClassId: '99' })).toEqual([
      { field: ['input', 'xurrent', 'timeSpent'], code: 'VALIDATION', message: 'timeSpent must be an integer (got {"minutes":1}).' },
      { field: ['input', 'xurrent', 'effortClassId'], code: 'VALIDATION', message: 'effortClassId is invalid (got "99").' },
    ]);
  });

  it('puts `base`, unknown fields and a bare message on the whole input', () => {
    expect(userErrorsOf({ message: 'Validation failed', errors: [['base', 'the date is locked'], ['coverage', 'is missing']] }, {})).toEqual([
      { field: ['input', 'xurrent'], code: 'VALIDATION', message: 'Xurrent rejected the entry: the date is locked.' },
      { field: ['input', 'xurrent'], code: 'VALIDATION', message: 'Xurrent rejected the entry: coverage is missing.' },
    ]);
    expect(userErrorsOf({ message: 'Time entry is locked' }, {})).toEqual([
      { field: ['input', 'xurrent'], code: 'VALIDATION', message: 'Xurrent rejected the entry: Time entry is locked' },
    ]);
  });
});
