import { hasControlCharacter } from '../text';

// The one rule for the credential's Base URL, applied by the credential (every request it
// authenticates, the Test button included) and checked by the node before it sends anything.

const MAX_BASE_URL_LENGTH = 2048;
const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:/i;
/** Hosts that are this machine: plain http is allowed there, for the simulator and local proxies. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export type BaseUrlCheck = { baseUrl: string; problem?: undefined } | { problem: string };

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
	return { baseUrl: `${url.origin}${url.pathname.slice(0, end)}` };
}

/**
 * The URL of a Piggy API path below a checked Base URL. URLs that are already absolute (the HTTP
 * Request node using this credential) are left as they are.
 */
export function piggyUrl(baseUrl: string, url: string): string {
	return ABSOLUTE_URL.test(url) ? url : `${baseUrl}${url}`;
}
