import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import {
	isRecord,
	describeHttpFailure,
	describeInvalidResponse,
	describeTransportFailure,
	piggyApiError,
} from './piggyErrors';

export const CONTACT_VERIFICATION_PATH = '/api/v3/oauth/clients/contact-verification';

const REQUEST_TIMEOUT_MS = 30_000;

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
	baseUrl: string;
}

// One node run calls Piggy once per item (twice with "Include Auth Token"): read the Base URL
// once per run rather than decrypting the credential again for every request.
const baseUrlByRun = new WeakMap<IExecuteFunctions, Promise<string>>();

async function readBaseUrl(ctx: IExecuteFunctions): Promise<string> {
	let baseUrl = baseUrlByRun.get(ctx);
	if (baseUrl === undefined) {
		baseUrl = ctx
			.getCredentials<PiggyCredentials>('piggyApi')
			.then((credentials) => String(credentials.baseUrl).trim().replace(/\/+$/, ''));
		baseUrlByRun.set(ctx, baseUrl);
	}
	return await baseUrl;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

/**
 * Calls Piggy with the node's Piggy API credential and answers the response's `data`, as read by
 * `request.readData`. Any failure becomes a NodeApiError for this item, built from our error table.
 */
export async function piggyApiRequest<T>(
	ctx: IExecuteFunctions,
	request: PiggyRequest<T>,
	itemIndex: number,
): Promise<T> {
	const baseUrl = await readBaseUrl(ctx);
	let response: IN8nHttpFullResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'piggyApi', {
			method: request.method,
			url: `${baseUrl}${request.path}`,
			headers: { Accept: 'application/json' },
			body: request.body,
			json: true,
			timeout: REQUEST_TIMEOUT_MS,
			// We map every status ourselves, so the error table decides what the builder reads.
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw piggyApiError(ctx.getNode(), describeTransportFailure(error), itemIndex, request.errorDetails);
	}

	const body = parseBody(response.body);
	if (response.statusCode < 200 || response.statusCode >= 300) {
		const failure = describeHttpFailure(response.statusCode, body);
		throw piggyApiError(ctx.getNode(), failure, itemIndex, request.errorDetails);
	}
	const data = isRecord(body) ? request.readData(body.data) : undefined;
	if (data === undefined) {
		const failure = describeInvalidResponse(response.statusCode);
		throw piggyApiError(ctx.getNode(), failure, itemIndex, request.errorDetails);
	}
	return data;
}
