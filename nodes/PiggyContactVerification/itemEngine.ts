import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Operation } from './actions/operation';
import { readBatching, readTimeoutMs } from './actions/options';
import type { ModelView } from './asTool';
import { modelView, runsAsTool } from './asTool';
import type { PiggyFailure } from './failures';
import { PiggyFailureError, describeCause, failure } from './failures';
import { pause } from './wait';

// The item engine: runs one operation over the node's input items. It checks every item's input
// first, sends the items (one at a time, or in batches), keeps every item paired and in order, and
// applies n8n's "On Error" setting: a failed item becomes an error item when a Continue setting is
// on, and stops the run otherwise. Under an AI Agent, what every item says is for a model (asTool.ts).

/** One item that failed: the facts, and the thrown value when it was not a PiggyFailure. */
export interface ItemFailure {
	itemIndex: number;
	failure: PiggyFailure;
	thrown?: unknown;
}

type NodeError = NodeApiError | NodeOperationError;

const isNodeError = (value: unknown): value is NodeError =>
	value instanceof NodeApiError || value instanceof NodeOperationError;

function itemFailure(thrown: unknown, itemIndex: number): ItemFailure {
	if (thrown instanceof PiggyFailureError) return { itemIndex, failure: thrown.failure };
	// Not ours (an expression that failed, a bug): keep the original message, and its class and code.
	// Object(): whatever was thrown, even undefined, reads as an object.
	const { message, description } = Object(thrown) as { message?: unknown; description?: unknown };
	const unexpected = failure('unexpected_error', {
		...(typeof message === 'string' && message !== '' && { message }),
		description: typeof description === 'string' ? description : null,
		cause: describeCause(thrown),
	});
	return { itemIndex, failure: unexpected, thrown };
}

/** The error n8n shows when the run stops; API failures keep their HTTP status. */
export function toNodeError(
	node: INode,
	{ itemIndex, failure: failed, thrown }: ItemFailure,
): NodeError {
	const { reason, message, description, piggyCode, httpCode, details, cause } = failed;
	let error: NodeError;
	if (reason === 'unexpected_error') {
		error = isNodeError(thrown)
			? thrown
			: new NodeOperationError(node, thrown instanceof Error ? thrown : message, { itemIndex });
	} else if (reason === 'invalid_parameter') {
		error = new NodeOperationError(node, message, {
			itemIndex,
			description: description ?? undefined,
		});
	} else {
		// Our own summary as the "response": never the raw HTTP error, which holds the request.
		error = new NodeApiError(
			node,
			{ message, reason, code: piggyCode },
			{
				message,
				description: description ?? undefined,
				httpCode: httpCode === null ? undefined : String(httpCode),
				itemIndex,
			},
		);
		error.context.piggyCode = piggyCode;
	}
	error.context.reason = reason;
	if (details) error.context.details = details;
	if (cause) error.context.cause = cause;
	return error;
}

/**
 * The item "Continue" settings send on: `json` holds only `error`, the shape that n8n 1.x and 2.x
 * both route to the error output. It repeats the failure's facts so a workflow can branch on them;
 * for a model (`model` set), the message only, as n8n words a tool's thrown error.
 */
function errorItem(
	operation: string,
	{ itemIndex, failure: failed }: ItemFailure,
	model: ModelView | undefined,
): INodeExecutionData {
	const { message, description, reason, piggyCode, httpCode, details, cause } = failed;
	if (model) return { json: { error: message }, pairedItem: { item: itemIndex } };
	return {
		json: {
			error: {
				message,
				description,
				reason,
				code: piggyCode,
				httpCode,
				operation,
				...(details && { details }),
				...(cause && { cause: { ...cause } }),
			},
		},
		pairedItem: { item: itemIndex },
	};
}

function cancelled(node: INode, itemIndex: number): NodeOperationError {
	return new NodeOperationError(
		node,
		`The execution was cancelled: items from ${itemIndex} on were not sent to Piggy`,
		{ itemIndex },
	);
}

/** Runs `operation` over the input items; answers one item per input, on the success output. */
export async function runOperation(
	this: IExecuteFunctions,
	operation: Operation,
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const operationName = operation.option.value;
	const model = runsAsTool(node) ? modelView(operation) : undefined;

	// Throwing while "Continue" is on would send every input down the success output. Every failure
	// passes here, so under an AI Agent every one is put in a model's words here.
	const failed = (item: ItemFailure): ItemFailure => {
		const told = model ? model.told(item) : item;
		if (!continueOnFail) throw toNodeError(node, told);
		return told;
	};

	// Every item's input is checked before the first request, so that without "Continue" a bad
	// item stops the run before any verification email goes out.
	const inputs = items.map((_, itemIndex): { input: unknown } | ItemFailure => {
		if (model?.refusal) return failed({ itemIndex, failure: model.refusal });
		try {
			return { input: operation.readInput.call(this, itemIndex) };
		} catch (thrown) {
			return failed(itemFailure(thrown, itemIndex));
		}
	});

	/** One item's request; never rejects, so a batch always settles whole. */
	const runItem = async (itemIndex: number): Promise<INodeExecutionData | ItemFailure> => {
		const read = inputs[itemIndex];
		if (!('input' in read)) return read;
		const pairedItem = { item: itemIndex };
		try {
			const call = { itemIndex, timeoutMs: readTimeoutMs.call(this, itemIndex) };
			const json: IDataObject = await operation.execute.call(this, read.input, call);
			return { json: model ? model.answer(read.input, json) : json, pairedItem };
		} catch (thrown) {
			const item = itemFailure(thrown, itemIndex);
			if (!model) return item;
			const readAs = model.readFailure(read.input, item);
			return 'answer' in readAs ? { json: readAs.answer, pairedItem } : readAs;
		}
	};

	// Items go out `batchSize` at a time (one at a time unless Options → Batching says otherwise);
	// results are kept in input order whatever order the answers come back in.
	const { batchSize, batchInterval } = readBatching.call(this);
	const cancelSignal = this.getExecutionCancelSignal?.();
	const results: INodeExecutionData[] = [];
	for (let start = 0; start < items.length; start += batchSize) {
		if (start > 0 && batchInterval > 0) await pause(batchInterval, cancelSignal);
		// A cancelled execution sends nothing more; n8n discards this run's output anyway.
		if (cancelSignal?.aborted) throw cancelled(node, start);
		const end = Math.min(start + batchSize, items.length);
		const batch = Array.from({ length: end - start }, (_, offset) => start + offset);
		const settled = await Promise.all(batch.map(runItem));
		if (cancelSignal?.aborted) throw cancelled(node, start);
		for (const outcome of settled) {
			results.push('json' in outcome ? outcome : errorItem(operationName, failed(outcome), model));
		}
	}
	return results;
}

/**
 * Fails every input item with `failed`, before any request, under n8n's "On Error" setting as
 * `runOperation` does: error items while a Continue setting is on (a throw would send every input
 * down the success output), else the run stops at the first item.
 */
export function failEveryItem(
	this: IExecuteFunctions,
	operation: string,
	failed: PiggyFailure,
): INodeExecutionData[] {
	const items = this.getInputData();
	if (!this.continueOnFail()) throw toNodeError(this.getNode(), { itemIndex: 0, failure: failed });
	return items.map((_, itemIndex) =>
		errorItem(operation, { itemIndex, failure: failed }, undefined),
	);
}
