import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { failWith } from '../failures';
import type { PiggyFailure } from '../failures';
import { pause } from '../wait';
import {
	describeHttpFailure,
	describeInvalidResponse,
	describeTransportFailure,
} from './describeFailure';
import { isRecord, parseJson } from './json';
import { retryDelayMs } from './retry';

/** How one item's call is made: which item it is for, how long it may take. */
export interface PiggyCall {
	itemIndex: number;
	timeoutMs: number;
	/** Facts the builder needs if this call fails, kept in the failure's `details`. */
	failureDetails?: IDataObject;
}

export interface PiggyRequest<T> {
	method: IHttpRequestMethods;
	/** Path below the credential's Base URL, already encoded, e.g. `/api/v3/oauth/clients/shops`. */
	path: string;
	body?: IDataObject;
	/** Reads the response's `data`; `undefined` means it is not what Piggy documents. */
	readData: (data: unknown) => T | undefined;
}

// One node run calls Piggy once per item (twice with "Include Auth Token"). n8n would load and
// decrypt the credential from its database for every request; read it once per run instead.
const credentialsByRun = new WeakMap<IExecuteFunctions, Promise<ICredentialsDecrypted>>();

function readCredentials(this: IExecuteFunctions): Promise<ICredentialsDecrypted> {
	let credentials = credentialsByRun.get(this);
	if (credentials === undefined) {
		credentials = this.getCredentials('piggyApi').then((data) => {
			const { id, name } = this.getNode().credentials?.piggyApi ?? { id: null, name: '' };
			return { id: id ?? '', name, type: 'piggyApi', data };
		});
		credentialsByRun.set(this, credentials);
	}
	return credentials;
}

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined ? undefined : String(value);
}

/**
 * Calls Piggy with the node's Piggy API credential, which adds the Base URL and the token, and
 * answers the response's `data` as read by `request.readData`. Any failure is thrown as this
 * item's PiggyFailure.
 *
 * Only HTTP 429 and 503 are retried: both mean Piggy did not process the request, so retrying
 * cannot send a verification email twice. A timeout or another 5xx may come after the email went
 * out, so those fail at once.
 */
export async function piggyApiRequest<T>(
	this: IExecuteFunctions,
	request: PiggyRequest<T>,
	call: PiggyCall,
): Promise<T> {
	const credentialsDecrypted = await readCredentials.call(this);
	const cancelSignal = this.getExecutionCancelSignal?.();
	const fail = (failed: PiggyFailure): never =>
		failWith(call.failureDetails ? { ...failed, details: call.failureDetails } : failed);

	for (let attempt = 1; ; attempt++) {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.path,
			headers: { Accept: 'application/json' },
			body: request.body,
			json: true,
			timeout: call.timeoutMs,
			// We map every status ourselves, so the error table decides what the builder reads.
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		};
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, 'piggyApi', options, {
				credentialsDecrypted,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			return fail(describeTransportFailure(error, call.timeoutMs));
		}

		const { statusCode } = response;
		const body = parseJson(response.body);
		if (statusCode >= 200 && statusCode < 300) {
			const data = isRecord(body) ? request.readData(body.data) : undefined;
			return data === undefined ? fail(describeInvalidResponse(statusCode)) : data;
		}

		const retryAfter = header(response, 'retry-after');
		const delay = retryDelayMs(statusCode, retryAfter, attempt);
		if (delay !== undefined) await pause(delay, cancelSignal);
		// Not retryable, or stopped during the wait: the item keeps Piggy's last answer.
		if (delay === undefined || cancelSignal?.aborted) {
			return fail(describeHttpFailure(statusCode, body, retryAfter));
		}
	}
}
