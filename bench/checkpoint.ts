import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The bench's end of the checkpoint node: on `POST /checkpoint/<name>` it runs the measurement
 * the current run asked for, and answers only when that is done, so that n8n holds the run data
 * of every earlier node throughout.
 */
export interface CheckpointServer {
	/** The URL the checkpoint node of the run named `name` posts to. */
	urlFor(name: string): string;
	/** Settles when the checkpoint of `name` is next reached (and measured). */
	expect(name: string): Promise<void>;
	/** What to do when a checkpoint is reached; replaced before each run. */
	onCheckpoint: (name: string) => Promise<void>;
	close(): Promise<void>;
}

export async function startCheckpointServer(): Promise<CheckpointServer> {
	const expected = new Map<string, () => void>();
	const checkpoints: CheckpointServer = {
		urlFor: () => '',
		expect: (name) => new Promise<void>((resolve) => expected.set(name, resolve)),
		onCheckpoint: async () => {},
		close: async () => {},
	};
	const server: Server = createServer((request, response) => {
		const name = decodeURIComponent((request.url ?? '').replace(/^\/checkpoint\//, ''));
		request.resume();
		checkpoints
			.onCheckpoint(name)
			.then(
				() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
				(error: unknown) =>
					response
						.writeHead(500, { 'content-type': 'application/json' })
						.end(JSON.stringify({ error: String(error) })),
			)
			.finally(() => {
				expected.get(name)?.();
				expected.delete(name);
			});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	checkpoints.urlFor = (name) => `http://127.0.0.1:${port}/checkpoint/${encodeURIComponent(name)}`;
	checkpoints.close = () =>
		new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return checkpoints;
}
