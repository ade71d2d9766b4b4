'use strict';

// The leak check the e2e suites end with, checked on its own (no n8n): it must find a planted secret wherever
// and however n8n could write it, and report nothing where there is none.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { leakCheck, PIECE } = require('./support/leaks');

const jwtLike = () =>
	['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', crypto.randomBytes(180).toString('base64url'), crypto.randomBytes(32).toString('base64url')].join('.');

describe('the e2e leak check', () => {
	let folder;
	const write = (name, content) => {
		const file = path.join(folder, name);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, content);
		return file;
	};

	beforeEach(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'leaks-'));
	});
	afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

	test('finds a token in a recorded text, whole', () => {
		const leaks = leakCheck();
		const token = jwtLike();
		leaks.plant('token', token);
		leaks.record('an answer', { error: `Bearer ${token}` });
		expect(leaks.find()).toEqual([{ secret: 'token', what: 'whole', where: 'an answer' }]);
	});

	test(`finds a token cut to ${PIECE * 2 - 1} characters anywhere in it, in a file under a folder`, () => {
		const token = jwtLike();
		const leaks = leakCheck();
		leaks.plant('token', token);
		const at = 100 + crypto.randomInt(100);
		const file = write('logs/n8n.log', `error: ${token.slice(at, at + PIECE * 2 - 1)}…\n`);
		expect(leaks.find({ folders: [folder] })).toEqual([{ secret: 'token', what: `${PIECE} characters of it`, where: file }]);
	});

	test('finds a connection string with a line break as JSON writes it', () => {
		const key = crypto.randomBytes(64).toString('base64');
		const connectionString = `endpoint = http://127.0.0.1:1/ ;\n accesskey = ${key}`;
		const leaks = leakCheck();
		leaks.plant('connection string', connectionString, { pieces: false });
		leaks.record('execution data', JSON.stringify({ data: connectionString }));
		expect(leaks.find()).toEqual([{ secret: 'connection string', what: 'whole', where: 'execution data' }]);
	});

	test('finds a key in a database row too long for one SQLite page, whatever the page layout', () => {
		const { DatabaseSync } = require('node:sqlite');
		const key = crypto.randomBytes(64).toString('base64');
		const file = path.join(folder, 'database.sqlite');
		const db = new DatabaseSync(file);
		db.exec('CREATE TABLE execution_data (id INTEGER PRIMARY KEY, data TEXT)');
		db.prepare('INSERT INTO execution_data (data) VALUES (?)').run(`${'x'.repeat(4090)}${key}${'y'.repeat(9000)}`);
		db.close();
		const leaks = leakCheck();
		leaks.plant('key', key);
		expect(leaks.find({ databases: [file] })).toEqual([{ secret: 'key', what: 'whole', where: `every row of ${file}` }]);
	});

	test('reports nothing where only other values are, and nothing under a skipped folder', () => {
		const token = jwtLike();
		const leaks = leakCheck();
		leaks.plant('token', token);
		// Every JWT starts with the same header; it is not the secret.
		write('logs/n8n.log', `${token.split('.')[0]}.${jwtLike().split('.').slice(1).join('.')}`);
		write('skipped/copy.txt', token);
		leaks.record('an answer', 'Connection successful!');
		expect(leaks.find({ folders: [folder], skip: [path.join(folder, 'skipped')] })).toEqual([]);
	});

	test('refuses to plant a value too short to look for', () => {
		expect(() => leakCheck().plant('short', 'verified')).toThrow(/at least/);
	});
});
