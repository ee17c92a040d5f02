import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_BATCH_SIZE = 10;

/** The node's "Options" collection, shared by all operations. */
export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Batching',
			name: 'batching',
			placeholder: 'Add Batching',
			type: 'fixedCollection',
			typeOptions: { multipleValues: false },
			default: { batch: {} },
			options: [
				{
					displayName: 'Batching',
					name: 'batch',
					values: [
						{
							displayName: 'Items per Batch',
							name: 'batchSize',
							type: 'number',
							typeOptions: { minValue: 1 },
							default: DEFAULT_BATCH_SIZE,
							description:
								'How many items to send to Piggy at the same time. Without this option the node sends one item at a time.',
						},
						{
							displayName: 'Batch Interval (Ms)',
							name: 'batchInterval',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 0,
							description:
								'How long to wait between batches, in milliseconds, to stay under Piggy’s rate limits',
						},
					],
				},
			],
		},
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

/** Options → Batching; one item at a time when the option is not set. */
export function readBatching(ctx: IExecuteFunctions): { batchSize: number; batchInterval: number } {
	const batch = ctx.getNodeParameter('options.batching.batch', 0, {}) as {
		batchSize?: number;
		batchInterval?: number;
	};
	const batchSize = Math.floor(Number(batch.batchSize ?? 1));
	const batchInterval = Number(batch.batchInterval ?? 0);
	return {
		batchSize: Number.isFinite(batchSize) && batchSize >= 1 ? batchSize : 1,
		batchInterval: Number.isFinite(batchInterval) && batchInterval > 0 ? batchInterval : 0,
	};
}
