import type { Dispatcher } from 'undici';

/** An undici response read whole: status, headers, raw text, and the JSON if it is JSON. */
export async function readResponse(response: Dispatcher.ResponseData) {
	const text = await response.body.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.statusCode, headers: response.headers, text, json };
}
