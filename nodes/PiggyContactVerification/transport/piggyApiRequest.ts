import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import type { PiggyFailure } from '../failures';
import { failWith, failure } from '../failures';
import { pause } from '../wait';
import type { BaseUrlCheck } from './baseUrl';
import { checkBaseUrl } from './baseUrl';
import { Deadline } from './deadline';
import {
	describeHttpFailure,
	describeInvalidResponse,
	describeRedirect,
	describeTransportFailure,
} from './describeFailure';
import { isRecord, parseJson } from './json';
import { retryDelayMs } from './retry';
import { cleanFailure, redactJson, secretForms } from './serverText';

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

/** Piggy's answers are a few hundred bytes; a body beyond this is not read into memory. */
const MAX_BODY_BYTES = 64 * 1024;

interface RunCredentials {
	/** Handed to n8n with each request, so it does not load and decrypt the credential again. */
	decrypted: ICredentialsDecrypted;
	baseUrl: BaseUrlCheck;
	/** The token's forms, to be redacted from anything a server sends. */
	secrets: string[];
}

// One node run calls Piggy once per item (twice with "Include Auth Token"). n8n would load and
// decrypt the credential from its database for every request; read it once per run instead.
const credentialsByRun = new WeakMap<IExecuteFunctions, Promise<RunCredentials>>();

function readCredentials(this: IExecuteFunctions): Promise<RunCredentials> {
	let credentials = credentialsByRun.get(this);
	if (credentials === undefined) {
		credentials = this.getCredentials('piggyApi').then((data) => {
			const { id, name } = this.getNode().credentials?.piggyApi ?? { id: null, name: '' };
			return {
				decrypted: { id: id ?? '', name, type: 'piggyApi', data },
				baseUrl: checkBaseUrl(data.baseUrl),
				secrets: secretForms(data.apiKey),
			};
		});
		credentialsByRun.set(this, credentials);
	}
	return credentials;
}

/** One HTTP answer, its body read (at most MAX_BODY_BYTES) and parsed, secrets redacted. */
interface Answer {
	statusCode: number;
	header(name: string): string | undefined;
	body: unknown;
}

interface ReadableBody {
	destroy(): void;
	[Symbol.asyncIterator](): AsyncIterator<Uint8Array | string>;
}

const isReadableBody = (body: unknown): body is ReadableBody =>
	typeof body === 'object' && body !== null && Symbol.asyncIterator in body && 'destroy' in body;

/** The body as text; undefined when it is too large or breaks off; `deadline.passed` if cut. */
async function readText(body: unknown, deadline: Deadline): Promise<string | undefined> {
	if (typeof body === 'string') return body.length <= MAX_BODY_BYTES ? body : undefined;
	if (!isReadableBody(body)) return undefined;
	void deadline.over.then(() => deadline.passed && body.destroy());
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += bytes.length;
			if (size > MAX_BODY_BYTES) {
				body.destroy();
				return undefined;
			}
			chunks.push(bytes);
		}
	} catch {
		return undefined;
	}
	return deadline.passed ? undefined : Buffer.concat(chunks).toString('utf8');
}

/**
 * One exchange with Piggy through n8n's request helper and the credential, which adds the Base
 * URL and the token and refuses redirects. Timeout is a deadline for the whole exchange, body
 * included: n8n's own timeout only notices a silent connection, not a slow one.
 */
async function exchange(
	this: IExecuteFunctions,
	options: IHttpRequestOptions,
	credentials: RunCredentials,
	timeoutMs: number,
): Promise<Answer | PiggyFailure> {
	const timedOut = () =>
		failure('timeout', { message: `Piggy did not answer within ${timeoutMs} ms` });
	const deadline = new Deadline(timeoutMs);
	const request = this.helpers.httpRequestWithAuthentication.call(this, 'piggyApi', options, {
		credentialsDecrypted: credentials.decrypted,
	}) as Promise<IN8nHttpFullResponse>;
	try {
		const response = await Promise.race([request, deadline.over.then(() => undefined)]);
		if (response === undefined) {
			// Given up on: close the answer if it still comes.
			request.then(
				({ body }) => isReadableBody(body) && body.destroy(),
				() => undefined,
			);
			return timedOut();
		}
		const text = await readText(response.body, deadline);
		if (deadline.passed) return timedOut();
		const headers = response.headers ?? {};
		return {
			statusCode: response.statusCode,
			header: (name) => {
				const value = headers[name];
				return Array.isArray(value)
					? String(value[0])
					: value === undefined
						? undefined
						: String(value);
			},
			body: text === undefined ? undefined : redactJson(parseJson(text), credentials.secrets),
		};
	} catch (error) {
		return deadline.passed ? timedOut() : describeTransportFailure(error, timeoutMs);
	} finally {
		deadline.clear();
	}
}

/**
 * Calls Piggy with the node's Piggy API credential and answers the response's `data`, as read by
 * `request.readData`. Any failure is thrown as this item's PiggyFailure, with the token redacted
 * from whatever the server said and server text capped.
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
	const credentials = await readCredentials.call(this);
	const fail = (failed: PiggyFailure): never =>
		failWith(
			cleanFailure(
				call.failureDetails ? { ...failed, details: call.failureDetails } : failed,
				credentials.secrets,
			),
		);
	const { baseUrl } = credentials;
	if (baseUrl.problem !== undefined) {
		return fail(
			failure('invalid_base_url', {
				message: `The Base URL in the Piggy API credential ${baseUrl.problem}`,
			}),
		);
	}
	const cancelSignal = this.getExecutionCancelSignal?.();
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.path,
		headers: { Accept: 'application/json' },
		body: request.body,
		json: true,
		// The body is read here, within the deadline and a size cap.
		encoding: 'stream',
		// n8n's own timeout only notices silence; a second later than our deadline, it just closes
		// the connection of a request we already gave up on.
		timeout: call.timeoutMs + 1_000,
		// We map every status ourselves, so the error table decides what the builder reads.
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
	};

	for (let attempt = 1; ; attempt++) {
		const answer = await exchange.call(this, { ...options }, credentials, call.timeoutMs);
		if ('reason' in answer) return fail(answer);

		const { statusCode, body } = answer;
		if (statusCode >= 200 && statusCode < 300) {
			const data = isRecord(body) ? request.readData(body.data) : undefined;
			return data === undefined ? fail(describeInvalidResponse(statusCode)) : data;
		}
		if (statusCode >= 300 && statusCode < 400) {
			const requestUrl = `${baseUrl.baseUrl}${request.path}`;
			return fail(describeRedirect(statusCode, answer.header('location'), requestUrl));
		}

		const retryAfter = answer.header('retry-after');
		const delay = retryDelayMs(statusCode, retryAfter, attempt);
		if (delay !== undefined) await pause(delay, cancelSignal);
		// Not retryable, or stopped during the wait: the item keeps Piggy's last answer.
		if (delay === undefined || cancelSignal?.aborted) {
			return fail(describeHttpFailure(statusCode, body, retryAfter));
		}
	}
}
