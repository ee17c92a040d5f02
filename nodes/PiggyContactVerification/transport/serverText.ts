import type { PiggyFailure } from '../failures';

// Whatever a server sends is untrusted: it may repeat the token it was sent, and it may be huge.
// Server text is redacted before it is cut, so a cut never leaves part of a token behind.

const REDACTED = '[redacted]';
const MAX_JSON_DEPTH = 8;
const MAX_MESSAGE_LENGTH = 1_000;
const MAX_DESCRIPTION_LENGTH = 2_000;

/**
 * Shorter tokens are not Personal Access Tokens (Piggy's are long): replacing a one-letter "token"
 * everywhere would garble every answer, and Piggy refuses such a token anyway.
 */
const MIN_SECRET_LENGTH = 8;

/** The forms in which a server could repeat the credential's token. */
export function secretForms(apiKey: unknown): string[] {
	const raw = typeof apiKey === 'string' ? apiKey : '';
	const forms = [raw, raw.trim(), encodeURIComponent(raw.trim())];
	return [...new Set(forms.filter((form) => form.length >= MIN_SECRET_LENGTH))];
}

/** `text` with every secret replaced; linear in the length of `text` per secret. */
export function redact(text: string, secrets: readonly string[]): string {
	return secrets.reduce((clean, secret) => clean.split(secret).join(REDACTED), text);
}

/** `text`, cut to `max` characters with an ellipsis. */
export function capText(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A parsed JSON body with every string (keys too) redacted; nesting below 8 levels is dropped. */
export function redactJson(value: unknown, secrets: readonly string[], depth = 0): unknown {
	if (typeof value === 'string') return redact(value, secrets);
	if (typeof value !== 'object' || value === null) return value;
	if (depth >= MAX_JSON_DEPTH) return null;
	if (Array.isArray(value)) return value.map((item) => redactJson(item, secrets, depth + 1));
	return Object.fromEntries(
		Object.entries(value).map(([key, item]) => [
			redact(key, secrets),
			redactJson(item, secrets, depth + 1),
		]),
	);
}

/** A failure fit to show and store: secrets redacted, message and description capped. */
export function cleanFailure(failed: PiggyFailure, secrets: readonly string[]): PiggyFailure {
	const clean = (text: string, max: number) => capText(redact(text, secrets), max);
	return {
		...failed,
		message: clean(failed.message, MAX_MESSAGE_LENGTH),
		description:
			failed.description === null ? null : clean(failed.description, MAX_DESCRIPTION_LENGTH),
		...(failed.details && {
			details: redactJson(failed.details, secrets) as PiggyFailure['details'],
		}),
	};
}
