import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

const DEFAULT_TIMEOUT_MS = 30_000;

/** Filled in when the builder adds Options → Batching; without the option, one item at a time. */
const SUGGESTED_BATCH_SIZE = 10;
const ONE_AT_A_TIME: Batching = { batchSize: 1, batchInterval: 0 };

export interface Batching {
	batchSize: number;
	/** Milliseconds between batches. */
	batchInterval: number;
}

/** Options every operation has. */
const sharedOptions: INodeProperties[] = [
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
						default: SUGGESTED_BATCH_SIZE,
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
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_TIMEOUT_MS,
		description:
			'How long to wait for Piggy to answer each request, in milliseconds, before the item fails with a timeout',
	},
];

/** The node's "Options" collection: the shared options plus the operations' own, by name. */
export function optionsProperty(operationOptions: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...sharedOptions, ...operationOptions].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

/** Options → Timeout for one item, in milliseconds. */
export function readTimeoutMs(this: IExecuteFunctions, itemIndex: number): number {
	const timeout = Number(this.getNodeParameter('options.timeout', itemIndex, DEFAULT_TIMEOUT_MS));
	return Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS;
}

/** Options → Batching, read once per run. */
export function readBatching(this: IExecuteFunctions): Batching {
	const batch = this.getNodeParameter('options.batching.batch', 0, {}) as Partial<Batching>;
	const batchSize = Math.floor(Number(batch.batchSize ?? ONE_AT_A_TIME.batchSize));
	const batchInterval = Number(batch.batchInterval ?? ONE_AT_A_TIME.batchInterval);
	return {
		batchSize: Number.isFinite(batchSize) && batchSize >= 1 ? batchSize : ONE_AT_A_TIME.batchSize,
		batchInterval:
			Number.isFinite(batchInterval) && batchInterval > 0
				? batchInterval
				: ONE_AT_A_TIME.batchInterval,
	};
}
