/**
 * Whether `text` holds a control character (C0, DEL or C1): line breaks, tabs, NUL and the like.
 * A loop rather than a regular expression with control characters in it, which lint rightly
 * flags as usually a mistake; linear in the length of `text`.
 */
export function hasControlCharacter(text: string): boolean {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
	}
	return false;
}
