import { hasControlCharacter } from '../text';
import { capText } from './serverText';

// The one rule for the credential's Base URL, applied by the credential (every request it
// authenticates, the Test button and HTTP Request nodes included) and checked by the node before
// it sends anything; and the rule for which URLs get the token: only those under the Base URL.

const MAX_BASE_URL_LENGTH = 2048;
/** Longer than any Piggy URL; the address of a request, its query included, is capped here. */
const MAX_REQUEST_URL_LENGTH = 16_384;
const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:/i;
/** A path with Piggy's API version in it: `/api/v3`, alone or with more after it. */
const API_PATH = /(^|\/)api\/v3(\/|$)/i;
/** Hosts that are this machine: plain http is allowed there, for the simulator and local proxies. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export type BaseUrlCheck =
	| {
			/** `https://host[:port][/prefix]`, no trailing slash. */
			baseUrl: string;
			/** Its scheme, host and port, as `URL.origin` writes them. */
			origin: string;
			/** Its path prefix without the trailing slash: `''` when it has none. */
			prefix: string;
			problem?: undefined;
	  }
	| { problem: string };

/**
 * The Base URL a builder typed, checked and normalised: `https://host[:port][/prefix]` without
 * trailing slashes, or http for a loopback host. `problem` completes the sentence "The Base URL in
 * the Piggy API credential ...", and never repeats the value (it may hold a password).
 */
export function checkBaseUrl(value: unknown): BaseUrlCheck {
	// The credential checks its Base URL for every request it authenticates; parsing it anew each
	// time measured about a sixth of the node's own CPU per item. The last answer is kept, for a
	// text no longer than a Base URL may be (an oversized one is not worth holding on to).
	if (typeof value === 'string' && lastCheck?.value === value) return lastCheck.check;
	const check = Object.freeze(checkBaseUrlText(value));
	if (typeof value === 'string' && value.length <= MAX_BASE_URL_LENGTH) {
		lastCheck = { value, check };
	}
	return check;
}

let lastCheck: { value: string; check: BaseUrlCheck } | undefined;

function checkBaseUrlText(value: unknown): BaseUrlCheck {
	const raw = typeof value === 'string' ? value.trim() : '';
	if (raw === '') return { problem: 'is empty' };
	if (raw.length > MAX_BASE_URL_LENGTH) return { problem: 'is too long' };
	if (/\s/.test(raw) || hasControlCharacter(raw)) {
		return { problem: 'contains spaces or control characters' };
	}
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return { problem: 'is not a URL (it should look like https://api.piggy.eu)' };
	}
	const secure = url.protocol === 'https:';
	if (!secure && !(url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname))) {
		return {
			problem:
				'must start with https:// (http:// is allowed only for this machine: localhost, 127.0.0.1 or ::1)',
		};
	}
	if (url.username !== '' || url.password !== '') {
		return { problem: 'must not contain a user name or password' };
	}
	if (raw.includes('?') || raw.includes('#')) {
		return { problem: 'must not contain a query (?) or a fragment (#)' };
	}
	let end = url.pathname.length;
	while (end > 0 && url.pathname[end - 1] === '/') end--;
	const prefix = url.pathname.slice(0, end);
	// Piggy's documentation writes its URLs as https://api.piggy.eu/api/v3/...; with that in the
	// Base URL every call would go to /api/v3/api/v3/... and fail as Not Found.
	if (API_PATH.test(prefix)) {
		return {
			problem:
				'must not include /api/v3: the node adds it (use https://api.piggy.eu or https://api.leat.com)',
		};
	}
	return { baseUrl: `${url.origin}${prefix}`, origin: url.origin, prefix };
}

export type RequestUrl =
	{ url: string; problem?: undefined } | { problem: string; description: string };

/**
 * Where a request that carries the token may go: below the Base URL, and nowhere else. A path
 * (`/api/v3/...`, as the node and the Test button send) is put under the Base URL; an absolute URL
 * (an HTTP Request node's) must be on the Base URL's scheme, host and port and under its path.
 * The answer is the URL parsed, so what was checked is what is sent (`..` and the like resolved).
 * `problem` and `description` name the request's origin at most, never its path or query.
 */
export function requestUrl(
	base: Extract<BaseUrlCheck, { baseUrl: string }>,
	requested: unknown,
): RequestUrl {
	const text = requested instanceof URL ? requested.href : requested;
	const cannot = (why: string): RequestUrl => ({
		problem: 'The Piggy API credential cannot send this request',
		description: `${why} Nothing was sent.`,
	});
	if (typeof text !== 'string' || text.trim() === '') return cannot('It has no URL.');
	if (text.length > MAX_REQUEST_URL_LENGTH) {
		return cannot(`Its URL is longer than ${MAX_REQUEST_URL_LENGTH} characters.`);
	}
	let url: URL;
	try {
		const relative = !ABSOLUTE_URL.test(text.trimStart());
		url = new URL(relative ? `${base.baseUrl}${text.startsWith('/') ? '' : '/'}${text}` : text);
	} catch {
		return cannot('Its URL is not a URL.');
	}
	const elsewhere = (where: string): RequestUrl => ({
		problem: `The Piggy API credential sends its token only to its Base URL, ${base.baseUrl}`,
		description: `This request is for ${where}. Use a URL that starts with the Base URL, or another credential for other services. Nothing was sent.`,
	});
	if (url.origin !== base.origin) {
		const origin = url.origin === 'null' ? `a ${url.protocol} URL` : capText(url.origin, 300);
		return elsewhere(origin);
	}
	if (url.username !== '' || url.password !== '') {
		return cannot('Its URL contains a user name or password.');
	}
	const { pathname } = url;
	if (pathname !== base.prefix && !pathname.startsWith(`${base.prefix}/`)) {
		return elsewhere(`a path outside ${base.prefix} on ${base.origin}`);
	}
	return { url: url.href };
}
