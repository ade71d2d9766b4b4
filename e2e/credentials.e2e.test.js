'use strict';

// The credential as a user meets it in a real n8n (`n8n start`, its REST API called the way the editor calls
// it), against the emulator: the Test button through n8n's own credential tester, and an edit saved the way the
// editor saves it, after which the next execution must act as what the credential now says. The emulator runs
// with a key of its own, so no value planted here can be found anywhere by chance; the last case looks for
// every one of them in everything n8n wrote.
const crypto = require('node:crypto');
const { startEmulator } = require('../emulator');
const wf = require('./support/workflows');
const { liveN8n } = require('./support/live-n8n');
const { leakCheck } = require('./support/leaks');

const { ids } = wf;
const TYPE = 'azureCommunicationServicesApi';
// n8n-workflow's CREDENTIAL_BLANKING_VALUE: what the editor gets, and sends back, for a saved password field.
const REDACTED = '__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6';

const { seed, users } = wf.seedWithDemoThreadUsers(4);
// A user of its own for the spaced connection string, so its Test must mint, signed with the key parsed from it.
const [editedFrom, editedTo, rotated, spacedUser] = users;
const newKey = () => crypto.randomBytes(64).toString('base64');
const issuePath = (userId) => `/identities/${encodeURIComponent(userId)}/:issueAccessToken`;
const threadPath = `/chat/threads/${encodeURIComponent(ids.demoThread)}`;

describe('the credential in a real n8n, through the REST API the editor uses', () => {
	const leaks = leakCheck();
	let emulator;
	let live;
	let session;

	const plantConnectionString = (name, connectionString) => {
		leaks.plant(name, connectionString, { pieces: false });
		leaks.plant(`${name}: its access key`, /accesskey\s*=\s*([^;\s]+)/i.exec(connectionString)[1]);
	};
	const requests = () => emulator.requests().map(({ method, path, status, tokenUser }) => ({ call: `${method} ${path} ${status}`, tokenUser }));
	const calls = () => requests().map(({ call }) => call);

	/** Saves a new credential from what a user typed, presses Test, and resolves with n8n's verdict. */
	async function pressTest(name, typed) {
		emulator.clearRequests();
		const { result } = await session.createAndTest({ name, type: TYPE, typed });
		return result;
	}

	function connectionString(key = emulator.key) {
		return `endpoint=${emulator.url}/;accesskey=${key}`;
	}

	/** A connection string credential acting as `userId` and a workflow that reads the demo thread with it. */
	function editable(id, userId) {
		const credential = wf.connectionStringCredential({ id, name: id, emulator, userId });
		return { credential, workflow: wf.readOnlyWorkflow({ id: `${id}Wf`, name: `reads as ${id}`, credential, threadId: ids.demoThread }) };
	}

	async function readThread(workflowId) {
		emulator.clearRequests();
		const execution = await session.run(workflowId);
		expect(execution.status).toBe('success');
		return requests();
	}

	let edits;

	beforeAll(async () => {
		emulator = await startEmulator({ seed, key: newKey() });
		plantConnectionString('the connection string', emulator.connectionString);
		edits = { user: editable('acsE2eEditUser01', editedFrom), key: editable('acsE2eEditKey001', rotated) };
		live = await liveN8n({
			credentials: Object.values(edits).map(({ credential }) => credential),
			workflows: Object.values(edits).map(({ workflow }) => workflow),
		});
		session = live.session;
	});

	afterAll(async () => {
		await live?.remove();
		await emulator?.close();
	});

	describe('Test, through n8n’s own credential tester (POST /rest/credentials/test)', () => {
		test('a good connection string: OK, after minting a token for the user and reading one thread page', async () => {
			const result = await pressTest('good connection string', { authentication: 'connectionString', connectionStringSecret: connectionString(), userId: ids.demoUser });
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(calls()).toEqual([`POST ${issuePath(ids.demoUser)} 200`, 'GET /chat/threads 200']);
		});

		test('a wrong access key: the 401, naming the user, from the one token request', async () => {
			const wrong = connectionString(newKey());
			plantConnectionString('a connection string with a wrong key', wrong);
			const result = await pressTest('wrong key', { authentication: 'connectionString', connectionStringSecret: wrong, userId: ids.demoUser });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/401/);
			expect(result.message).toContain(ids.demoUser);
			expect(result.message).toMatch(/key/i);
			expect(calls()).toEqual([`POST ${issuePath(ids.demoUser)} 401`]);
		});

		test('a connection string written with spaces and a line break, which the node accepts: OK', async () => {
			const spaced = `endpoint = ${emulator.url}/ ;\n accesskey = ${emulator.key}`;
			leaks.plant('the connection string with spaces', spaced, { pieces: false });
			const result = await pressTest('spaced connection string', { authentication: 'connectionString', connectionStringSecret: spaced, userId: spacedUser });
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(calls()).toEqual([`POST ${issuePath(spacedUser)} 200`, 'GET /chat/threads 200']);
		});

		test('a connection string without its access key: the message names the field, and nothing is sent', async () => {
			const result = await pressTest('no access key', { authentication: 'connectionString', connectionStringSecret: `endpoint=${emulator.url}/`, userId: ids.demoUser });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/Connection String/);
			expect(result.message).toMatch(/accesskey/i);
			expect(calls()).toEqual([]);
		});

		test('a pasted access token that expired: the 401 with the service’s reason', async () => {
			const expired = emulator.issueToken({ expiresOn: Date.now() - 60 * 60 * 1000 });
			leaks.plant('an expired pasted token', expired);
			const result = await pressTest('expired token', { authentication: 'accessToken', endpoint: emulator.url, accessToken: expired });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/401/);
			expect(result.message).toMatch(/The access token has expired/);
			expect(result.message).not.toContain(expired);
			expect(calls()).toEqual(['GET /chat/threads 401']);
		});

		test('a pasted token that is no token at all: the 401 with the service’s reason', async () => {
			const invalid = `not-a-token-${crypto.randomBytes(24).toString('base64url')}`;
			leaks.plant('an invalid pasted token', invalid);
			const result = await pressTest('invalid token', { authentication: 'accessToken', endpoint: emulator.url, accessToken: invalid });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/401/);
			expect(result.message).toMatch(/malformed/);
			expect(calls()).toEqual(['GET /chat/threads 401']);
		});
	});

	describe('an edit saved the way the editor saves it', () => {
		test('the editor gets and sends back the placeholder for every saved password field, the minted token included', async () => {
			await readThread(edits.user.workflow.id);
			const { data } = await session.credential(live.credentialId(edits.user.credential.id));
			expect(data).toMatchObject({ authentication: 'connectionString', connectionStringSecret: REDACTED, userId: editedFrom });
			// The token the first run minted is saved with the credential, and redacted like the key.
			expect(Object.values(data).filter((value) => value === REDACTED).length).toBeGreaterThanOrEqual(2);
		});

		test('after User ID is changed, the next execution mints for the new user and reads the thread as that user', async () => {
			const before = await readThread(edits.user.workflow.id);
			expect(before.find(({ call }) => call.startsWith('GET /chat/threads/')).tokenUser).toBe(editedFrom);

			const { opened, sent } = await session.editCredential(live.credentialId(edits.user.credential.id), { userId: editedTo });
			const redactedFields = Object.keys(opened.data).filter((name) => opened.data[name] === REDACTED);
			expect(redactedFields.length).toBeGreaterThanOrEqual(2);
			for (const name of redactedFields) expect(sent[name]).toBe(REDACTED);

			const after = await readThread(edits.user.workflow.id);
			expect(after).toEqual([
				{ call: `POST ${issuePath(editedTo)} 200`, tokenUser: undefined },
				{ call: `GET ${threadPath} 200`, tokenUser: editedTo },
			]);
		});

		// Last in the file: after the rotation the emulator refuses the key every other credential here holds.
		test('after the access key is rotated and the new connection string saved, the next execution mints with the new key', async () => {
			const before = await readThread(edits.key.workflow.id);
			expect(before.map(({ call }) => call)).toContain(`GET ${threadPath} 200`);

			const rotatedString = emulator.rotateKey();
			plantConnectionString('the connection string after the key rotation', rotatedString);
			await session.editCredential(live.credentialId(edits.key.credential.id), { connectionStringSecret: rotatedString });

			// The emulator now accepts only the new key, so a 200 to the token request proves which key signed it;
			// tokens issued before the rotation stay valid, as in ACS, so only a mint shows the new key in use.
			const after = await readThread(edits.key.workflow.id);
			expect(after).toEqual([
				{ call: `POST ${issuePath(rotated)} 200`, tokenUser: undefined },
				{ call: `GET ${threadPath} 200`, tokenUser: rotated },
			]);
		});
	});

	test('no key, connection string, pasted or minted token appears in any answer, output, log, file or database row of n8n', async () => {
		await live.stop();
		const minted = emulator.issuedTokens();
		expect(minted.length).toBeGreaterThanOrEqual(3);
		for (const { userId, token } of minted) leaks.plant(`a token minted for ${userId}`, token);
		const sources = live.leakSources();
		expect(sources.texts.length).toBeGreaterThan(10);
		expect(leaks.find(sources)).toEqual([]);
	});
});
