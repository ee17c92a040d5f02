/**
 * The URL of a Piggy API path for the Base URL a builder typed: surrounding spaces and trailing
 * slashes are dropped, a path prefix is kept (`http://proxy/piggy/` + `/api/v3/...`). URLs that are
 * already absolute (the HTTP Request node with this credential) are left as they are.
 */
export function piggyUrl(baseUrl: unknown, url: string): string {
	if (/^[a-z][a-z\d+.-]*:/i.test(url)) return url;
	const base = typeof baseUrl === 'string' ? baseUrl.trim() : '';
	let end = base.length;
	// A loop, not /\/+$/: that regex takes quadratic time on a long run of slashes mid-string.
	while (end > 0 && base[end - 1] === '/') end--;
	return `${base.slice(0, end)}${url}`;
}
