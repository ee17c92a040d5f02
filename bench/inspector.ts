/**
 * A minimal Chrome DevTools Protocol client for the n8n process the bench started with
 * `--inspect=127.0.0.1:0`: enough to force full garbage collections and read the live heap.
 */

interface Reply {
	id: number;
	result?: unknown;
	error?: { message: string };
}

/** Node prints this line on stderr once its inspector listens. */
const DEBUGGER_LISTENING = /Debugger listening on (ws:\/\/\S+)/;

/** The inspector's WebSocket address from what the process printed so far, if it is there. */
export function inspectorUrl(output: string): string | undefined {
	return DEBUGGER_LISTENING.exec(output)?.[1];
}

export class Inspector {
	private nextId = 1;
	private readonly pending = new Map<number, (reply: Reply) => void>();

	private constructor(private readonly socket: WebSocket) {
		socket.addEventListener('message', (event) => {
			const reply = JSON.parse(String(event.data)) as Partial<Reply>;
			if (typeof reply.id !== 'number') return; // an event, not an answer
			this.pending.get(reply.id)?.(reply as Reply);
			this.pending.delete(reply.id);
		});
	}

	static async connect(url: string): Promise<Inspector> {
		const socket = new WebSocket(url);
		await new Promise<void>((resolve, reject) => {
			socket.addEventListener('open', () => resolve(), { once: true });
			socket.addEventListener('error', () => reject(new Error(`cannot reach ${url}`)), {
				once: true,
			});
		});
		return new Inspector(socket);
	}

	async call(method: string, params: object = {}): Promise<unknown> {
		const id = this.nextId++;
		const reply = await new Promise<Reply>((resolve) => {
			this.pending.set(id, resolve);
			this.socket.send(JSON.stringify({ id, method, params }));
		});
		if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
		return reply.result;
	}

	/**
	 * The bytes of live JavaScript objects after full garbage collections. Twice, because objects
	 * with finalizers (weak references, sockets) are freed only by the collection after the one
	 * that found them dead.
	 */
	async liveHeapBytes(): Promise<number> {
		await this.call('HeapProfiler.enable');
		for (let round = 0; round < 3; round++) await this.call('HeapProfiler.collectGarbage');
		const result = (await this.call('Runtime.evaluate', {
			expression: 'process.memoryUsage().heapUsed',
			returnByValue: true,
		})) as { result: { value: number } };
		await this.call('HeapProfiler.disable');
		return result.result.value;
	}

	close(): void {
		this.socket.close();
	}
}
