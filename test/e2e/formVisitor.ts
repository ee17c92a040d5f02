import { FormData, fetch } from 'undici';

/**
 * A visitor's browser on an n8n 2.41.1 form, without the browser: the requests that the page's own
 * script makes (n8n's templates/form-trigger.handlebars and form-trigger-completion.handlebars),
 * read from those templates and checked by hand against headless Chromium's traffic.
 *
 * - Opening a page is a navigation: GET of its URL.
 * - Submitting first runs the page's own checks (required fields, its email pattern): a browser
 *   sends nothing when they fail. Then it POSTs the form's elements, in page order, as
 *   multipart/form-data to the page's own address: the trigger page keeps its query string, a
 *   waiting page sends `?signature=<its signature>`. The nameless submit button goes along as an
 *   empty part named "". n8n serves form pages sandboxed, so every fetch carries `Origin: null`.
 * - n8n answers `{"formWaitingUrl"}`. The page polls `<that path>/n8n-execution-status?signature=`
 *   (after 1 s, then 10% longer each time) until it answers `form-waiting`, then navigates to
 *   formWaitingUrl: the next page, or an ending.
 * - An ending page resumes the waiting run at once: a POST of `{}` as fetch sends an object (the
 *   text "[object Object]"), then the same polling until the run has ended.
 */

export interface FormPage {
	url: string;
	html: string;
	kind: 'form' | 'ending';
	/** The page's heading. */
	title: string;
	/** The description (a form) or the message (an ending), without tags. */
	text: string;
	/** The labels of the fields a person fills in, in page order. */
	labels: string[];
	/** The links in the description or message, resolved against the page's address. */
	links: string[];
}

export interface VisitorOptions {
	/** The page's first status poll waits 1 s; a test may poll sooner (the requests are the same). */
	firstPollMs?: number;
	/** Gives up when the run neither waits for a page nor ends within this time. */
	timeoutMs?: number;
}

interface Element {
	name: string;
	value: string;
	type: string;
	label?: string;
	required: boolean;
}

/** The page script's own email pattern: it refuses to submit anything else. */
const PAGE_EMAIL_PATTERN = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;
const ENDED = ['success', 'error', 'crashed', 'canceled', 'null'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const decode = (text: string) =>
	text
		.replace(/&#x27;|&#39;/g, "'")
		.replace(/&quot;/g, '"')
		.replace(/&#x3D;/g, '=')
		.replace(/&#x60;/g, '`')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
const withoutTags = (html: string) =>
	decode(html.replace(/<[^>]*>/g, ''))
		.replace(/\s+/g, ' ')
		.trim();
const attribute = (tag: string, name: string) =>
	tag.match(new RegExp(`\\s${name}=(?:'([^']*)'|"([^"]*)"|([^\\s>]+))`));
const attributeValue = (tag: string, name: string) => {
	const match = attribute(tag, name);
	return match ? decode(match[1] ?? match[2] ?? match[3] ?? '') : undefined;
};

export function parsePage(url: string, html: string): FormPage {
	const form = html.match(/<form[^>]*id='n8n-form'[^>]*>([\s\S]*?)<\/form>/);
	const header = form
		? form[1].match(/<div class='form-header'>([\s\S]*?)<\/div>/)
		: html.match(/<div class='header'>([\s\S]*?)<\/div>/);
	if (!header)
		throw new Error(`${url} is neither a form page nor an ending:\n${html.slice(0, 500)}`);
	const title = withoutTags(header[1].match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1] ?? '');
	const body = header[1].match(/<p[^>]*>([\s\S]*?)<\/p>/)?.[1] ?? '';
	const links = [...body.matchAll(/<a\s[^>]*>/g)]
		.map((tag) => attributeValue(tag[0], 'href'))
		.filter((href): href is string => href !== undefined)
		.map((href) => new URL(href, url).toString());
	return {
		url,
		html,
		kind: form ? 'form' : 'ending',
		title,
		text: withoutTags(body),
		labels: form ? formElements(form[1]).flatMap((element) => element.label ?? []) : [],
		links,
	};
}

/** What `form.elements` holds: inputs, textareas, selects and the button, in page order. */
function formElements(formHtml: string): Element[] {
	const labels = new Map(
		[...formHtml.matchAll(/<label[^>]*for='([^']+)'[^>]*>([\s\S]*?)<\/label>/g)].map((match) => [
			match[1],
			withoutTags(match[2]),
		]),
	);
	return [...formHtml.matchAll(/<(input|textarea|select|button)\b[^>]*>/g)].map(([tag, kind]) => {
		const type = kind === 'input' ? (attributeValue(tag, 'type') ?? 'text') : kind;
		if (['file', 'checkbox', 'select'].includes(type)) {
			throw new Error(`a ${type} field is not supported by this visitor: ${tag}`);
		}
		const id = attributeValue(tag, 'id') ?? '';
		return {
			name: attributeValue(tag, 'name') ?? '',
			value: kind === 'button' ? '' : (attributeValue(tag, 'value') ?? ''),
			type,
			label: labels.get(id),
			required: /\bform-required\b/.test(attributeValue(tag, 'class') ?? ''),
		};
	});
}

export class FormVisitor {
	/** Every page this visitor saw, to check what a visitor was shown. */
	readonly seen: FormPage[] = [];
	private readonly firstPollMs: number;
	private readonly timeoutMs: number;

	constructor(options: VisitorOptions = {}) {
		this.firstPollMs = options.firstPollMs ?? 1000;
		this.timeoutMs = options.timeoutMs ?? 30_000;
	}

	async open(url: string): Promise<FormPage> {
		const response = await fetch(url, {
			headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
			redirect: 'manual',
		});
		const html = await response.text();
		if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${html}`);
		const page = parsePage(url, html);
		this.seen.push(page);
		return page;
	}

	/** Fills in the fields by their labels and presses the button; answers the page that follows. */
	async submit(page: FormPage, answers: Record<string, string>): Promise<FormPage> {
		const form = page.html.match(/<form[^>]*id='n8n-form'[^>]*>([\s\S]*?)<\/form>/);
		if (!form) throw new Error(`${page.url} has no form to submit`);
		// A form that goes on to another page reads the POST's answer as data (useResponseData).
		if (!/id="useResponseData"[^>]*value=true/.test(page.html)) {
			throw new Error('this visitor follows multi-page forms only (useResponseData is off)');
		}
		const body = new FormData();
		for (const element of formElements(form[1])) {
			const value = element.label !== undefined ? (answers[element.label] ?? '') : element.value;
			if (element.required && value.trim() === '') {
				throw new Error(`the page refuses to submit: "${element.label}" is required`);
			}
			if (element.type === 'email' && value.trim() && !PAGE_EMAIL_PATTERN.test(value.trim())) {
				throw new Error(`the page refuses to submit: "${value}" is not an email address to it`);
			}
			body.append(element.name, value);
		}

		const address = new URL(page.url);
		const signature = address.searchParams.get('signature');
		const target = !page.url.includes('form-waiting')
			? address.search
			: signature
				? `?signature=${encodeURIComponent(signature)}`
				: '';
		const response = await fetch(new URL(target, page.url), {
			method: 'POST',
			body,
			headers: { origin: 'null' },
			redirect: 'manual',
		});
		const text = await response.text();
		let answer: { formWaitingUrl?: string } | undefined;
		try {
			answer = JSON.parse(text) as { formWaitingUrl?: string };
		} catch {
			answer = undefined;
		}
		if (!answer?.formWaitingUrl) {
			throw new Error(
				`the form answered ${response.status} "${text.slice(0, 300)}", not a next page`,
			);
		}
		const status = await this.waitForStatus(answer.formWaitingUrl, ['form-waiting']);
		if (status !== 'form-waiting') {
			throw new Error(`the page would show its own card: the run ended as "${status}"`);
		}
		return await this.open(answer.formWaitingUrl);
	}

	/** What an ending page does when it loads: resume the run, then watch it end. */
	async finish(page: FormPage): Promise<string> {
		if (page.kind !== 'ending') throw new Error(`${page.url} is not an ending`);
		const address = new URL(page.url);
		const signature = address.searchParams.get('signature');
		const target =
			page.url.includes('form-waiting') && signature
				? `?signature=${encodeURIComponent(signature)}`
				: '';
		const response = await fetch(new URL(target, page.url), {
			method: 'POST',
			body: '[object Object]',
			headers: { origin: 'null', 'content-type': 'text/plain;charset=UTF-8' },
			redirect: 'manual',
		});
		await response.text();
		return await this.waitForStatus(page.url, ENDED);
	}

	/** Polls the run's status as the page does, until it is one of `wanted` or has ended. */
	private async waitForStatus(pageUrl: string, wanted: string[]): Promise<string> {
		const signature = new URL(pageUrl).searchParams.get('signature');
		const statusUrl = new URL(pageUrl);
		statusUrl.pathname += '/n8n-execution-status';
		if (signature) statusUrl.searchParams.set('signature', signature);
		const deadline = Date.now() + this.timeoutMs;
		let interval = this.firstPollMs;
		while (Date.now() < deadline) {
			await sleep(interval);
			const response = await fetch(statusUrl, { headers: { origin: 'null' } });
			const status = (await response.text()).trim();
			if (wanted.includes(status) || ENDED.includes(status)) return status;
			interval = Math.round(interval * 1.1);
		}
		throw new Error(
			`${statusUrl} did not reach ${wanted.join(' or ')} within ${this.timeoutMs} ms`,
		);
	}
}
