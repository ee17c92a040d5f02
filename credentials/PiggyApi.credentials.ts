import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// Listing the shops needs a valid token and nothing else, so HTTP 401 here means the token
	// (not the Base URL or a Contact) is the problem.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v3/oauth/clients/shops',
			method: 'GET',
			headers: { Accept: 'application/json' },
		},
	};
}
