import { describe, expect, it } from 'vitest';
import { durationIn } from '../../src/writes/duration-input.js';

const field = ['input', 'xurrent', 'timeSpent'];

describe('DurationInput conversion', () => {
  it('converts exactly to the backend unit', () => {
    expect(durationIn({ hours: 2 }, 'MINUTES', field)).toEqual({ value: 120 });
    expect(durationIn({ seconds: 600 }, 'MINUTES', field)).toEqual({ value: 10 });
    expect(durationIn({ hours: 0.1 }, 'MINUTES', field)).toEqual({ value: 6 });
    expect(durationIn({ minutes: -10 }, 'MINUTES', field)).toEqual({ value: -10 });
    expect(durationIn({ hours: 6 }, 'MILLISECONDS', field)).toEqual({ value: 21_600_000 });
    expect(durationIn({ seconds: 0.001 }, 'MILLISECONDS', field)).toEqual({ value: 1 });
  });

  it('refuses values the backend cannot hold exactly, naming the field and value', () => {
    const result = durationIn({ seconds: 90 }, 'MINUTES', field);
    expect(result).toMatchObject({ error: { code: 'INEXACT_DURATION', field: [...field, 'seconds'] } });
    expect('error' in result && result.error.message).toContain('90 seconds');
    expect(durationIn({ milliseconds: 1.5 }, 'MILLISECONDS', field)).toMatchObject({ error: { code: 'INEXACT_DURATION' } });
  });

  it('rounds only when asked', () => {
    expect(durationIn({ seconds: 90 }, 'MINUTES', field, 'NEAREST')).toEqual({ value: 2 });
    expect(durationIn({ seconds: 90 }, 'MINUTES', field, 'DOWN')).toEqual({ value: 1 });
    expect(durationIn({ seconds: -90 }, 'MINUTES', field, 'NEAREST')).toEqual({ value: -2 });
    expect(durationIn({ seconds: 61 }, 'MINUTES', field, 'UP')).toEqual({ value: 2 });
    expect(durationIn({ milliseconds: 1.5 }, 'MILLISECONDS', field, 'DOWN')).toEqual({ value: 1 });
  });

  it('rejects no unit or several', () => {
    expect(durationIn({}, 'MINUTES', field)).toMatchObject({ error: { code: 'INVALID_DURATION' } });
    expect(durationIn({ minutes: 1, seconds: 60 }, 'MINUTES', field)).toMatchObject({ error: { code: 'INVALID_DURATION' } });
  });
});
