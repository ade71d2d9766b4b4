import nock from 'nock';

// Nothing may leave the machine; loopback stays open for the emulator tests, which use real servers.
beforeAll(() => {
	nock.disableNetConnect();
	nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
});
afterEach(() => nock.cleanAll());
// Jest loads a fresh nock per test file in one process; each one hooks http, so a file's nock must be
// unhooked when the file ends or it answers the next file's requests with "Disallowed net connect".
afterAll(() => {
	nock.restore();
	// A second nock, loaded when a test reloads modules (jest.resetModules) with nock among them, is never
	// restored: every nock-answered file after this one would fail, far from the cause. Fail here instead.
	if (require('node:http').request !== (globalThis as { nativeHttpRequest?: unknown }).nativeHttpRequest) {
		throw new Error('this test file left http patched by a nock it loaded again (jest.resetModules?); keep nock out of modules it reloads');
	}
});
