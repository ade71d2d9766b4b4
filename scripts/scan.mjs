// Runs n8n's community package scanner locally. The published scanner only takes a package name: it needs
// npm provenance and the attested GitHub source, neither of which exists before publishing. Its
// `analyzePackage` is the same lint it applies to both legs, so it is run here on the source tree and on
// the packed tarball, next to a check of what the tarball contains.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { projectRoot } = require('../e2e/host/paths');
const { buildAndPack, extractTarball } = require('../e2e/host/package-tarball');

const scannerPath = path.join(
	path.dirname(require.resolve('@n8n/scan-community-package/package.json')),
	'scanner',
	'scanner.mjs',
);
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerPath).href);

const REQUIRED = ['README.md', 'LICENSE', 'package.json'];
const allowed = (file) => file.startsWith('dist/') || REQUIRED.includes(file);

function contentsCheck(pack, manifest) {
	const files = pack.files.map((file) => file.path);
	const problems = [];
	const unexpected = files.filter((file) => !allowed(file));
	if (unexpected.length > 0) problems.push(`files outside dist/, README.md, LICENSE, package.json: ${unexpected.join(', ')}`);
	// n8n loads exactly these paths; a package without them installs and then shows no node.
	const needed = [...REQUIRED, ...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	const missing = needed.filter((file) => !files.includes(file));
	if (missing.length > 0) problems.push(`missing: ${missing.join(', ')}`);
	return problems;
}

const results = [];
const pack = await buildAndPack();
const extracted = fs.mkdtempSync(path.join(pack.dir, 'package-'));
try {
	const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
	console.log(`\n${pack.name}@${pack.version}: ${pack.files.length} files, tarball ${pack.size} bytes`);
	for (const file of pack.files) console.log(`  ${String(file.size).padStart(8)}  ${file.path}`);
	const problems = contentsCheck(pack, manifest);
	results.push({ label: 'tarball contents', passed: problems.length === 0, details: problems.join('\n') });

	await extractTarball(pack.tarball, extracted);
	const source = await analyzePackage(projectRoot, SOURCE_FILE_PATTERNS);
	results.push({ label: `scanner: source (${SOURCE_FILE_PATTERNS.join(', ')})`, ...source });
	const tarball = await analyzePackage(extracted, ['**/*.js', 'package.json']);
	results.push({ label: 'scanner: tarball (**/*.js, package.json)', ...tarball });
} finally {
	fs.rmSync(pack.dir, { recursive: true, force: true });
}

console.log('');
for (const { label, passed, message, details } of results) {
	console.log(`${passed ? 'PASS' : 'FAIL'}  ${label}${message && !passed ? `: ${message}` : ''}`);
	if (!passed && details) console.log(details.replace(/^/gm, '      '));
}
const failed = results.filter((result) => !result.passed).length;
console.log(failed === 0 ? '\nscan passed' : `\nscan failed: ${failed} of ${results.length} checks`);
process.exitCode = failed === 0 ? 0 : 1;
