// prepublishOnly: n8n installs community packages on n8n Cloud only when they were published with
// an npm provenance statement, which only a CI run can give. The Publish workflow runs this with
// scripts on; package.json's publishConfig.provenance makes npm itself refuse a local publish
// too (this repository's .npmrc turns scripts off, so this guard alone would not be enough).
if (process.env.GITHUB_ACTIONS !== 'true' || !process.env.ACTIONS_ID_TOKEN_REQUEST_URL) {
	console.error(
		'n8n-nodes-piggy is published by the Publish workflow (push a v* tag): n8n requires npm provenance, which a local `npm publish` cannot give.',
	);
	process.exit(1);
}
