import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export interface Shop {
	uuid: string;
	name: string;
	type: string;
	reference: string | null;
}

export interface Contact {
	uuid: string;
	email: string;
	/** Whether the business has a Contacts Portal for this Contact (off: code 55032). */
	portal: boolean;
}

export interface SentCode {
	email: string;
	code: string;
	sent_at: string;
	expires_at: string;
	used: boolean;
}

/** One call of verify that reached the API: what was tried for an address, and whether it worked. */
export interface CodeTry {
	code: string;
	tried_at: string;
	accepted: boolean;
}

export interface Seed {
	shops: Shop[];
	contacts: Contact[];
}

/** Contacts, the codes each send issued (the "mailbox") and the auth tokens handed out. */
export class SimulatorState {
	private readonly contactsByEmail = new Map<string, Contact>();
	private readonly contactsByUuid = new Map<string, Contact>();
	/** Codes by lower-cased address, oldest first: a bench sends 100,000 codes in one run. */
	private readonly mailboxes = new Map<string, SentCode[]>();
	/** Every code tried, by lower-cased address, oldest first: what a limit let through. */
	private readonly tries = new Map<string, CodeTry[]>();
	readonly shops: Shop[];

	constructor(
		seed: Seed,
		private readonly codeTtlMs: number,
		private readonly now: () => number = Date.now,
	) {
		this.shops = seed.shops;
		for (const contact of seed.contacts) this.addContact(contact);
	}

	addContact(contact: Contact): Contact {
		this.contactsByEmail.set(contact.email.toLowerCase(), contact);
		this.contactsByUuid.set(contact.uuid, contact);
		return contact;
	}

	createContact(email: string, portal: boolean): Contact {
		return this.addContact({ uuid: randomUUID(), email, portal });
	}

	findByEmail(email: string): Contact | undefined {
		return this.contactsByEmail.get(email.toLowerCase());
	}

	findByUuid(uuid: string): Contact | undefined {
		return this.contactsByUuid.get(uuid);
	}

	/** A new 6-digit, single-use code for the Contact; earlier codes stay valid until they expire. */
	issueCode(contact: Contact): SentCode {
		const sentAt = this.now();
		const sent: SentCode = {
			email: contact.email,
			code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
			sent_at: new Date(sentAt).toISOString(),
			expires_at: new Date(sentAt + this.codeTtlMs).toISOString(),
			used: false,
		};
		const key = contact.email.toLowerCase();
		const mailbox = this.mailboxes.get(key);
		if (mailbox) mailbox.push(sent);
		else this.mailboxes.set(key, [sent]);
		return sent;
	}

	/**
	 * Uses up a matching, unused, unexpired code; false when there is none (code 13010). Every call
	 * is recorded as a try of that address, known or not.
	 */
	redeemCode(email: string, code: string): boolean {
		const key = email.toLowerCase();
		const match = this.mailboxes
			.get(key)
			?.find(
				(sent) => sent.code === code && !sent.used && Date.parse(sent.expires_at) > this.now(),
			);
		if (match) match.used = true;
		const tried: CodeTry = {
			code,
			tried_at: new Date(this.now()).toISOString(),
			accepted: match !== undefined,
		};
		const tries = this.tries.get(key);
		if (tries) tries.push(tried);
		else this.tries.set(key, [tried]);
		return match !== undefined;
	}

	/** Codes tried for an address, newest first. */
	triesFor(email: string): CodeTry[] {
		return [...(this.tries.get(email.toLowerCase()) ?? [])].reverse();
	}

	/** Codes sent to an address, newest first. */
	mailFor(email: string): SentCode[] {
		return [...(this.mailboxes.get(email.toLowerCase()) ?? [])].reverse();
	}

	/** Shaped like Piggy's: base64 of an encrypted Laravel payload `{iv, value, mac, tag}`. */
	issueAuthToken(): string {
		const payload = {
			iv: randomBytes(16).toString('base64'),
			value: randomBytes(48).toString('base64'),
			mac: randomBytes(32).toString('hex'),
			tag: '',
		};
		return Buffer.from(JSON.stringify(payload)).toString('base64');
	}
}
