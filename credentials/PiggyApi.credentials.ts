import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { piggyUrl } from './piggyUrl';

export class PiggyApi implements ICredentialType {
	name = 'piggyApi';

	displayName = 'Piggy API';

	documentationUrl = 'https://docs.piggy.eu/';

	icon: Icon = {
		light: 'file:../nodes/PiggyContactVerification/piggy.svg',
		dark: 'file:../nodes/PiggyContactVerification/piggy.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Personal Access Token',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Create one in the Piggy Business Dashboard under Apps → Integrations → Personal Access Tokens. It is shown only once, and it expires on the date you pick.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.piggy.eu',
			required: true,
			description: 'Where the Piggy API lives. Keep the default unless you were told otherwise.',
			hint: 'Leat accounts can use https://api.leat.com; the local Piggy simulator prints its own URL (for example http://127.0.0.1:8787).',
		},
	];

	// A function rather than a generic block: n8n applies it to the node's requests and to the
	// Test button's alike, so both reach the same URL for the same Base URL, and no expression is
	// evaluated per request.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			url: piggyUrl(credentials.baseUrl, requestOptions.url),
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey)}` },
		};
	}

	// Listing the shops needs a valid token and nothing else, so HTTP 401 here means the token
	// (not the Base URL or a Contact) is the problem.
	test: ICredentialTestRequest = {
		request: {
			url: '/api/v3/oauth/clients/shops',
			method: 'GET',
			headers: { Accept: 'application/json' },
		},
	};
}
