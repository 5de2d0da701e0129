import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import {
  FILTER_NOT_HASH_ERROR,
  MAX_PAGE,
  PAGE_NOT_HASH_ERROR,
  PAGINATION_ERROR,
  UPDATED_SINCE_ERROR,
  type ListParamsOptions,
  type ListParamsResult,
  nestedFilterError,
  nestedPageError,
  parseListParams,
  participantIdError,
} from '../../src/http/list-params';
import { normaliseUuid, parseCohortFilter, parseUpdatedSince, rackConflict, rubyToI } from '../../src/http/ruby-compat';

const PARTICIPANTS: ListParamsOptions = { allowCohortFilter: true, allowParticipantIdFilter: false };
const DECLARATIONS: ListParamsOptions = { allowCohortFilter: false, allowParticipantIdFilter: true };

/** Parse a raw query string the way the HTTP layer will: through URLSearchParams. */
function parseQuery(query: string, options: ListParamsOptions = PARTICIPANTS): ListParamsResult {
  return parseListParams(new URLSearchParams(query), options);
}

function ok(result: ListParamsResult) {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

function errorsOf(result: ListParamsResult) {
  if (result.ok) throw new Error(`expected a 400, got ${JSON.stringify(result.value)}`);
  expect(result.status).toBe(400);
  return result.errors;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

describe('defaults', () => {
  test('when the query is empty, then every filter is off and page 1 of 100 is asked', () => {
    expect(ok(parseQuery(''))).toEqual({
      cohorts: null,
      updatedSince: null,
      participantId: null,
      page: 1,
      perPage: 100,
    });
  });

  test('when the pairs are given as a plain array, then they are read the same way', () => {
    const value = ok(parseListParams([['page[page]', '2'], ['filter[cohort]', '2022']], PARTICIPANTS));
    expect(value.page).toBe(2);
    expect(value.cohorts).toEqual([2022]);
  });

  test('when unknown top-level keys and unknown filter keys are sent, then they are ignored', () => {
    expect(ok(parseQuery('foo=bar&filter[foo]=bar&filter[bar][]=x&page[foo][]=1&sort=-updated_at'))).toEqual({
      cohorts: null,
      updatedSince: null,
      participantId: null,
      page: 1,
      perPage: 100,
    });
  });
});

describe('filter and page must be hashes', () => {
  test('when filter is a scalar (?filter=2021), then 400 Bad parameter / Filter must be a hash', () => {
    const errors = errorsOf(parseQuery('filter=2021'));
    expect(errors).toEqual([{ title: 'Bad parameter', detail: 'Filter must be a hash' }]);
    expect(errors).toEqual([FILTER_NOT_HASH_ERROR]);
  });

  test('when filter is empty (?filter=), then it is still not a hash', () => {
    expect(errorsOf(parseQuery('filter='))).toEqual([FILTER_NOT_HASH_ERROR]);
  });

  test('when filter is an array (?filter[]=2021), then it is not a hash', () => {
    expect(errorsOf(parseQuery('filter[]=2021'))).toEqual([FILTER_NOT_HASH_ERROR]);
  });

  test('when filter is an array of hashes (?filter[][cohort]=2021), then it is not a hash', () => {
    expect(errorsOf(parseQuery('filter[][cohort]=2021'))).toEqual([FILTER_NOT_HASH_ERROR]);
  });

  test('when filter is sent on the declarations list as a scalar, then the same error', () => {
    expect(errorsOf(parseQuery('filter=x', DECLARATIONS))).toEqual([FILTER_NOT_HASH_ERROR]);
  });

  test('when page is a scalar (?page=2), then 400 Bad parameter / Page must be a hash (live: 500)', () => {
    expect(errorsOf(parseQuery('page=2'))).toEqual([{ title: 'Bad parameter', detail: 'Page must be a hash' }]);
    expect(errorsOf(parseQuery('page=2'))).toEqual([PAGE_NOT_HASH_ERROR]);
  });

  test('when page is an array (?page[]=2), then Page must be a hash', () => {
    expect(errorsOf(parseQuery('page[]=2'))).toEqual([PAGE_NOT_HASH_ERROR]);
  });

  test('when paginate is off (CSV), then page is never looked at and the defaults are returned', () => {
    const csv = { ...PARTICIPANTS, paginate: false };
    expect(ok(parseQuery('page=2', csv))).toMatchObject({ page: 1, perPage: 100 });
    expect(ok(parseQuery('page[page]=0&page[per_page]=abc', csv))).toMatchObject({ page: 1, perPage: 100 });
    expect(ok(parseQuery('page[per_page][]=1', csv))).toMatchObject({ page: 1, perPage: 100 });
  });

  test('when paginate is off, then the filter errors still apply', () => {
    expect(errorsOf(parseQuery('filter=1', { ...PARTICIPANTS, paginate: false }))).toEqual([FILTER_NOT_HASH_ERROR]);
  });
});

describe('bracket abuse', () => {
  test('when page[per_page][]=1 is sent, then 400 with a clear detail and no throw', () => {
    expect(errorsOf(parseQuery('page[per_page][]=1'))).toEqual([
      {
        title: 'Bad parameter',
        detail: "The '#/page[per_page]' parameter must be a single value, not an array or a hash",
      },
    ]);
  });

  test('when page[page] is a hash, then 400 naming page[page]', () => {
    expect(errorsOf(parseQuery('page[page][x]=1'))).toEqual([nestedPageError('page')]);
  });

  test('when filter[cohort][]=x or filter[updated_since][a]=… is sent on participants, then strong parameters drop it: no filter, no error', () => {
    const participants = { ...PARTICIPANTS, dropNestedFilters: true };
    expect(ok(parseQuery('filter[cohort][]=x', participants)).cohorts).toBeNull();
    expect(ok(parseQuery('filter[cohort][a]=2021&filter[updated_since][]=x', participants))).toMatchObject({ cohorts: null, updatedSince: null });
  });

  test('when filter[updated_since] is a hash where no strong parameters drop it, then 400 naming updated_since', () => {
    expect(errorsOf(parseQuery('filter[updated_since][a]=2021-01-01T00:00:00Z', DECLARATIONS))).toEqual([
      nestedFilterError('updated_since'),
    ]);
  });

  test('when filter[participant_id][]=… or a hash is sent on declarations, then 400 naming participant_id (live: a one-element array filters, anything else breaks the SQL)', () => {
    expect(errorsOf(parseQuery('filter[participant_id][]=0f0e0d0c-0b0a-4908-8706-050403020100', DECLARATIONS))).toEqual([nestedFilterError('participant_id')]);
    expect(errorsOf(parseQuery('filter[participant_id][a]=x', DECLARATIONS))).toEqual([nestedFilterError('participant_id')]);
  });

  test('when a filter key the list does not read is nested, then it is ignored', () => {
    expect(ok(parseQuery('filter[cohort][]=x', DECLARATIONS)).cohorts).toBeNull();
    expect(ok(parseQuery('filter[participant_id][]=x', PARTICIPANTS)).participantId).toBeNull();
  });

  // Rack refuses some of these query strings whole (`Invalid query parameters`)
  // and lets the last form win in others; on flat keys they are all the 400
  // of the key the list reads (README, "Differences from the live service").
  test('when a scalar filter and filter[...] are both sent, then filter is not a hash, in either order', () => {
    expect(errorsOf(parseQuery('filter=2021&filter[cohort]=2021'))).toEqual([FILTER_NOT_HASH_ERROR]);
    expect(errorsOf(parseQuery('filter[cohort]=2021&filter=2021'))).toEqual([FILTER_NOT_HASH_ERROR]);
  });

  test('when an unrelated key is both a scalar and an array, then the list ignores it (Rack refuses the query first: rackConflict)', () => {
    expect(ok(parseQuery('foo=1&foo[]=2')).page).toBe(1);
  });

  test('when a name is a value and then nested, or a list and then a hash, then Rack refuses the query with its message', () => {
    const conflict = (q: string) => rackConflict(new URLSearchParams(q));
    expect(conflict('filter=2021&filter[cohort]=2021')).toBe("expected Hash (got String) for param `filter'");
    expect(conflict('foo=1&foo[]=2')).toBe("expected Array (got String) for param `foo'");
    expect(conflict('a[]=1&a[b]=2')).toBe("expected Hash (got Array) for param `a'");
    expect(conflict('a[b]=1&a[]=2')).toBe("expected Array (got Rack::QueryParser::Params) for param `a'");
    expect(conflict('a[b]=1&a[b][c]=2')).toBe("expected Hash (got String) for param `b'");
  });

  test('when a plain value comes last, or names only repeat, then Rack nests the query', () => {
    for (const q of ['filter[cohort]=2021&filter=2021', 'a[]=1&a[]=2', 'page[page]=1&page[page]=2&filter[cohort]=1', 'a[][b]=1&a[][c]=2', '[x]=1&y[=2']) {
      expect(rackConflict(new URLSearchParams(q))).toBeNull();
    }
  });

  test('when page[per_page] is both a scalar and an array, then 400 naming page[per_page]', () => {
    expect(errorsOf(parseQuery('page[per_page]=1&page[per_page][]=2'))).toEqual([nestedPageError('per_page')]);
  });

  test('when a filter key is nested two hundred levels deep, then it is an unread filter key and ignored', () => {
    const key = 'filter' + '[a]'.repeat(200);
    expect(ok(parseListParams([[key, '1']], PARTICIPANTS)).cohorts).toBeNull();
  });

  test('when the query is given as a flat object (as Elysia parses it), then it is read the same way', () => {
    expect(ok(parseListParams({ 'page[page]': '2', 'filter[cohort]': '2022' }, PARTICIPANTS))).toMatchObject({ page: 2, cohorts: [2022] });
    expect(errorsOf(parseListParams({ page: '2' }, PARTICIPANTS))).toEqual([PAGE_NOT_HASH_ERROR]);
  });

  test('when arbitrary bracketed keys and values are thrown at it, then it never throws', () => {
    const piece = fc.constantFrom('filter', 'page', 'cohort', 'per_page', 'page', 'updated_since', 'participant_id', '[', ']', '[]', 'x', '');
    const key = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
    const value = fc.oneof(fc.string(), fc.constantFrom('0', '-1', '2abc', '2021,2022', '%', '%2B', '2020-01-01T00:00:00Z'));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 8 }), fc.boolean(), fc.boolean(), (pairs, a, b) => {
        const result = parseListParams(pairs, { allowCohortFilter: a, allowParticipantIdFilter: b });
        if (!result.ok) {
          expect(result.status).toBe(400);
          expect(result.errors.length).toBe(1);
          expect(typeof result.errors[0]!.title).toBe('string');
          expect(typeof result.errors[0]!.detail).toBe('string');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('filter[updated_since]', () => {
  test('when it is a full RFC 3339 value with Z, then it is that instant', () => {
    expect(iso(ok(parseQuery('filter[updated_since]=2020-11-13T10:20:30Z')).updatedSince)).toBe(
      '2020-11-13T10:20:30.000Z',
    );
  });

  test('when it is a date alone, then 400 Bad request / the RCF3339 message', () => {
    expect(errorsOf(parseQuery('filter[updated_since]=2020-11-13'))).toEqual([
      { title: 'Bad request', detail: "The filter '#/updated_since' must be a valid RCF3339 date" },
    ]);
  });

  test('when the plus of the offset is sent as %2B, then the offset is applied', () => {
    expect(iso(ok(parseQuery('filter[updated_since]=2020-11-13T00:00:00%2B01:00')).updatedSince)).toBe(
      '2020-11-12T23:00:00.000Z',
    );
  });

  test('when the value is double-encoded, then the second decoding makes it work', () => {
    // What the service sees after the first decoding:
    expect(
      iso(ok(parseListParams([['filter[updated_since]', '2020-11-13T00%3A00%3A00%2B01%3A00']], PARTICIPANTS)).updatedSince),
    ).toBe('2020-11-12T23:00:00.000Z');
    // The same thing, end to end from the wire:
    expect(
      iso(ok(parseQuery('filter[updated_since]=2020-11-13T00%253A00%253A00%252B01%253A00')).updatedSince),
    ).toBe('2020-11-12T23:00:00.000Z');
  });

  test('when a literal + arrives as a space, then it fails', () => {
    expect(errorsOf(parseQuery('filter[updated_since]=2020-11-13T00:00:00+01:00'))).toEqual([UPDATED_SINCE_ERROR]);
    expect(parseUpdatedSince('2020-11-13T00:00:00 01:00')).toBeNull();
  });

  test('when the literal + reaches the parser un-decoded, then it is a valid offset', () => {
    expect(iso(parseUpdatedSince('2020-11-13T00:00:00+01:00'))).toBe('2020-11-12T23:00:00.000Z');
  });

  test('when it carries a fraction, then milliseconds are kept and finer digits truncated', () => {
    expect(iso(parseUpdatedSince('2020-11-13T10:20:30.5Z'))).toBe('2020-11-13T10:20:30.500Z');
    expect(iso(parseUpdatedSince('2020-11-13T10:20:30.123456789Z'))).toBe('2020-11-13T10:20:30.123Z');
    expect(iso(parseUpdatedSince('2020-11-13T10:20:30.9999999Z'))).toBe('2020-11-13T10:20:30.999Z');
  });

  test('when the offset is ±hh, ±hhmm or ±hh:mm, then each is applied', () => {
    expect(iso(parseUpdatedSince('2020-11-13T10:00:00+01'))).toBe('2020-11-13T09:00:00.000Z');
    expect(iso(parseUpdatedSince('2020-11-13T10:00:00+0130'))).toBe('2020-11-13T08:30:00.000Z');
    expect(iso(parseUpdatedSince('2020-11-13T10:00:00+01:30'))).toBe('2020-11-13T08:30:00.000Z');
    expect(iso(parseUpdatedSince('2020-11-13T10:00:00-05:00'))).toBe('2020-11-13T15:00:00.000Z');
    expect(iso(parseUpdatedSince('2020-11-13T23:00:00-02'))).toBe('2020-11-14T01:00:00.000Z');
  });

  test('when there is no zone, then the time is UTC', () => {
    expect(iso(parseUpdatedSince('2020-11-13T10:00:00'))).toBe('2020-11-13T10:00:00.000Z');
  });

  test('when T and Z are lower case, then it is still accepted (Ruby matches case-insensitively)', () => {
    expect(iso(parseUpdatedSince('2020-11-13t10:00:00z'))).toBe('2020-11-13T10:00:00.000Z');
  });

  test('when a space replaces the T, then it fails', () => {
    expect(parseUpdatedSince('2020-11-13 10:00:00Z')).toBeNull();
  });

  test('when the value is not a date at all (23rm21), then 400', () => {
    expect(errorsOf(parseQuery('filter[updated_since]=23rm21'))).toEqual([UPDATED_SINCE_ERROR]);
  });

  test('when a field is out of range (month 13, day 32, hour 25, minute 60, offset ±24:00), then it fails', () => {
    for (const raw of [
      '2020-13-01T00:00:00Z',
      '2020-00-01T00:00:00Z',
      '2020-01-32T00:00:00Z',
      '2020-01-00T00:00:00Z',
      '2020-01-01T25:00:00Z',
      '2020-01-01T10:60:00Z',
      '2020-01-01T10:00:61Z',
      '2020-01-01T24:01:00Z',
      '2020-01-01T10:00:00+24:00',
    ]) {
      expect(parseUpdatedSince(raw)).toBeNull();
    }
  });

  test('when the day is past the end of a short month, then it rolls over as in Ruby', () => {
    expect(iso(parseUpdatedSince('2021-02-30T00:00:00Z'))).toBe('2021-03-02T00:00:00.000Z');
  });

  test('when the hour is 24:00:00, then it is midnight of the next day', () => {
    expect(iso(parseUpdatedSince('2021-01-01T24:00:00Z'))).toBe('2021-01-02T00:00:00.000Z');
  });

  test('when the year is below 100, then it is not mapped to the 1900s', () => {
    expect(iso(parseUpdatedSince('0050-01-01T00:00:00Z'))).toBe('0050-01-01T00:00:00.000Z');
  });

  test('when surrounding ASCII whitespace is present, then it is tolerated as Ruby does', () => {
    expect(iso(parseUpdatedSince(' 2020-11-13T10:00:00Z '))).toBe('2020-11-13T10:00:00.000Z');
  });

  test('when the retry meets a bad %-escape, then it fails without throwing', () => {
    expect(parseUpdatedSince('2020-11-13T00%3A00%3A00%zz')).toBeNull();
    expect(parseUpdatedSince('%E0%A4%A')).toBeNull();
    expect(parseUpdatedSince('%FF')).toBeNull();
  });

  test('when it is blank or whitespace only, then there is no filter', () => {
    expect(ok(parseQuery('filter[updated_since]=')).updatedSince).toBeNull();
    expect(ok(parseQuery('filter[updated_since]=%20%20')).updatedSince).toBeNull();
  });

  test('when it is sent on the declarations list, then it is parsed the same way', () => {
    expect(iso(ok(parseQuery('filter[updated_since]=2020-11-13T00:00:00%2B01:00', DECLARATIONS)).updatedSince)).toBe(
      '2020-11-12T23:00:00.000Z',
    );
    expect(errorsOf(parseQuery('filter[updated_since]=2020-11-13', DECLARATIONS))).toEqual([UPDATED_SINCE_ERROR]);
  });
});

describe('filter[cohort]', () => {
  test('when absent, then null (every cohort from 2021 on)', () => {
    expect(ok(parseQuery('')).cohorts).toBeNull();
  });

  test('when blank or whitespace, then null', () => {
    expect(ok(parseQuery('filter[cohort]=')).cohorts).toBeNull();
    expect(ok(parseQuery('filter[cohort]=%20')).cohorts).toBeNull();
  });

  test('when 2021,2022, then [2021, 2022]', () => {
    expect(ok(parseQuery('filter[cohort]=2021,2022')).cohorts).toEqual([2021, 2022]);
  });

  test('when a single year, then a one-year list', () => {
    expect(ok(parseQuery('filter[cohort]=2023')).cohorts).toEqual([2023]);
  });

  test('when non-numeric (abc), then an empty list (matches nothing), not an error', () => {
    expect(ok(parseQuery('filter[cohort]=abc')).cohorts).toEqual([]);
  });

  test('when numeric and non-numeric entries are mixed, then the non-numeric ones match nothing', () => {
    expect(ok(parseQuery('filter[cohort]=2021,abc')).cohorts).toEqual([2021]);
  });

  test('when only commas, then an empty list', () => {
    expect(parseCohortFilter(',')).toEqual([]);
  });

  test('when entries carry spaces or trailing junk, then they are cast like an integer column', () => {
    expect(parseCohortFilter(' 2022, 2023')).toEqual([2022, 2023]);
    expect(parseCohortFilter('2022abc')).toEqual([2022]);
    expect(parseCohortFilter('2022,2022')).toEqual([2022]);
    expect(parseCohortFilter('99999999999999999999999')).toEqual([]);
  });

  test('when the list does not take a cohort filter (declarations), then it is ignored', () => {
    expect(ok(parseQuery('filter[cohort]=2021', DECLARATIONS)).cohorts).toBeNull();
  });
});

describe('filter[participant_id] (declarations)', () => {
  const uuid = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';

  test('when it is a UUID, then it is the value', () => {
    expect(ok(parseQuery(`filter[participant_id]=${uuid}`, DECLARATIONS)).participantId).toBe(uuid);
  });

  test('when it is blank, then it is ignored', () => {
    expect(ok(parseQuery('filter[participant_id]=', DECLARATIONS)).participantId).toBeNull();
    expect(ok(parseQuery('filter[participant_id]=%20', DECLARATIONS)).participantId).toBeNull();
  });

  test('when it is not a UUID, then 400 with the database message', () => {
    expect(errorsOf(parseQuery('filter[participant_id]=abc', DECLARATIONS))).toEqual([
      { title: 'Bad request', detail: 'invalid input syntax for type uuid: "abc"' },
    ]);
    expect(errorsOf(parseQuery(`filter[participant_id]=${uuid}x`, DECLARATIONS))).toEqual([
      participantIdError(`${uuid}x`),
    ]);
  });

  test('when it is upper case, braced or unhyphenated, then PostgreSQL would accept it and it is canonicalised', () => {
    expect(normaliseUuid(uuid.toUpperCase())).toBe(uuid);
    expect(normaliseUuid(`{${uuid}}`)).toBe(uuid);
    expect(normaliseUuid(uuid.replace(/-/g, ''))).toBe(uuid);
    expect(normaliseUuid('a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11')).toBe(uuid);
  });

  test('when hyphens are misplaced, braces unbalanced, or spaces surround it, then it is not a UUID', () => {
    expect(normaliseUuid('a0eebc9-99c0b-4ef8-bb6d-6bb9bd380a11')).toBeNull();
    expect(normaliseUuid(`{${uuid}`)).toBeNull();
    expect(normaliseUuid(`${uuid}}`)).toBeNull();
    expect(normaliseUuid(` ${uuid}`)).toBeNull();
    expect(normaliseUuid(`${uuid}-`)).toBeNull();
    expect(normaliseUuid('')).toBeNull();
  });

  test('when the list is participants, then participant_id is ignored even when invalid', () => {
    expect(ok(parseQuery('filter[participant_id]=abc', PARTICIPANTS)).participantId).toBeNull();
  });
});

describe('pagination', () => {
  const page = (q: string) => parseQuery(q);

  test('when page[page]=0, then 400 with the pagination message', () => {
    expect(errorsOf(page('page[page]=0'))).toEqual([
      {
        title: 'Bad request',
        detail:
          "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid number (equal and more than 1)",
      },
    ]);
  });

  test('when page[per_page]=0, -1, abc or empty, then 400', () => {
    for (const v of ['0', '-1', 'abc', '']) {
      expect(errorsOf(page(`page[per_page]=${v}`))).toEqual([PAGINATION_ERROR]);
    }
  });

  test('when page[page]=-1, abc or empty, then 400', () => {
    for (const v of ['-1', 'abc', '']) {
      expect(errorsOf(page(`page[page]=${v}`))).toEqual([PAGINATION_ERROR]);
    }
  });

  test('when 2abc, then 2 (leading digits)', () => {
    expect(ok(page('page[page]=2abc&page[per_page]=2abc'))).toMatchObject({ page: 2, perPage: 2 });
  });

  test('when 1.9, then 1', () => {
    expect(ok(page('page[page]=1.9&page[per_page]=1.9'))).toMatchObject({ page: 1, perPage: 1 });
  });

  test('when per_page is 5000, then it silently becomes 3000', () => {
    expect(ok(page('page[per_page]=5000')).perPage).toBe(3000);
  });

  test('when per_page is exactly 3000, then 3000', () => {
    expect(ok(page('page[per_page]=3000')).perPage).toBe(3000);
  });

  test('when per_page is 1, then 1', () => {
    expect(ok(page('page[per_page]=1&page[page]=1'))).toMatchObject({ page: 1, perPage: 1 });
  });

  test('when only page[page] is given, then per_page defaults to 100', () => {
    expect(ok(page('page[page]=3'))).toMatchObject({ page: 3, perPage: 100 });
  });

  test('when the key is repeated, then the last one wins', () => {
    expect(ok(page('page[page]=0&page[page]=3')).page).toBe(3);
    expect(errorsOf(page('page[page]=3&page[page]=0'))).toEqual([PAGINATION_ERROR]);
  });

  test('when leading spaces or a plus sign precede the digits, then they are read like Ruby to_i', () => {
    expect(ok(page('page[page]=%207')).page).toBe(7);
    expect(ok(page('page[page]=%2B7')).page).toBe(7);
  });

  test('when the page number is astronomically large, then it is clamped (still past the end)', () => {
    expect(ok(page('page[page]=999999999999999999999999')).page).toBe(MAX_PAGE);
  });

  test('when rubyToI reads odd values, then it matches Ruby', () => {
    expect(rubyToI('2abc')).toBe(2);
    expect(rubyToI('1.9')).toBe(1);
    expect(rubyToI('abc')).toBe(0);
    expect(rubyToI('')).toBe(0);
    expect(rubyToI('-1')).toBe(-1);
    expect(rubyToI('1_000')).toBe(1000);
    expect(rubyToI('1__0')).toBe(1);
    expect(rubyToI('0x10')).toBe(0);
  });
});

describe('which error wins', () => {
  test('when filter is a scalar and page is bad, then the filter error is reported', () => {
    expect(errorsOf(parseQuery('filter=1&page[page]=0'))).toEqual([FILTER_NOT_HASH_ERROR]);
  });

  test('when updated_since and pagination are both bad, then updated_since is reported', () => {
    expect(errorsOf(parseQuery('filter[updated_since]=x&page[page]=0'))).toEqual([UPDATED_SINCE_ERROR]);
  });

  test('when updated_since is bad and page is a scalar, then updated_since is reported', () => {
    expect(errorsOf(parseQuery('filter[updated_since]=x&page=1'))).toEqual([UPDATED_SINCE_ERROR]);
  });

  test('when page is a scalar and participant_id is bad, then the page error is reported', () => {
    expect(errorsOf(parseQuery('filter[participant_id]=abc&page=1', DECLARATIONS))).toEqual([PAGE_NOT_HASH_ERROR]);
  });

  test('when participant_id and pagination are both bad, then participant_id is reported', () => {
    expect(errorsOf(parseQuery('filter[participant_id]=abc&page[page]=0', DECLARATIONS))).toEqual([
      participantIdError('abc'),
    ]);
  });

  test('when every filter is valid together, then all are returned', () => {
    expect(
      ok(
        parseQuery(
          'filter[cohort]=2021,2022&filter[updated_since]=2020-11-13T00:00:00Z&page[page]=2&page[per_page]=50',
        ),
      ),
    ).toEqual({
      cohorts: [2021, 2022],
      updatedSince: new Date('2020-11-13T00:00:00Z'),
      participantId: null,
      page: 2,
      perPage: 50,
    });
  });
});
