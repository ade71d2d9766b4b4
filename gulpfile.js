const { src, dest } = require('gulp');

// tsc emits only .js; n8n loads node and credential icons from the paths their descriptions name, relative to
// the emitted files, so the shared icons folder must sit beside nodes/ and credentials/ in dist/ too.
function buildIcons() {
	return src(['icons/**/*.svg'], { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
