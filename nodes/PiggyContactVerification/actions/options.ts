import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

const DEFAULT_TIMEOUT_MS = 30_000;

/** Filled in when the builder adds Options → Batching; without the option, one item at a time. */
const SUGGESTED_BATCH_SIZE = 10;
const ONE_AT_A_TIME: Batching = { batchSize: 1, batchInterval: 0 };

// Ceilings, in the editor and in code (an expression can give any number): a request may take
// 5 minutes, batches may be 10 minutes apart, and 50 requests at once is plenty for Piggy.
const MAX_TIMEOUT_MS = 300_000;
const MAX_BATCH_INTERVAL_MS = 600_000;
const MAX_BATCH_SIZE = 50;

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
						typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
						default: SUGGESTED_BATCH_SIZE,
						description:
							'How many items to send to Piggy at the same time. Without this option the node sends one item at a time.',
					},
					{
						displayName: 'Batch Interval (Ms)',
						name: 'batchInterval',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_BATCH_INTERVAL_MS },
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
		typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_MS },
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

/** `value` as a number, at most `max`; `fallback` when it is not a positive number. */
function bounded(value: unknown, fallback: number, max: number): number {
	const number = Number(value);
	return Number.isFinite(number) && number > 0 ? Math.min(number, max) : fallback;
}

/** Options → Timeout for one item, in milliseconds. */
export function readTimeoutMs(this: IExecuteFunctions, itemIndex: number): number {
	const timeout = this.getNodeParameter('options.timeout', itemIndex, DEFAULT_TIMEOUT_MS);
	return bounded(timeout, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS);
}

/** Options → Batching, read once per run. */
export function readBatching(this: IExecuteFunctions): Batching {
	const batch = this.getNodeParameter('options.batching.batch', 0, {}) as Partial<Batching>;
	return {
		batchSize: bounded(
			Math.floor(Number(batch.batchSize)),
			ONE_AT_A_TIME.batchSize,
			MAX_BATCH_SIZE,
		),
		batchInterval: bounded(batch.batchInterval, ONE_AT_A_TIME.batchInterval, MAX_BATCH_INTERVAL_MS),
	};
}
