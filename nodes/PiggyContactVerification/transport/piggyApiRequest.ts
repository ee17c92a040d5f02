import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { readTimeoutMs } from '../actions/options';
import {
	describeHttpFailure,
	describeInvalidResponse,
	describeTransportFailure,
	isRecord,
	piggyApiError,
} from './piggyErrors';
import type { PiggyFailure } from './piggyErrors';
import { retryDelayMs } from './retry';

export const CONTACT_VERIFICATION_PATH = '/api/v3/oauth/clients/contact-verification';

export interface PiggyRequest<T> {
	method: IHttpRequestMethods;
	/** Path below the Base URL, already encoded, e.g. `/api/v3/oauth/clients/shops`. */
	path: string;
	body?: IDataObject;
	/** Reads the response's `data`; `undefined` means it is not what Piggy documents. */
	readData: (data: unknown) => T | undefined;
	/** Facts the builder needs if this request fails, kept in the error's `details`. */
	errorDetails?: IDataObject;
}

interface PiggyCredentials {
	/** Base URL without trailing slashes. */
	baseUrl: string;
	/** Handed to n8n with each request, so it does not load and decrypt the credential again. */
	decrypted: ICredentialsDecrypted;
}

// One node run calls Piggy once per item (twice with "Include Auth Token"). n8n would load and
// decrypt the credential from its database for every request; read it once per run instead.
const credentialsByRun = new WeakMap<IExecuteFunctions, Promise<PiggyCredentials>>();

function readCredentials(ctx: IExecuteFunctions): Promise<PiggyCredentials> {
	let credentials = credentialsByRun.get(ctx);
	if (credentials === undefined) {
		credentials = ctx.getCredentials('piggyApi').then((data) => {
			const { id, name } = ctx.getNode().credentials?.piggyApi ?? { id: null, name: '' };
			return {
				baseUrl: String(data.baseUrl).trim().replace(/\/+$/, ''),
				decrypted: { id: id ?? '', name, type: 'piggyApi', data },
			};
		});
		credentialsByRun.set(ctx, credentials);
	}
	return credentials;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/**
 * Calls Piggy with the node's Piggy API credential and answers the response's `data`, as read by
 * `request.readData`. Any failure becomes a NodeApiError for this item, built from our error table.
 *
 * Only HTTP 429 and 503 are retried: both mean Piggy did not process the request, so retrying
 * cannot send a verification email twice. A timeout or another 5xx may come after the email went
 * out, so those fail at once.
 */
export async function piggyApiRequest<T>(
	ctx: IExecuteFunctions,
	request: PiggyRequest<T>,
	itemIndex: number,
): Promise<T> {
	const { baseUrl, decrypted } = await readCredentials(ctx);
	const timeout = readTimeoutMs(ctx, itemIndex);
	const fail = (failure: PiggyFailure) =>
		piggyApiError(ctx.getNode(), failure, itemIndex, request.errorDetails);

	for (let attempt = 1; ; attempt++) {
		let response: IN8nHttpFullResponse;
		try {
			const options: IHttpRequestOptions = {
				method: request.method,
				url: `${baseUrl}${request.path}`,
				headers: { Accept: 'application/json' },
				body: request.body,
				json: true,
				timeout,
				// We map every status ourselves, so the error table decides what the builder reads.
				ignoreHttpStatusErrors: true,
				returnFullResponse: true,
			};
			response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'piggyApi', options, {
				credentialsDecrypted: decrypted,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			throw fail(describeTransportFailure(error, timeout));
		}

		const { statusCode } = response;
		const body = parseBody(response.body);
		if (statusCode >= 200 && statusCode < 300) {
			const data = isRecord(body) ? request.readData(body.data) : undefined;
			if (data === undefined) throw fail(describeInvalidResponse(statusCode));
			return data;
		}

		const retryAfter = header(response, 'retry-after');
		const delay = retryDelayMs(statusCode, retryAfter, attempt);
		if (delay === undefined) throw fail(describeHttpFailure(statusCode, body, retryAfter));
		await sleep(delay, ctx.getExecutionCancelSignal?.());
	}
}
