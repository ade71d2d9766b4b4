import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const NODE = join(__dirname, '..', '..', 'nodes', 'AcsChat');

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
	);
}

/** The modules (paths under nodes/AcsChat) a file imports. */
function imports(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	return [...text.matchAll(/from '(\.[^']+)'/g)].map((match) => relative(NODE, join(file, '..', match[1])).split('\\').join('/'));
}

// One direction: actions and descriptions → transport → helpers; helpers import nothing of the node.
describe('layers', () => {
	// helpers/parameters reads the node's UI parameters: the transport is handed its settings instead.
	it.each([
		['helpers', ['actions', 'descriptions', 'transport']],
		['transport', ['actions', 'descriptions', 'helpers/parameters']],
	])('%s imports nothing from %p', (folder, forbidden) => {
		const files = sources(join(NODE, folder));
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) {
			const offending = imports(file).filter((module) =>
				forbidden.some((prefix) => module === prefix || module.startsWith(`${prefix}/`)),
			);
			expect({ file: relative(NODE, file), offending }).toEqual({ file: relative(NODE, file), offending: [] });
		}
	});

	it('finds the imports it checks', () => {
		expect(imports(join(NODE, 'transport', 'index.ts'))).toContain('helpers/invalidParameter');
	});
});
