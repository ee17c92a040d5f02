/**
 * How long each step of an end-to-end suite took, printed when the suite ends: the figures the
 * README quotes come from here. A label timed twice is listed twice, in order.
 */
export class StepTimings {
	readonly steps: Array<[label: string, ms: number]> = [];

	/** Runs `step` and records its time under `label`, also when it throws. */
	readonly timed = async <T>(label: string, step: () => Promise<T>): Promise<T> => {
		const started = performance.now();
		try {
			return await step();
		} finally {
			this.record(label, performance.now() - started);
		}
	};

	record(label: string, ms: number): void {
		this.steps.push([label, Math.round(ms)]);
	}

	/** `title` and one indented "label: ms" line a step. */
	lines(title: string): string[] {
		return [title, ...this.steps.map(([label, ms]) => `  ${label}: ${ms}`)];
	}
}
