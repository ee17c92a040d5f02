import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { ErrorReporter, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
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
import { PiggyContactVerification } from '../../nodes/PiggyContactVerification/PiggyContactVerification.node';
import { TestCredentialsHelper } from './credentialsHelper';
import { TestInput, TestSink } from './testNodes';

/** The type name n8n gives our node once the package is installed from the Community Nodes screen. */
export const PIGGY_NODE_TYPE = 'n8n-nodes-piggy.piggyContactVerification';

export const TEST_CREDENTIALS = {
	apiKey: 'pat-test-7f3c9a1e-secret',
	baseUrl: 'https://api.piggy.eu',
} as const;

const nodeTypesByName: Record<string, INodeType> = {
	[PIGGY_NODE_TYPE]: new PiggyContactVerification(),
	'test.input': new TestInput(),
	'test.sink': new TestSink(),
};

const nodeTypes: INodeTypes = {
	getByName(type) {
		const nodeType = nodeTypesByName[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	},
	getByNameAndVersion(type) {
		return this.getByName(type) as INodeType;
	},
	getKnownTypes: () => ({}),
};

export type WorkflowFixture = IWorkflowBase;

export function loadWorkflow(fileName: string): WorkflowFixture {
	return JSON.parse(
		readFileSync(join(__dirname, '..', 'workflows', fileName), 'utf8'),
	) as WorkflowFixture;
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
	/** Whether the node ran at all. */
	ran(nodeName: string): boolean;
}

const START_NODE = 'Form Submission';
const PIGGY_NODE = 'Piggy';

function prepare(fixture: WorkflowFixture, options: RunOptions): WorkflowFixture {
	const copy = structuredClone(fixture);
	for (const node of copy.nodes) {
		if (node.name === START_NODE && options.items) {
			node.parameters.items = JSON.stringify(options.items);
		}
		if (node.name === PIGGY_NODE) {
			if (options.onError) node.onError = options.onError;
			if (options.parameters) Object.assign(node.parameters, options.parameters);
		}
	}
	return copy;
}

/**
 * Runs workflow JSON through n8n-core's real WorkflowExecute, as n8n does for a manual run: real
 * Workflow, real node description (outputs, error output, parameters), real request helpers,
 * with our credential's authenticate block applied. HTTP goes to nock.
 */
export async function runWorkflow(
	fixture: WorkflowFixture,
	options: RunOptions = {},
): Promise<WorkflowRun> {
	const workflowData = prepare(fixture, options);
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		settings: { executionOrder: 'v1', ...(workflowData.settings as IWorkflowSettings) },
		active: false,
		nodeTypes,
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowData);
	let resolveFinished: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveFinished(fullRunData));

	const credentialsHelper = new TestCredentialsHelper(
		new PiggyApi(),
		options.credentials ?? { ...TEST_CREDENTIALS },
	);
	const additionalData = {
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

	const startNode = workflow.getNode(START_NODE);
	if (!startNode) throw new Error(`The fixture needs a start node named "${START_NODE}"`);
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
		ran: (nodeName) => runData[nodeName] !== undefined,
		output(nodeName, outputIndex = 0) {
			const taskData = runData[nodeName]?.[0];
			if (!taskData) throw new Error(`Node "${nodeName}" did not run`);
			return taskData.data?.main?.[outputIndex] ?? [];
		},
	};
}
