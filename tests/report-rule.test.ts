import { describe, expect, it } from 'vitest';
import { reportsWeight, reportWeight } from '../server/moderation/report-rule.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('the report rule', () => {
  it('counts a member or a day-old guest fully, and a guest minutes old little', () => {
    expect(reportWeight({ network: 'a', kind: 'member', age: 0 })).toBe(1);
    expect(reportWeight({ network: 'a', kind: 'guest', age: DAY })).toBe(1);
    expect(reportWeight({ network: 'a', kind: 'guest', age: 2 * MINUTE })).toBe(0.1);
    expect(reportWeight(null)).toBe(1);
  });

  it('takes three day-old guests on three networks as three, and any number of fresh guests on one network as about one of them', () => {
    const dayOld = ['n1', 'n2', 'n3'].map((network, i) => ({ reporter: `g${i}`, origin: { network, kind: 'guest' as const, age: 2 * DAY } }));
    expect(reportsWeight(dayOld)).toEqual({ weight: 3, networks: 3 });
    const script = Array.from({ length: 50 }, (_, i) => ({ reporter: `s${i}`, origin: { network: 'n9', kind: 'guest' as const, age: MINUTE } }));
    expect(reportsWeight(script)).toEqual({ weight: 0.1, networks: 1 });
    const members = Array.from({ length: 3 }, (_, i) => ({ reporter: `m${i}`, origin: { network: 'office', kind: 'member' as const, age: MINUTE } }));
    expect(reportsWeight(members).weight).toBe(3);
  });
});
