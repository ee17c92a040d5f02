import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** The node's "Options" collection, shared by all operations. */
export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Include Auth Token',
			name: 'includeAuthToken',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/operation': ['verifyLoginCode'] } },
			description:
				'Whether to also fetch the verified Contact’s auth token (for logging them into the Contacts Portal) in the same step, saving a Get Auth Token node',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_TIMEOUT_MS,
			description:
				'How long to wait for Piggy to answer each request, in milliseconds, before the item fails with a timeout',
		},
	],
};

export function readTimeoutMs(ctx: IExecuteFunctions, itemIndex: number): number {
	const timeout = Number(ctx.getNodeParameter('options.timeout', itemIndex, DEFAULT_TIMEOUT_MS));
	return Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS;
}
