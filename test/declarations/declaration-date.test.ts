import { describe, expect, test } from 'bun:test';
import {
  castDeclarationDate,
  endOfDayMicros,
  formatTimestamp,
  isAcceptedDeclarationDateFormat,
  isAfterMilestoneEnd,
  isBeforeMilestoneStart,
  isTurnableIntoTime,
  milestoneEndMicros,
  milestoneStartMicros,
  parseDeclarationDate,
  parseDeclarationDateMicros,
  startOfDayMicros,
} from '../../src/modules/declarations/declaration-date';

const iso = (raw: string) => {
  const d = parseDeclarationDate(raw);
  return d === null ? null : formatTimestamp(d);
};

describe('parseDeclarationDate (the accepted format, §5.1)', () => {
  test('when the value is full RFC 3339 with Z, then it parses to that instant', () => {
    expect(iso('2021-11-13T10:21:55Z')).toBe('2021-11-13T10:21:55Z');
  });

  test('when the zone is omitted, then the time is taken as UTC', () => {
    expect(iso('2021-11-13T10:21:55')).toBe('2021-11-13T10:21:55Z');
  });

  test('when T and Z are lowercase, then it is accepted', () => {
    expect(iso('2021-11-13t10:21:55z')).toBe('2021-11-13T10:21:55Z');
  });

  test('when the fraction uses a dot or a comma, then it is accepted and milliseconds are kept', () => {
    expect(parseDeclarationDate('2021-11-13T10:21:55.123Z')?.toISOString()).toBe('2021-11-13T10:21:55.123Z');
    expect(parseDeclarationDate('2021-11-13T10:21:55,5Z')?.toISOString()).toBe('2021-11-13T10:21:55.500Z');
  });

  test('when the zone is ±hh, ±hhmm or ±hh:mm, then the offset is applied', () => {
    expect(iso('2021-11-13T11:21:55+01')).toBe('2021-11-13T10:21:55Z');
    expect(iso('2021-11-13T11:51:55+0130')).toBe('2021-11-13T10:21:55Z');
    expect(iso('2021-11-13T11:21:55+01:00')).toBe('2021-11-13T10:21:55Z');
    expect(iso('2021-11-13T05:21:55-05:00')).toBe('2021-11-13T10:21:55Z');
  });

  test('when a date is given alone, then it is refused', () => {
    expect(parseDeclarationDate('2021-11-13')).toBeNull();
  });

  test('when a space replaces the T, then it is refused', () => {
    expect(parseDeclarationDate('2021-11-13 10:00:00')).toBeNull();
  });

  test('when there is a leading or trailing space, then it is refused', () => {
    expect(parseDeclarationDate(' 2021-11-13T10:00:00Z')).toBeNull();
    expect(parseDeclarationDate('2021-11-13T10:00:00Z ')).toBeNull();
    expect(parseDeclarationDate('2021-11-13T10:00:00Z\n')).toBeNull();
  });

  test('when the month is 19 or the hour 29, then it does not survive the general parse', () => {
    expect(parseDeclarationDate('2021-19-01T10:00:00Z')).toBeNull();
    expect(parseDeclarationDate('2021-11-13T29:00:00Z')).toBeNull();
    expect(parseDeclarationDate('2021-11-13T10:60:00Z')).toBeNull();
    expect(parseDeclarationDate('2021-11-32T10:00:00Z')).toBeNull();
    expect(parseDeclarationDate('2021-00-10T10:00:00Z')).toBeNull();
  });

  test('when the day is 29–31 in a short month, then it rolls into the next month', () => {
    expect(iso('2021-02-30T10:00:00Z')).toBe('2021-03-02T10:00:00Z');
    expect(iso('2021-04-31T10:00:00Z')).toBe('2021-05-01T10:00:00Z');
  });

  test('when the year has other than four digits or the value is not a date, then it is refused', () => {
    expect(parseDeclarationDate('21-11-13T10:00:00Z')).toBeNull();
    expect(parseDeclarationDate('foo')).toBeNull();
    expect(parseDeclarationDate('')).toBeNull();
  });

  test('when the example from §5.1 is given, then it is normalised to Z with whole seconds', () => {
    expect(iso('2021-11-13T11:21:55+01:00')).toBe('2021-11-13T10:21:55Z');
  });

  test('when the fraction has more than six digits, then microseconds are kept and the rest dropped', () => {
    expect(parseDeclarationDateMicros('1970-01-01T00:00:01.1234569Z')).toBe(1_123_456);
  });

  test('when isAcceptedDeclarationDateFormat is asked, then it agrees with the strict parse', () => {
    expect(isAcceptedDeclarationDateFormat('2021-11-13T10:00:00Z')).toBe(true);
    expect(isAcceptedDeclarationDateFormat('2021-11-13')).toBe(false);
  });
});

describe('isTurnableIntoTime / castDeclarationDate (check 3)', () => {
  test('when the value is in the accepted format, then it is turnable', () => {
    expect(isTurnableIntoTime('2021-11-13T10:00:00Z')).toBe(true);
  });

  test('when the value is date-only or uses a space, then it is still turnable (6a only)', () => {
    expect(isTurnableIntoTime('2021-11-13')).toBe(true);
    expect(formatTimestamp(castDeclarationDate('2021-11-13')!)).toBe('2021-11-13T00:00:00Z');
    expect(formatTimestamp(castDeclarationDate('2021-11-13 10:00:00')!)).toBe('2021-11-13T10:00:00Z');
    expect(formatTimestamp(castDeclarationDate(' 2021-11-13T10:00:00+01:00 ')!)).toBe('2021-11-13T09:00:00Z');
  });

  test('when the value is foo, blank or missing, then it is not turnable', () => {
    expect(isTurnableIntoTime('foo')).toBe(false);
    expect(isTurnableIntoTime('')).toBe(false);
    expect(isTurnableIntoTime('   ')).toBe(false);
    expect(isTurnableIntoTime(undefined)).toBe(false);
  });

  test('when the month is 19, then it is not turnable', () => {
    expect(isTurnableIntoTime('2021-19-01T10:00:00Z')).toBe(false);
  });
});

describe('formatTimestamp', () => {
  test('when the instant has milliseconds, then they are truncated and the suffix is Z', () => {
    expect(formatTimestamp(new Date('2021-05-31T02:22:32.999Z'))).toBe('2021-05-31T02:22:32Z');
  });
});

describe('milestone window helpers (§7)', () => {
  test('when a start date is given, then the window opens at 00:00:00Z that day', () => {
    expect(milestoneStartMicros('2022-06-01')).toBe(Date.parse('2022-06-01T00:00:00Z') * 1000);
  });

  test('when a milestone date is given, then the window closes at 23:59:59.999999Z that day', () => {
    expect(milestoneEndMicros('2022-12-31')).toBe(Date.parse('2023-01-01T00:00:00Z') * 1000 - 1);
    expect(endOfDayMicros('2022-12-31')).toBe(Date.parse('2023-01-01T00:00:00Z') * 1000 - 1);
  });

  test('when the milestone date is null, then the window is open-ended', () => {
    expect(milestoneEndMicros(null)).toBeNull();
    expect(isAfterMilestoneEnd(Date.parse('2099-01-01T00:00:00Z') * 1000, null)).toBe(false);
  });

  test('when dates are unpadded as in the seed CSVs, then they still parse', () => {
    expect(startOfDayMicros('2022-1-5')).toBe(Date.parse('2022-01-05T00:00:00Z') * 1000);
  });

  test('when the instant is the last microsecond of the milestone day, then it is after the end (end_of_day <= date)', () => {
    expect(isAfterMilestoneEnd(parseDeclarationDateMicros('2022-12-31T23:59:59.999999Z')!, '2022-12-31')).toBe(true);
    expect(isAfterMilestoneEnd(parseDeclarationDateMicros('2022-12-31T23:59:59.999998Z')!, '2022-12-31')).toBe(false);
  });

  test('when the instant is one microsecond before the start day, then it is before the start', () => {
    expect(isBeforeMilestoneStart(parseDeclarationDateMicros('2022-05-31T23:59:59.999999Z')!, '2022-06-01')).toBe(true);
    expect(isBeforeMilestoneStart(parseDeclarationDateMicros('2022-06-01T00:00:00Z')!, '2022-06-01')).toBe(false);
  });

  test('when the data date is malformed, then it throws (bad reference data is a bug, not a user error)', () => {
    expect(() => startOfDayMicros('2022/06/01')).toThrow();
  });
});
