import { HEADER_AUTH_CREDENTIAL, PIGGY_CREDENTIAL } from './setup';

// The workflows the bench imports into n8n. Every sending workflow makes N items with n8n's own
// nodes (Set, Split Out), then sends Send Verification Email for each with one of the contenders.

export const SEND_PATH = '/api/v3/oauth/clients/contact-verification/send';
const VERIFY_PATH = '/api/v3/oauth/clients/contact-verification/verify';
const AUTH_TOKEN_PATH = '/api/v3/oauth/clients/contact-verification/auth-token';
export const ITEMS_PER_BATCH = 10;

/** What sends the emails: n8n's HTTP Request node, our node (1 by 1 or batched), or nothing. */
export type Contender = 'none' | 'httpRequestNode' | 'piggyNode' | 'piggyNodeBatched';

type Node = Record<string, unknown> & { name: string };

interface Workflow {
	id: string;
	name: string;
	active: false;
	settings: { executionOrder: 'v1' };
	nodes: Node[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	>;
	pinData: Record<string, never>;
}

/** A chain of nodes, each one's first output going to the next. */
function chain(id: string, nodes: Node[]): Workflow {
	const connections: Workflow['connections'] = {};
	for (let index = 0; index + 1 < nodes.length; index++) {
		connections[nodes[index].name] = {
			main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]],
		};
	}
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: nodes.map((node, index) => ({
			id: `${id}-${index}`,
			position: [index * 220, 0],
			...node,
		})),
		connections,
		pinData: {},
	};
}

/** n8n keeps webhooks by id: a stable UUID per path keeps re-imports from clashing. */
function webhookId(path: string): string {
	const hex = Buffer.from(path).toString('hex').padEnd(32, '0').slice(-32);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function webhookTrigger(path: string, responseMode: 'onReceived' | 'responseNode'): Node {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		parameters: { httpMethod: 'POST', path, responseMode, options: {} },
		webhookId: webhookId(path),
	};
}

const manualTrigger: Node = {
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	parameters: {},
};

/** `items` items `{ email: "bench<i>@example.com" }`, made by n8n's Set and Split Out nodes. */
function itemNodes(items: number): Node[] {
	return [
		{
			name: 'Emails',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: {
				assignments: {
					assignments: [
						{
							id: 'emails',
							name: 'emails',
							type: 'array',
							value: `={{ Array.from({ length: ${items} }, (_, i) => 'bench' + i + '@example.com') }}`,
						},
					],
				},
				options: {},
			},
		},
		{
			name: 'Items',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'emails', options: { destinationFieldName: 'email' } },
		},
	];
}

export const benchEmail = (index: number) => `bench${index}@example.com`;

function sendNode(contender: Exclude<Contender, 'none'>, simulatorUrl: string): Node {
	if (contender === 'httpRequestNode') {
		return {
			name: 'Send',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'POST',
				url: `${simulatorUrl}${SEND_PATH}`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendBody: true,
				bodyParameters: { parameters: [{ name: 'email', value: '={{ $json.email }}' }] },
				options: {},
			},
			credentials: { httpHeaderAuth: HEADER_AUTH_CREDENTIAL },
		};
	}
	return {
		name: 'Send',
		type: 'n8n-nodes-piggy.piggyContactVerification',
		typeVersion: 1,
		parameters: {
			operation: 'sendVerificationEmail',
			email: '={{ $json.email }}',
			options:
				contender === 'piggyNodeBatched'
					? { batching: { batch: { batchSize: ITEMS_PER_BATCH, batchInterval: 0 } } }
					: {},
		},
		credentials: { piggyApi: PIGGY_CREDENTIAL },
	};
}

/**
 * The last node of a memory run: one POST (Execute Once) to the bench, which measures n8n while
 * the request is open, so the run data of every node before it is still held.
 */
function checkpointNode(url: string): Node {
	return {
		name: 'Checkpoint',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		executeOnce: true,
		parameters: { method: 'POST', url, options: {} },
	};
}

/** For `n8n execute-batch`: Manual Trigger, the items, the contender (if any). */
export function cliWorkflow(
	id: string,
	contender: Contender,
	items: number,
	simulatorUrl: string,
): Workflow {
	return chain(id, [
		manualTrigger,
		...itemNodes(items),
		...(contender === 'none' ? [] : [sendNode(contender, simulatorUrl)]),
	]);
}

/**
 * For `n8n start`: a production execution started by `POST /webhook/<path>` (answered at once),
 * the items, the contender, and the checkpoint.
 */
export function memoryWorkflow(options: {
	id: string;
	path: string;
	contender: Contender;
	items: number;
	simulatorUrl: string;
	checkpointUrl: string;
}): Workflow {
	const { id, path, contender, items, simulatorUrl, checkpointUrl } = options;
	return chain(id, [
		webhookTrigger(path, 'onReceived'),
		...itemNodes(items),
		...(contender === 'none' ? [] : [sendNode(contender, simulatorUrl)]),
		checkpointNode(checkpointUrl),
	]);
}

/**
 * For a CPU profile of the sender alone: the items go first to "Profile start" (the topmost
 * branch, so n8n runs it first), then to the sender and "Profile stop". The bench profiles n8n
 * between the two checkpoints.
 */
export function profileWorkflow(options: {
	id: string;
	path: string;
	contender: Exclude<Contender, 'none'>;
	items: number;
	simulatorUrl: string;
	startUrl: string;
	stopUrl: string;
}): Workflow {
	const { id, path, contender, items, simulatorUrl } = options;
	const workflow = chain(id, [
		webhookTrigger(path, 'onReceived'),
		...itemNodes(items),
		sendNode(contender, simulatorUrl),
		{ ...checkpointNode(options.stopUrl), name: 'Profile stop' },
	]);
	const start = { ...checkpointNode(options.startUrl), name: 'Profile start' };
	workflow.nodes.push({ id: `${id}-start`, position: [660, -200], ...start });
	workflow.connections.Items.main[0].unshift({ node: start.name, type: 'main', index: 0 });
	return workflow;
}

// The login flows a visitor drives: POST <prefix>/send-code {email}, then POST <prefix>/login
// {email, code}. Three builds of it: our node, HTTP Request nodes, and a floor that only answers
// (no call to Piggy) to show what n8n's webhook handling costs by itself. Our node's flow is the
// login examples' without their limits (Data Table queries, not the node), built like the HTTP
// Request flow.

export type LoginFlow = 'floor' | 'piggyNode' | 'httpRequestNode';

export const LOGIN_PATHS: Record<LoginFlow, string> = {
	floor: 'bench-floor',
	piggyNode: 'bench-piggy',
	httpRequestNode: 'bench-http',
};

function respond(name: string, body: string, responseCode?: number): Node {
	return {
		name,
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.1,
		parameters: {
			respondWith: 'json',
			responseBody: body,
			options: responseCode ? { responseCode } : {},
		},
	};
}

function httpCall(name: string, method: 'POST' | 'GET', url: string, body?: string[][]): Node {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		onError: 'continueErrorOutput',
		parameters: {
			method,
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			...(body && {
				sendBody: true,
				bodyParameters: { parameters: body.map(([name, value]) => ({ name, value })) },
			}),
			options: {},
		},
		credentials: { httpHeaderAuth: HEADER_AUTH_CREDENTIAL },
	};
}

/** Wires `refused` to the error output (index 1) of every node named in `from`. */
function withErrorBranch(workflow: Workflow, from: string[], refused: Node): Workflow {
	workflow.nodes.push({ id: `${workflow.id}-refused`, position: [440, 200], ...refused });
	for (const name of from) {
		workflow.connections[name].main[1] = [{ node: refused.name, type: 'main', index: 0 }];
	}
	return workflow;
}

/** The send and login workflows of one flow. */
export function loginWorkflows(flow: LoginFlow, simulatorUrl: string): Workflow[] {
	const prefix = LOGIN_PATHS[flow];
	if (flow === 'piggyNode') {
		const send = sendNode('piggyNode', simulatorUrl);
		const piggy = (name: string, parameters: object): Node => ({
			name,
			type: 'n8n-nodes-piggy.piggyContactVerification',
			typeVersion: 1,
			onError: 'continueErrorOutput',
			parameters,
			credentials: { piggyApi: PIGGY_CREDENTIAL },
		});
		const nodeLogin = chain('benchNodeLogin01', [
			webhookTrigger(`${prefix}/login`, 'responseNode'),
			piggy('Verify', {
				operation: 'verifyLoginCode',
				email: '={{ $json.body.email }}',
				code: '={{ $json.body.code }}',
			}),
			piggy('Token', { operation: 'getAuthToken', contactUuid: '={{ $json.uuid }}' }),
			respond('Logged in', '={{ { "uuid": $json.contact_uuid, "auth_token": $json.auth_token } }}'),
		]);
		const nodeSend = chain('benchNodeSend001', [
			webhookTrigger(`${prefix}/send-code`, 'responseNode'),
			{
				...send,
				onError: 'continueErrorOutput',
				parameters: { ...(send.parameters as object), email: '={{ $json.body.email }}' },
			},
			respond('Code sent', `={{ { "sent": true, "email": $('Webhook').item.json.body.email } }}`),
		]);
		return [
			withErrorBranch(nodeSend, ['Send'], respond('Refused', '={{ { "error": "refused" } }}', 422)),
			withErrorBranch(
				nodeLogin,
				['Verify', 'Token'],
				respond('Refused', '={{ { "error": "refused" } }}', 401),
			),
		];
	}
	if (flow === 'floor') {
		return [
			chain('benchFloorSend01', [
				webhookTrigger(`${prefix}/send-code`, 'responseNode'),
				respond('Code sent', '={{ { "sent": true, "email": $json.body.email } }}'),
			]),
			chain('benchFloorLogin1', [
				webhookTrigger(`${prefix}/login`, 'responseNode'),
				respond('Logged in', '={{ { "uuid": $json.body.email, "auth_token": $json.body.code } }}'),
			]),
		];
	}
	const send = chain('benchHttpSend001', [
		webhookTrigger(`${prefix}/send-code`, 'responseNode'),
		httpCall('Send', 'POST', `${simulatorUrl}${SEND_PATH}`, [['email', '={{ $json.body.email }}']]),
		respond('Code sent', `={{ { "sent": true, "email": $('Webhook').item.json.body.email } }}`),
	]);
	const login = chain('benchHttpLogin01', [
		webhookTrigger(`${prefix}/login`, 'responseNode'),
		httpCall('Verify', 'POST', `${simulatorUrl}${VERIFY_PATH}`, [
			['email', '={{ $json.body.email }}'],
			['code', '={{ $json.body.code }}'],
		]),
		httpCall(
			'Token',
			'GET',
			`=${simulatorUrl}${AUTH_TOKEN_PATH}/{{ encodeURIComponent($json.data.uuid) }}`,
		),
		respond(
			'Logged in',
			`={{ { "uuid": $('Verify').item.json.data.uuid, "auth_token": $json.data.auth_token } }}`,
		),
	]);
	const refused = (code: number) => respond('Refused', '={{ { "error": "refused" } }}', code);
	return [
		withErrorBranch(send, ['Send'], refused(422)),
		withErrorBranch(login, ['Verify', 'Token'], refused(401)),
	];
}
