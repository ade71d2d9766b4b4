'use strict';

// A leak check for the e2e runs: a suite plants its secrets (tokens, keys, connection strings), records every
// text n8n handed back (command output, REST answers, run data), and at the end asks where any secret shows up
// in those texts, in the files n8n wrote to its user folder, or in a dump of every row of n8n's database.
// Nothing is hidden from n8n's output, so a leak shows here instead of being covered over. A secret is looked
// for whole and in pieces of PIECE characters: a secret cut short (a truncated error text) still contains a
// whole piece once PIECE * 2 - 1 of its characters are in the clear, and the database's raw pages, where SQLite
// splits long values across pages, still hold most pieces intact.
const fs = require('node:fs');
const path = require('node:path');

const PIECE = 24;

/** A JWT's header is the same for every token and reveals nothing; its claims and signature are the secret. */
function secretPart(value) {
	const parts = value.split('.');
	return parts.length === 3 && parts[0].startsWith('eyJ') ? `${parts[1]}.${parts[2]}` : value;
}

/** The strings that reveal a secret: it whole, as JSON and as URL encoding write it, and its pieces. */
function needles(value, { pieces }) {
	const whole = [...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])].map((text) => ({ text, what: 'whole' }));
	if (!pieces) return whole;
	const part = secretPart(value);
	const cut = [];
	for (let at = 0; at + PIECE <= part.length; at += PIECE) cut.push(part.slice(at, at + PIECE));
	if (part.length % PIECE) cut.push(part.slice(-PIECE));
	return [...whole, ...cut.map((text) => ({ text, what: `${PIECE} characters of it` }))];
}

function filesUnder(folder, skip = []) {
	const found = [];
	for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
		const at = path.join(folder, entry.name);
		if (skip.includes(at)) continue;
		if (entry.isDirectory()) found.push(...filesUnder(at, skip));
		else if (entry.isFile()) found.push(at);
	}
	return found;
}

/** Every row of every table of a SQLite database as text, read with Node's own driver (n8n must be stopped). */
function databaseDump(file) {
	const { DatabaseSync } = require('node:sqlite');
	const db = new DatabaseSync(file, { readOnly: true });
	try {
		const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
		return tables
			.map(({ name }) => {
				const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all();
				const text = (value) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value);
				return `${name}\n${rows.map((row) => JSON.stringify(Object.values(row).map(text))).join('\n')}`;
			})
			.join('\n');
	} finally {
		db.close();
	}
}

function leakCheck() {
	const secrets = [];
	const texts = [];

	return {
		/** A value that must appear nowhere; `pieces: false` for one whose only secret part is planted on its own. */
		plant(name, value, { pieces = true } = {}) {
			if (typeof value !== 'string' || value.length < PIECE) throw new Error(`planted secret "${name}" must be a string of at least ${PIECE} characters`);
			secrets.push({ name, needles: needles(value, { pieces }) });
		},
		/** Something n8n handed back: a string, or anything JSON can write. */
		record(where, content) {
			texts.push({ where, content: typeof content === 'string' ? content : JSON.stringify(content) });
		},
		planted: () => secrets.map(({ name }) => name),
		/**
		 * Where planted secrets appear, as [{ secret, what, where }], over the recorded texts and `texts`
		 * ([{ where, text }]), every file under `folders` but those under `skip`, and every row of the
		 * `databases`: an empty list is the pass.
		 */
		find({ texts: more = [], folders = [], skip = [], databases = [] } = {}) {
			const sources = [
				...texts,
				...more.map(({ where, text }) => ({ where, content: text })),
				...folders.flatMap((folder) => filesUnder(folder, skip)).map((file) => ({ where: file, content: fs.readFileSync(file) })),
				...databases.map((file) => ({ where: `every row of ${file}`, content: databaseDump(file) })),
			];
			const found = [];
			for (const { where, content } of sources) {
				for (const { name, needles: forms } of secrets) {
					const hit = forms.find(({ text }) => content.indexOf(text) !== -1);
					if (hit) found.push({ secret: name, what: hit.what, where });
				}
			}
			return found;
		},
	};
}

module.exports = { leakCheck, PIECE };
