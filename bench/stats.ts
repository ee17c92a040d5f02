/** Smallest, middle and largest of repeated measurements. */
export interface Spread {
	min: number;
	median: number;
	max: number;
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spread(values: number[], digits = 0): Spread {
	const round = (value: number) => Number(value.toFixed(digits));
	return {
		min: round(Math.min(...values)),
		median: round(median(values)),
		max: round(Math.max(...values)),
	};
}

/** The nearest-rank percentile `p` (0-100) of `values`. */
export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[rank - 1];
}

export const formatSpread = ({ min, median, max }: Spread, unit = '') =>
	`${median}${unit} (${min} to ${max})`;

export const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));
