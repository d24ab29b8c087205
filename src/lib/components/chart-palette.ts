/** Okabe–Ito colours: distinguishable for the common forms of colour blindness. Lines also differ in dash. */
export const PALETTE = {
	measured: '#0072B2',
	baseline: '#D55E00',
	target: '#009E73',
	running: '#CC79A7',
	/** the expected path: the norm the curve is read against */
	expected: '#000000',
	/** a stale (verouderd) value's hollow mark: a warm grey, so no neutral anti-aliased text or grid pixel matches it */
	stale: '#8c8277',
	extra: ['#E69F00', '#CC79A7', '#56B4E9', '#F0E442', '#000000']
} as const;

export const prefersReducedMotion = () =>
	typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
