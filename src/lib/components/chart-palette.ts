/** Okabe–Ito colours: distinguishable for the common forms of colour blindness. Lines also differ in dash. */
export const PALETTE = {
	measured: '#0072B2',
	baseline: '#D55E00',
	target: '#009E73',
	running: '#CC79A7',
	/** a verouderd value: drawn hollow in grey, never in the measured colour */
	stale: '#8a8f98',
	extra: ['#E69F00', '#CC79A7', '#56B4E9', '#F0E442', '#000000']
} as const;

export const prefersReducedMotion = () =>
	typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
