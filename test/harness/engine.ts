import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { ErrorReporter, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { PiggyApi } from '../../credentials/PiggyApi.credentials';
import type { OperationName } from '../../nodes/PiggyContactVerification/actions';
import { PiggyContactVerification } from '../../nodes/PiggyContactVerification/PiggyContactVerification.node';
import { TestEngineAgent, TestToolAgent, toolVariant } from './agentNodes';
import { TestCredentialsHelper } from './credentialsHelper';
import { TestCredentialCaller, TestInput, TestSink } from './testNodes';

/*
 * Fixture conventions. Each operation's workflow is `test/engine/operations/<operation>/workflow.json`,
 * shaped like a builder's login workflow:
 *
 *   "Form Submission" (test.input) -> "Piggy" (our node) -> output 0 -> "Succeeded" (test.sink)
 *                                                         -> output 1 -> "Failed" (test.sink)
 *
 * - The start node is the one `test.input` node: it emits the items in its `items` parameter (a
 *   JSON array); `RunOptions.items` replaces them.
 * - The node under test is the one node of type `n8n-nodes-piggy.piggyContactVerification`, with
 *   "On Error: Continue (using error output)" and a `piggyApi` credential; `RunOptions.onError`
 *   and `RunOptions.parameters` change it. Its parameters map the item's fields with expressions,
 *   e.g. `"email": "={{ $json.email }}"`.
 * - Tests read outputs by node name ("Piggy", "Succeeded", "Failed"), as a builder reads a run.
 * - The credential is TEST_CREDENTIALS (or `RunOptions.credentials`), applied by the credential's
 *   own `authenticate`, as n8n applies it; HTTP goes to nock (see `test/setup/no-network.ts`).
 */

// The first node context n8n-core makes starts its SSH-tunnel manager, whose cleanup timer n8n-core
// 1.x does not unref: stop it as n8n does on shutdown, so Jest exits by itself on both engines.
afterAll(() => {
	const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager') as {
		SSHClientsManager: new () => { onShutdown(): void };
	};
	Container.get(SSHClientsManager).onShutdown();
});

/** The type name n8n gives our node once the package is installed from the Community Nodes screen. */
export const PIGGY_NODE_TYPE = 'n8n-nodes-piggy.piggyContactVerification';
/** Its variant under an AI Agent, which n8n makes from `usableAsTool`. */
export const PIGGY_TOOL_TYPE = `${PIGGY_NODE_TYPE}Tool`;
const START_NODE_TYPE = 'test.input';

export const TEST_CREDENTIALS = {
	apiKey: 'pat-test-7f3c9a1e-secret',
	baseUrl: 'https://api.piggy.eu',
} as const;

/**
 * The node types a run can use. Our node is wrapped to record its `execute` calls: on a stopped
 * run, n8n finishes the run at once while the node may still be working.
 */
function nodeTypesFor(piggyExecutions: Array<Promise<unknown>>): INodeTypes {
	const piggy = new PiggyContactVerification();
	const recorded: INodeType = {
		description: piggy.description,
		async execute(this: IExecuteFunctions) {
			const execution = piggy.execute.call(this);
			piggyExecutions.push(execution);
			return await execution;
		},
	};
	const byName: Record<string, INodeType> = {
		[PIGGY_NODE_TYPE]: recorded,
		[PIGGY_TOOL_TYPE]: toolVariant(recorded),
		[START_NODE_TYPE]: new TestInput(),
		'test.sink': new TestSink(),
		'test.credentialCaller': new TestCredentialCaller(),
		'test.toolAgent': new TestToolAgent(),
		'test.engineAgent': new TestEngineAgent(),
	};
	return {
		getByName(type) {
			const nodeType = byName[type];
			if (!nodeType) throw new Error(`Unknown node type ${type}`);
			return nodeType;
		},
		getByNameAndVersion(type) {
			return this.getByName(type) as INodeType;
		},
		getKnownTypes: () => ({}),
	};
}

export type WorkflowFixture = IWorkflowBase;

/** The fixture workflow of one operation (see the conventions above). */
export function loadWorkflow(operation: OperationName): WorkflowFixture {
	const file = join(__dirname, '..', 'engine', 'operations', operation, 'workflow.json');
	return JSON.parse(readFileSync(file, 'utf8')) as WorkflowFixture;
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	/** Items the start node emits, replacing the fixture's. */
	items?: IDataObject[];
	/** The Piggy node's "On Error" setting. */
	onError?: OnError;
	/** Parameters merged over the Piggy node's. */
	parameters?: IDataObject;
	credentials?: ICredentialDataDecryptedObject;
	/** Cancels the execution (as the editor's Stop button does) when this settles. */
	cancelWhen?: Promise<unknown>;
}

export interface WorkflowRun {
	run: IRun;
	/** What n8n handed its error reporter (which logs each error and its causes). */
	reportedErrors: unknown[];
	/** How many times the credential was read from n8n. */
	credentialReads: number;
	/** Items a node sent on one output in its first run, with pairedItem kept. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** Resolves once every `execute` of the Piggy node has ended, also after a stopped run. */
	piggySettled(): Promise<void>;
	/** Whether the node ran at all. */
	ran(nodeName: string): boolean;
}

/**
 * What an error item carries under `json.error` (the README's "Errors" section). Typed loosely on
 * purpose: tests compare it whole, so a field the node adds or drops still fails them.
 */
export interface ErrorItemError extends IDataObject {
	message: string;
	description: string | null;
	reason: string;
}

/** The `error` of an item on the Piggy node's error output. */
export const errorOf = (item: INodeExecutionData) => item.json.error as ErrorItemError;

/** What n8n hands a node run besides the workflow: here, the test credential and run hooks. */
export function testAdditionalData(
	credentialsHelper: TestCredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper,
		executionId: 'test-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: '',
		formWaitingBaseUrl: '',
		formTestBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		mcpBaseUrl: '',
		mcpTestBaseUrl: '',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** The one node of `type` in the fixture. */
function onlyNode(nodes: INode[], type: string): INode {
	const found = nodes.filter((node) => node.type === type);
	if (found.length !== 1) throw new Error(`The fixture needs exactly one node of type ${type}`);
	return found[0];
}

function prepare(fixture: WorkflowFixture, options: RunOptions): WorkflowFixture {
	const copy = structuredClone(fixture);
	const start = onlyNode(copy.nodes, START_NODE_TYPE);
	if (options.items) start.parameters.items = JSON.stringify(options.items);
	const piggy = onlyNode(copy.nodes, PIGGY_NODE_TYPE);
	if (options.onError) piggy.onError = options.onError;
	if (options.parameters) Object.assign(piggy.parameters, options.parameters);
	return copy;
}

/**
 * Runs workflow JSON through n8n-core's real WorkflowExecute, as n8n does for a manual run: real
 * Workflow, real node description (outputs, error output, parameters), real request helpers,
 * with our credential's `authenticate` applied. HTTP goes to nock.
 */
export async function runWorkflow(
	fixture: WorkflowFixture,
	options: RunOptions = {},
): Promise<WorkflowRun> {
	return await runWorkflowAsIs(prepare(fixture, options), options);
}

/** Runs the workflow as it is: for workflows that are not shaped like the fixtures above. */
export async function runWorkflowAsIs(
	workflowData: WorkflowFixture,
	options: Pick<RunOptions, 'credentials' | 'cancelWhen'> = {},
): Promise<WorkflowRun> {
	const piggyExecutions: Array<Promise<unknown>> = [];
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		settings: { executionOrder: 'v1', ...(workflowData.settings as IWorkflowSettings) },
		active: false,
		nodeTypes: nodeTypesFor(piggyExecutions),
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowData);
	let resolveFinished: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveFinished(fullRunData));

	const credentialsHelper = new TestCredentialsHelper(
		new PiggyApi(),
		options.credentials ?? { ...TEST_CREDENTIALS },
	);
	const additionalData = testAdditionalData(credentialsHelper, hooks);

	const startNode = workflow.getNode(onlyNode(workflowData.nodes, START_NODE_TYPE).name)!;
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;

	// n8n logs every node error it reports, with its cause chain: capture that instead of printing,
	// so tests can inspect what would reach the logs.
	const reportedErrors: unknown[] = [];
	const capturingReporter = {
		error: (error: unknown) => reportedErrors.push(error),
		warn: (error: unknown) => reportedErrors.push(error),
		info: (message: unknown) => reportedErrors.push(message),
	};
	Container.set(ErrorReporter, capturingReporter as unknown as ErrorReporter);

	const execution = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	void options.cancelWhen?.then(() => execution.cancel());
	await execution;
	const run = await finished;
	const runData = run.data.resultData.runData;

	return {
		run,
		reportedErrors,
		credentialReads: credentialsHelper.reads,
		piggySettled: async () => void (await Promise.allSettled(piggyExecutions)),
		ran: (nodeName) => runData[nodeName] !== undefined,
		output(nodeName, outputIndex = 0) {
			const taskData = runData[nodeName]?.[0];
			if (!taskData) throw new Error(`Node "${nodeName}" did not run`);
			return taskData.data?.main?.[outputIndex] ?? [];
		},
	};
}
