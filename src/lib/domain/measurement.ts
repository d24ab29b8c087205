/** A measurement as pages and the API show it. */
export interface MeasurementView {
	id: number;
	indicator: string;
	region: string;
	date: string;
	value: number | null;
	text: string | null;
	n: number | null;
	source: string | null;
	note: string | null;
	status: MeasurementStatus;
	demo: boolean;
}

export const MEASUREMENT_STATUSES = ['submitted', 'approved', 'returned'] as const;
export type MeasurementStatus = (typeof MEASUREMENT_STATUSES)[number];

export const STATUS_LABEL: Record<MeasurementStatus, string> = {
	submitted: 'ingediend',
	approved: 'goedgekeurd',
	returned: 'teruggestuurd'
};

/** Only approved measurements count in progress, charts and funder views. */
export const counts = (m: Pick<MeasurementView, 'status'>) => m.status === 'approved';

/** The most recent counting numeric value, or null. */
export function latestValue(measurements: readonly Pick<MeasurementView, 'date' | 'value' | 'status'>[]): number | null {
	let best: { date: string; value: number } | null = null;
	for (const m of measurements)
		if (counts(m) && m.value !== null && (best === null || m.date > best.date)) best = { date: m.date, value: m.value };
	return best?.value ?? null;
}
