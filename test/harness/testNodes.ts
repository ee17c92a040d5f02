import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IRequestOptions,
	NodeApiError,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * Stands in for the webhook or form trigger a builder would use: it emits the items in its
 * `items` parameter (a JSON array), each paired to the run's single start item.
 */
export class TestInput implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Input',
		name: 'test.input',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Test Input' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as object[];
		return [
			items.map((json) => ({ json: json as INodeExecutionData['json'], pairedItem: { item: 0 } })),
		];
	}
}

/** Where a branch ends, like a Respond to Webhook node: passes its items on unchanged. */
export class TestSink implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Sink',
		name: 'test.sink',
		group: ['output'],
		version: 1,
		description: 'Receives items',
		defaults: { name: 'Test Sink' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * Calls an address with the Piggy API credential the way other nodes do. `shape` "uri" builds the
 * request library's options as an HTTP Request node (version 4.5, Authentication: Predefined
 * Credential Type, default options) does and calls `requestWithAuthentication`; "url" builds n8n's
 * own options, as a node's transport does, and calls `httpRequestWithAuthentication`. Each item's
 * answer (status, body) or, with "continue" on, its error (message, description) is its output.
 */
export class TestCredentialCaller implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Credential Caller',
		name: 'test.credentialCaller',
		group: ['transform'],
		version: 1,
		description: 'Calls a URL with the Piggy API credential',
		defaults: { name: 'HTTP Request' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'piggyApi', required: true }],
		properties: [
			{ displayName: 'Shape', name: 'shape', type: 'string', default: 'uri' },
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Headers', name: 'headers', type: 'json', default: '{}' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const parameter = (name: string) => this.getNodeParameter(name, itemIndex) as string;
			const [method, url] = [parameter('method') as IHttpRequestMethods, parameter('url')];
			const headers = JSON.parse(parameter('headers')) as IDataObject;
			try {
				const response = (
					parameter('shape') === 'uri'
						? await this.helpers.requestWithAuthentication.call(
								this,
								'piggyApi',
								{
									headers,
									method,
									uri: url,
									gzip: true,
									rejectUnauthorized: true,
									followRedirect: true,
									followAllRedirects: true,
									maxRedirects: undefined,
									resolveWithFullResponse: true,
									sendCredentialsOnCrossOriginRedirect: false,
									timeout: 300_000,
									json: true,
								} as IRequestOptions,
								undefined,
								itemIndex,
							)
						: await this.helpers.httpRequestWithAuthentication.call(this, 'piggyApi', {
								headers,
								method,
								url,
								json: true,
								returnFullResponse: true,
							})
				) as { statusCode: number; body: IDataObject };
				output.push({
					json: { statusCode: response.statusCode, body: response.body },
					pairedItem: { item: itemIndex },
				});
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				const { message, description } = error as NodeApiError;
				output.push({ json: { error: { message, description } }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}
