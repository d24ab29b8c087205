import type { Unit } from './plan.schema.ts';

/**
 * A poll's answers counted, shown and turned into figures (issue 18), zod-free so the browser can use it.
 * One definition of what a question measures: a scale 1–5 gives the share agreeing (4–5) as a percentage
 * or its mean score, yes/no the share answering yes, a one-choice question the share choosing its option.
 * Every figure is hidden, and no measurement is made, for fewer respondents than the programme's minimum
 * group size (small-groups.ts).
 */

export type QuestionKind = 'scale' | 'yesno' | 'choice';
export type PollMeasure = 'agree' | 'mean' | 'yes' | 'option';

export interface PollOption {
	key: string;
	name: string;
}

/** A question as a poll asks it: a snapshot of its template's question with its options resolved. */
export interface PollQuestion {
	key: string;
	kind: QuestionKind;
	text: string;
	options: PollOption[];
	/** the indicator its answers feed, and how */
	indicator?: string;
	measure?: PollMeasure;
	/** with `measure: 'option'`: the option whose share is measured */
	option?: string;
	/** a one-choice question on a dimension's values: the poll's measurements are split by it */
	dimension?: string;
}

/** One respondent's answers: question key → the chosen option's key; a skipped question is absent. */
export type PollAnswers = Record<string, string>;

/** Scale answers, in words a 10-year-old understands (B1); 4 and 5 count as agreeing. */
export const SCALE_OPTIONS: readonly PollOption[] = [
	{ key: '1', name: 'Helemaal niet' },
	{ key: '2', name: 'Niet zo' },
	{ key: '3', name: 'Een beetje' },
	{ key: '4', name: 'Best wel' },
	{ key: '5', name: 'Heel erg' }
];
export const YESNO_OPTIONS: readonly PollOption[] = [
	{ key: 'ja', name: 'Ja' },
	{ key: 'nee', name: 'Nee' }
];
const AGREE = new Set(['4', '5']);

/** What a question of this kind measures for an indicator of this unit; null when it cannot feed it. */
export function measureOf(kind: QuestionKind, unit: Unit): PollMeasure | null {
	if (kind === 'scale') return unit === 'percent' ? 'agree' : unit === 'score' ? 'mean' : null;
	if (unit !== 'percent') return null;
	return kind === 'yesno' ? 'yes' : 'option';
}

/** The counts per option of one question, and how many answered it. */
export interface QuestionTally {
	key: string;
	n: number;
	counts: Record<string, number>;
}
export interface PollTally {
	respondents: number;
	questions: QuestionTally[];
}

/** Counts the answers per question and option (unknown keys are not counted). */
export function tally(questions: readonly PollQuestion[], responses: readonly PollAnswers[]): PollTally {
	return {
		respondents: responses.length,
		questions: questions.map((q) => {
			const counts: Record<string, number> = Object.fromEntries(q.options.map((o) => [o.key, 0]));
			let n = 0;
			for (const r of responses) {
				const answer = r[q.key];
				if (answer !== undefined && answer in counts) {
					counts[answer]++;
					n++;
				}
			}
			return { key: q.key, n, counts };
		})
	};
}

export interface ResultBar {
	key: string;
	name: string;
	count: number;
	/** share of those who answered the question, whole percent */
	percent: number;
}
export interface QuestionResult {
	key: string;
	text: string;
	n: number;
	/** null: fewer answered this question than the minimum group size */
	bars: ResultBar[] | null;
}
/**
 * What the group may see: nothing until at least `minGroupSize` have answered (`missing` says how many
 * more), then a bar per answer for every question answered by at least that many.
 */
export type GroupResult =
	| { shown: false; respondents: number; missing: number }
	| { shown: true; respondents: number; questions: QuestionResult[] };

export function groupResult(questions: readonly PollQuestion[], t: PollTally, minGroupSize: number): GroupResult {
	if (t.respondents < minGroupSize)
		return { shown: false, respondents: t.respondents, missing: minGroupSize - t.respondents };
	return {
		shown: true,
		respondents: t.respondents,
		questions: questions.map((q) => {
			const counted = t.questions.find((x) => x.key === q.key);
			const n = counted?.n ?? 0;
			return {
				key: q.key,
				text: q.text,
				n,
				bars:
					n < minGroupSize
						? null
						: q.options.map((o) => {
								const count = counted?.counts[o.key] ?? 0;
								return { key: o.key, name: o.name, count, percent: Math.round((count / n) * 100) };
							})
			};
		})
	};
}

/** A figure from the answers of one group: its value and how many it describes. */
function figure(q: PollQuestion, answers: readonly string[]): { value: number; n: number } {
	const n = answers.length;
	const share = (hit: (a: string) => boolean) => Math.round((answers.filter(hit).length / n) * 1000) / 10;
	switch (q.measure) {
		case 'agree':
			return { value: share((a) => AGREE.has(a)), n };
		case 'yes':
			return { value: share((a) => a === 'ja'), n };
		case 'option':
			return { value: share((a) => a === q.option), n };
		default:
			return { value: Math.round((answers.reduce((sum, a) => sum + Number(a), 0) / n) * 100) / 100, n };
	}
}

export interface PollFigure {
	question: string;
	indicator: string;
	value: number;
	n: number;
	/** per category of each dimension question the indicator is split by, with its n (suppressed when shown) */
	categories: { dimension: string; category: string; value: number; n: number }[];
}
export interface SkippedQuestion {
	question: string;
	indicator: string;
	reason: string;
}

/**
 * The figures closing a poll makes: one per question that feeds an indicator, over those who answered it,
 * split by every dimension question of the poll that the indicator is split by (categories nobody chose are
 * left out). A question answered by fewer than `minGroupSize` makes none: it is listed as skipped.
 */
export function pollFigures(
	questions: readonly PollQuestion[],
	responses: readonly PollAnswers[],
	minGroupSize: number,
	splitBy: (indicator: string) => readonly string[]
): { figures: PollFigure[]; skipped: SkippedQuestion[] } {
	const figures: PollFigure[] = [];
	const skipped: SkippedQuestion[] = [];
	const splitters = questions.filter((q) => q.dimension);
	for (const q of questions) {
		if (!q.indicator || !q.measure) continue;
		const answered = responses.filter((r) => r[q.key] !== undefined && q.options.some((o) => o.key === r[q.key]));
		if (answered.length < minGroupSize) {
			skipped.push({
				question: q.key,
				indicator: q.indicator,
				reason: `${answered.length} ${answered.length === 1 ? 'antwoord' : 'antwoorden'}, minder dan de kleinste groep (${minGroupSize})`
			});
			continue;
		}
		const dims = splitBy(q.indicator);
		const categories = splitters
			.filter((s) => dims.includes(s.dimension!))
			.flatMap((s) =>
				s.options.flatMap((o) => {
					const group = answered.filter((r) => r[s.key] === o.key).map((r) => r[q.key]);
					return group.length ? [{ dimension: s.dimension!, category: o.key, ...figure(q, group) }] : [];
				})
			);
		figures.push({
			question: q.key,
			indicator: q.indicator,
			...figure(
				q,
				answered.map((r) => r[q.key])
			),
			categories
		});
	}
	return { figures, skipped };
}
