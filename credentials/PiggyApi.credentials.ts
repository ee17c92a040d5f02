import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { checkBaseUrl, requestUrl } from '../nodes/PiggyContactVerification/transport/baseUrl';

/** What the request library's options add to n8n's: the address, and its redirect switches. */
interface LegacyRequestOptions {
	uri?: unknown;
	followRedirect?: boolean;
	followAllRedirects?: boolean;
}

/** The headers without any Authorization a workflow set itself, whatever its case. */
function withoutAuthorization(headers: IHttpRequestOptions['headers']): IDataObject {
	return Object.fromEntries(
		Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'authorization'),
	);
}

export class PiggyApi implements ICredentialType {
	name = 'piggyApi';

	displayName = 'Piggy API';

	// The README's section on this credential; Piggy's own documentation is linked from there.
	documentationUrl = 'https://github.com/n8n-nodes-piggy/n8n-nodes-piggy#credentials';

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

	// A function rather than a generic block, so that every request that carries the token (the
	// node's, the Test button's, an HTTP Request node's) gets the same rules: the Base URL is
	// checked (https, or http on this machine only), the token goes only to URLs under it, and
	// redirects are never followed, so it goes nowhere else either. No expression is evaluated per
	// request. A property, not a method: n8n hands the editor a copy of each credential type's own
	// properties, and the HTTP Request node offers a credential only when that copy has one named
	// `authenticate`.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const checked = checkBaseUrl(credentials.baseUrl);
		if (checked.problem !== undefined) {
			throw new Error(`The Base URL in the Piggy API credential ${checked.problem}`);
		}
		// n8n hands over one of two shapes: `url` (httpRequestWithAuthentication) or the request
		// library's `uri` (requestWithAuthentication, which HTTP Request nodes use). n8n sends to
		// `url` when both are set, so that is the one checked, and the checked URL takes its place.
		const legacy = requestOptions as LegacyRequestOptions;
		const inUrl = requestOptions.url !== undefined;
		const target = requestUrl(checked, inUrl ? requestOptions.url : legacy.uri);
		if (target.problem !== undefined) {
			throw Object.assign(new Error(target.problem), { description: target.description });
		}
		const authenticated: IHttpRequestOptions & LegacyRequestOptions = {
			...requestOptions,
			// Both shapes' switches: httpRequestWithAuthentication's, and the request library's.
			disableFollowRedirect: true,
			followRedirect: false,
			followAllRedirects: false,
			maxRedirects: 0,
			headers: {
				...withoutAuthorization(requestOptions.headers),
				Authorization: `Bearer ${String(credentials.apiKey ?? '').trim()}`,
			},
		};
		if (inUrl) authenticated.url = target.url;
		else authenticated.uri = target.url;
		// The URL is absolute now; a base URL beside it would only be another place to look.
		delete authenticated.baseURL;
		return authenticated;
	};

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
