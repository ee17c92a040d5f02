import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The production URLs a published workflow serves, and a wait until n8n answers them. n8n says it
 * is ready (`/healthz/readiness`) before it has registered the active workflows' webhooks and
 * forms; until it has, they answer 404 and start nothing.
 */

export interface Endpoint {
	/** The path under n8n's URL, e.g. `webhook/piggy/send-code` or `form/piggy-login`. */
	path: string;
	/** The method the workflow's trigger takes. */
	method: string;
	/** A public hosted chat also serves its page with a GET, like a form. */
	kind: 'webhook' | 'form' | 'chat';
}

interface WorkflowNode {
	type: string;
	parameters?: Record<string, unknown>;
	webhookId?: string;
}

/** The Webhook, Form Trigger and hosted Chat Trigger nodes of a workflow, as the URLs n8n serves. */
export function triggerEndpoints(workflow: { nodes?: unknown[] }): Endpoint[] {
	return ((workflow.nodes ?? []) as WorkflowNode[]).flatMap((node): Endpoint[] => {
		const parameters = node.parameters ?? {};
		if (node.type === 'n8n-nodes-base.webhook') {
			const method = String(parameters.httpMethod ?? 'GET');
			return [{ kind: 'webhook', method, path: `webhook/${String(parameters.path)}` }];
		}
		if (node.type === 'n8n-nodes-base.formTrigger') {
			const options = (parameters.options ?? {}) as { path?: string };
			return [{ kind: 'form', method: 'GET', path: `form/${options.path ?? node.webhookId}` }];
		}
		// Only the hosted chat: in embedded mode n8n answers a GET by running the workflow.
		const hosted = parameters.mode === undefined || parameters.mode === 'hostedChat';
		if (
			node.type === '@n8n/n8n-nodes-langchain.chatTrigger' &&
			parameters.public === true &&
			hosted
		) {
			return [{ kind: 'chat', method: 'POST', path: `webhook/${node.webhookId}/chat` }];
		}
		return [];
	});
}

/**
 * Whether n8n serves `endpoint`, asked without starting its workflow: a form's or a chat's page is
 * a GET that starts nothing; a webhook is asked with another method, which a registered one answers with
 * "Did you mean to make a POST request?" and an unregistered one with "... is not registered".
 * Answers the reply that said no, or undefined.
 */
async function notServed(baseUrl: string, endpoint: Endpoint): Promise<string | undefined> {
	const probe = endpoint.kind !== 'webhook' ? 'GET' : endpoint.method === 'GET' ? 'DELETE' : 'GET';
	try {
		const response = await fetch(`${baseUrl}/${endpoint.path}`, { method: probe });
		const text = await response.text();
		if (response.status !== 404) return undefined;
		if (endpoint.kind === 'webhook' && text.includes('Did you mean')) return undefined;
		return `HTTP 404 ${text.slice(0, 200)}`;
	} catch (error) {
		return String(error);
	}
}

/**
 * Waits until n8n serves every endpoint, or throws naming those it did not serve by `deadline`.
 * `stopped` answers a reason when the n8n process has ended, to stop waiting at once.
 */
export async function waitForEndpoints(
	baseUrl: string,
	endpoints: readonly Endpoint[],
	deadline: number,
	stopped: () => string | undefined,
): Promise<void> {
	let pending: Array<{ endpoint: Endpoint; answer?: string }> = endpoints.map((endpoint) => ({
		endpoint,
	}));
	while (pending.length) {
		const ended = stopped();
		if (ended) throw new Error(ended);
		const answers = await Promise.all(pending.map(({ endpoint }) => notServed(baseUrl, endpoint)));
		pending = pending.flatMap(({ endpoint }, index) => {
			const answer = answers[index];
			return answer === undefined ? [] : [{ endpoint, answer }];
		});
		if (!pending.length) return;
		if (Date.now() > deadline) {
			const missing = pending.map(({ endpoint, answer }) => {
				return `${endpoint.method} /${endpoint.path} (last answer: ${answer})`;
			});
			throw new Error(`n8n did not register ${missing.join('; ')}`);
		}
		await sleep(100);
	}
}
