'use strict';

const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_SEED_FILE = path.join(__dirname, 'seed.json');

function fail(message) {
	throw new Error(`Invalid emulator seed: ${message}`);
}

/**
 * Reads and checks a seed so a typo fails at start rather than as a puzzling 404 later.
 * @param {object|string} [source] a seed object, or the path of a JSON seed file (default emulator/seed.json)
 */
function loadSeed(source = DEFAULT_SEED_FILE) {
	const seed = typeof source === 'string' ? JSON.parse(fs.readFileSync(source, 'utf8')) : source;
	if (typeof seed?.resourceId !== 'string' || seed.resourceId.includes('_')) fail('resourceId must be a string without "_".');
	if (typeof seed.demoUser?.id !== 'string' || !seed.demoUser.id.startsWith('8:acs:')) fail('demoUser.id must be an 8:acs: raw ID.');
	if (!Array.isArray(seed.identities ?? [])) fail('identities must be an array of raw IDs.');
	if (!Array.isArray(seed.threads ?? [])) fail('threads must be an array.');
	const threads = (seed.threads ?? []).map((t, i) => {
		if (typeof t.id !== 'string' || typeof t.topic !== 'string') fail(`threads[${i}] needs a string id and topic.`);
		if (Number.isNaN(Date.parse(t.createdOn))) fail(`threads[${i}].createdOn must be a date-time.`);
		if (typeof t.createdBy !== 'string') fail(`threads[${i}].createdBy must be a raw ID.`);
		if (!Array.isArray(t.participants) || t.participants.some((p) => typeof p?.rawId !== 'string')) {
			fail(`threads[${i}].participants must be objects with a rawId.`);
		}
		return t;
	});
	return { ...seed, identities: seed.identities ?? [], threads };
}

module.exports = { loadSeed };
