import { toAcsDateTime } from '../../nodes/AcsChat/helpers/dateTime';

describe('date-times for ACS', () => {
	it.each([
		// The editor's picker: a wall-clock time, meant in the workflow's zone, summer and winter time alike.
		['2025-01-15T09:30:00', 'Europe/Berlin', '2025-01-15T08:30:00.000Z'],
		['2025-07-15T09:30:00', 'Europe/Berlin', '2025-07-15T07:30:00.000Z'],
		['2025-07-15T09:30:00', 'America/New_York', '2025-07-15T13:30:00.000Z'],
		['2025-03-09T01:59:59', 'America/New_York', '2025-03-09T06:59:59.000Z'],
		['2025-03-09T03:00:00', 'America/New_York', '2025-03-09T07:00:00.000Z'],
		['2025-07-15', 'Asia/Kolkata', '2025-07-14T18:30:00.000Z'],
		['2025-07-15 09:30', 'UTC', '2025-07-15T09:30:00.000Z'],
		['2025-07-15T09:30:00.25', 'UTC', '2025-07-15T09:30:00.250Z'],
		// Text with an offset names its instant whatever the zone.
		['2025-07-15T09:30:00Z', 'Asia/Tokyo', '2025-07-15T09:30:00.000Z'],
		['2025-07-15T09:30:00+02:00', 'UTC', '2025-07-15T07:30:00.000Z'],
		[' 2025-07-15T09:30:00.123-05:00 ', 'UTC', '2025-07-15T14:30:00.123Z'],
	])('%p in %s is %s', (value, zone, expected) => {
		expect(toAcsDateTime(value, zone)).toBe(expected);
	});

	it('takes a JS Date and anything with toMillis (a Luxon DateTime from an expression)', () => {
		expect(toAcsDateTime(new Date(Date.UTC(2025, 6, 15, 9, 30)), 'Europe/Berlin')).toBe('2025-07-15T09:30:00.000Z');
		expect(toAcsDateTime({ toMillis: () => Date.UTC(2025, 6, 15) }, 'UTC')).toBe('2025-07-15T00:00:00.000Z');
	});

	it.each([['yesterday'], ['2025-02-30T00:00:00'], ['2025-07-15T24:00:00'], ['15.07.2025'], ['1752570000'], [''], [42], [null], [{}], [new Date(Number.NaN)]])(
		'names no instant for %p',
		(value) => {
			expect(toAcsDateTime(value, 'UTC')).toBeUndefined();
		},
	);
});
