// n8n-core logs every failed item through its console logger; in a test run that hides jest's own report
// (the expected failures alone print hundreds of lines). N8N_LOG_LEVEL=debug npx jest brings them back.
process.env.N8N_LOG_LEVEL ??= 'silent';

// What http.request is before this file's nock replaces it, for test/setup/nock.ts to check it is handed back.
(globalThis as { nativeHttpRequest?: unknown }).nativeHttpRequest = require('node:http').request;
