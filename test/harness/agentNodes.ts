import type {
	EngineResponse,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * The node's tool variant, made the way n8n makes one for a node with `usableAsTool` when it loads
 * a package (n8n's cli, `convertNodeToAiTool`): type name + "Tool", no inputs, one AI tool
 * output, and the Tool Description parameters. Its `execute` is the node's own.
 */
export function toolVariant(nodeType: INodeType): INodeType {
	const source = nodeType.description;
	const descriptionType: INodeProperties = {
		displayName: 'Tool Description',
		name: 'descriptionType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Set Automatically', value: 'auto' },
			{ name: 'Set Manually', value: 'manual' },
		],
		default: 'auto',
	};
	const toolDescription: INodeProperties = {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		default: source.description,
		displayOptions: { show: { descriptionType: ['manual'] } },
	};
	const description: INodeTypeDescription = {
		...structuredClone({ ...source, usableAsTool: undefined }),
		name: `${source.name}Tool`,
		displayName: `${source.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
	};
	description.properties = [descriptionType, toolDescription, ...description.properties];
	return { description, execute: nodeType.execute };
}

/** One call the test agent makes: the tool's node name and the arguments a model would give. */
export interface ToolCall {
	node: string;
	args: IDataObject;
}

/** What a model would have been told of one call. */
export interface ToolObservation {
	node: string;
	/** The text n8n hands the model as the tool's result. */
	observation: string;
}

/** A tool as the model is offered it. */
export interface OfferedTool {
	name: string;
	description: string;
	/** The tool's arguments and their descriptions, from the parameters written with $fromAI. */
	arguments: Record<string, string | undefined>;
}

interface ZodLike {
	shape: Record<string, { description?: string }>;
}
interface ToolLike {
	name: string;
	description: string;
	schema: ZodLike;
	invoke(args: IDataObject): Promise<unknown>;
}

const offered = (tools: ToolLike[]): OfferedTool[] =>
	tools.map(({ name, description, schema }) => ({
		name,
		description,
		arguments: Object.fromEntries(
			Object.entries(schema.shape).map(([key, value]) => [key, value.description]),
		),
	}));

const agentDescription = (name: string, displayName: string): INodeTypeDescription => ({
	displayName,
	name,
	group: ['transform'],
	version: 1,
	description: 'Stands in for an AI Agent',
	defaults: { name: displayName },
	inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, required: true }],
	outputs: [NodeConnectionTypes.Main],
	properties: [{ displayName: 'Calls', name: 'calls', type: 'json', default: '[]' }],
});

async function connectedTools(context: IExecuteFunctions): Promise<ToolLike[]> {
	const tools = await context.getInputConnectionData(NodeConnectionTypes.AiTool, 0);
	return (Array.isArray(tools) ? tools : [tools]) as ToolLike[];
}

const readCalls = (context: IExecuteFunctions) =>
	JSON.parse(context.getNodeParameter('calls', 0) as string) as ToolCall[];

/**
 * An AI Agent without a model, the way n8n 1.x agents and every sub-agent call tools: it reads the
 * tools n8n-core makes of the connected nodes (`getInputConnectionData`), makes the calls in its
 * Calls parameter through them, and answers one item with the tools offered and, per call, the
 * text the tool returned or its error's message (what the agent hands the model).
 */
export class TestToolAgent implements INodeType {
	description = agentDescription('test.toolAgent', 'Tool Agent');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const tools = await connectedTools(this);
		const observations: ToolObservation[] = [];
		for (const { node, args } of readCalls(this)) {
			// n8n names a tool after its node, with "_" for what a tool name cannot hold.
			const tool = tools.find((candidate) => candidate.name === node.replace(/[^\w-]/g, '_'));
			if (!tool) throw new Error(`No tool for node ${node}`);
			let observation: string;
			try {
				observation = String(await tool.invoke(args));
			} catch (error) {
				observation = (error as Error).message;
			}
			observations.push({ node, observation });
		}
		return [[{ json: { tools: offered(tools), observations } as unknown as IDataObject }]];
	}
}

/**
 * An AI Agent without a model, the way n8n 2.x's AI Agent calls tools: it asks the engine to run
 * the tool nodes (an engine request), and on being resumed with their results answers, per call,
 * the text the agent would hand the model: the tool's output items as JSON, or for a tool that
 * failed, its error's message (n8n's langchain package, `buildSteps`).
 */
export class TestEngineAgent implements INodeType {
	description = agentDescription('test.engineAgent', 'Engine Agent');

	async execute(this: IExecuteFunctions, response?: EngineResponse) {
		const calls = readCalls(this);
		// n8n hands every run a response; the first one has no results yet.
		if (!response?.actionResponses.length) {
			return {
				actions: calls.map(({ node, args }, index) => ({
					actionType: 'ExecutionNodeAction' as const,
					nodeName: node,
					input: args,
					type: NodeConnectionTypes.AiTool,
					id: `call_${index}`,
					metadata: { itemIndex: 0 },
				})),
				metadata: {},
			};
		}
		const observations: ToolObservation[] = response.actionResponses.map(({ action, data }) => {
			const items = data.data?.ai_tool?.[0]?.map((item) => item?.json);
			const observation =
				items && items.length > 0
					? JSON.stringify(items)
					: JSON.stringify({ error: data.error?.message ?? 'Unknown error' });
			return { node: action.nodeName, observation };
		});
		return [[{ json: { observations } as unknown as IDataObject }]];
	}
}
