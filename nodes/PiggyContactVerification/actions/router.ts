import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import * as getAuthToken from './getAuthToken.operation';
import type { PiggyOperationName } from './operationNames';
import { readBatching } from './options';
import * as sendVerificationEmail from './sendVerificationEmail.operation';
import * as verifyLoginCode from './verifyLoginCode.operation';

interface Operation<TInput> {
	readInput(this: IExecuteFunctions, itemIndex: number): TInput;
	execute(this: IExecuteFunctions, input: TInput, itemIndex: number): Promise<IDataObject>;
}

type NodeError = NodeApiError | NodeOperationError;

const isNodeError = (value: unknown): value is NodeError =>
	value instanceof NodeApiError || value instanceof NodeOperationError;

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (isNodeError(error)) return error;
	const unexpected = new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	unexpected.context.reason = 'unexpected_error';
	return unexpected;
}

function cancelled(ctx: IExecuteFunctions, itemIndex: number): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`The execution was cancelled: items from ${itemIndex} on were not sent to Piggy`,
		{ itemIndex },
	);
}

/**
 * The item "Continue" settings send on: `json` holds only `error`, the shape that n8n 1.x and 2.x
 * both route to the error output. It repeats the error's facts so a workflow can branch on them.
 */
function errorItem(
	error: NodeError,
	operation: PiggyOperationName,
	itemIndex: number,
): INodeExecutionData {
	const { reason, piggyCode, details } = error.context;
	const httpCode = error instanceof NodeApiError && error.httpCode ? Number(error.httpCode) : null;
	return {
		json: {
			error: {
				message: error.message,
				description: error.description ?? null,
				reason: (reason as string | undefined) ?? null,
				code: (piggyCode as number | undefined) ?? null,
				httpCode,
				operation,
				...(details ? { details: details as IDataObject } : {}),
			},
		},
		pairedItem: { item: itemIndex },
	};
}

async function runForEachItem<TInput>(
	ctx: IExecuteFunctions,
	operationName: PiggyOperationName,
	operation: Operation<TInput>,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();

	// Every item's input is checked before the first request, so that without "Continue" a bad
	// item stops the run before any verification email goes out.
	const inputs = items.map((_, itemIndex): TInput | NodeError => {
		try {
			return operation.readInput.call(ctx, itemIndex);
		} catch (error) {
			const nodeError = asNodeError(ctx, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			return nodeError;
		}
	});

	const cancelSignal = ctx.getExecutionCancelSignal?.();

	/** One item's request; never rejects, so a batch always settles whole. */
	const runItem = async (itemIndex: number): Promise<INodeExecutionData | NodeError> => {
		const input = inputs[itemIndex];
		if (isNodeError(input)) return input;
		try {
			const json = await operation.execute.call(ctx, input, itemIndex);
			return { json, pairedItem: { item: itemIndex } };
		} catch (error) {
			return asNodeError(ctx, error, itemIndex);
		}
	};

	// Items go out `batchSize` at a time (one at a time unless Options → Batching says otherwise);
	// results are kept in input order whatever order the answers come back in.
	const { batchSize, batchInterval } = readBatching(ctx);
	const results: INodeExecutionData[] = [];
	for (let start = 0; start < items.length; start += batchSize) {
		if (start > 0 && batchInterval > 0) await sleep(batchInterval, cancelSignal);
		// A cancelled execution sends nothing more; n8n discards this run's output anyway.
		if (cancelSignal?.aborted) throw cancelled(ctx, start);
		const indexes = Array.from(
			{ length: Math.min(batchSize, items.length - start) },
			(_, i) => start + i,
		);
		const settled = await Promise.all(indexes.map(runItem));
		if (cancelSignal?.aborted) throw cancelled(ctx, start);
		for (const [position, outcome] of settled.entries()) {
			if (!isNodeError(outcome)) {
				results.push(outcome);
				continue;
			}
			// Throwing while "Continue" is on would send every input down the success output.
			if (!continueOnFail) throw outcome;
			results.push(errorItem(outcome, operationName, indexes[position]));
		}
	}
	return results;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as PiggyOperationName;
	switch (operation) {
		case 'sendVerificationEmail':
			return [await runForEachItem(this, operation, sendVerificationEmail)];
		case 'verifyLoginCode':
			return [await runForEachItem(this, operation, verifyLoginCode)];
		case 'getAuthToken':
			return [await runForEachItem(this, operation, getAuthToken)];
		default:
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${String(operation)}" is not supported`,
			);
	}
}
