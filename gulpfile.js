// tsc compiles the TypeScript and copies the codex JSON; n8n also needs the node and credential
// icons next to the compiled files, which tsc does not copy.
const { src, dest } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = copyIcons;
