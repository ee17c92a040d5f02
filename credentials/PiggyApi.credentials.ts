import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { checkBaseUrl, piggyUrl } from '../nodes/PiggyContactVerification/transport/baseUrl';

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
			description:
				'Where the Piggy API lives. It must start with https:// (http:// only for this machine, such as the local simulator). Keep the default unless you were told otherwise.',
			hint: 'Leat accounts can use https://api.leat.com; the local Piggy simulator prints its own URL (for example http://127.0.0.1:8787).',
		},
	];

	// A function rather than a generic block, so that every request that carries the token, the
	// node's and the Test button's alike, gets the same rules: the Base URL is checked (https, or
	// http on this machine only), and redirects are never followed, so the token goes nowhere else.
	// No expression is evaluated per request either.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const checked = checkBaseUrl(credentials.baseUrl);
		if (checked.problem !== undefined) {
			throw new Error(`The Base URL in the Piggy API credential ${checked.problem}`);
		}
		return {
			...requestOptions,
			url: piggyUrl(checked.baseUrl, requestOptions.url),
			disableFollowRedirect: true,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.apiKey ?? '').trim()}`,
			},
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
