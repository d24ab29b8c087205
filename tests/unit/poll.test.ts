import { describe, expect, it } from 'vitest';
import {
	MAX_POLL_QUESTIONS,
	OPEN_ANSWER_MAX,
	pollTemplateSchema,
	pollTemplatesSchema,
	readAnswers,
	resolveQuestions,
	SCALE_OPTIONS,
	templateIssues,
	YESNO_OPTIONS,
	type PollTemplate,
	type TemplateContext
} from '../../src/lib/domain/poll.ts';
import {
	storedTemplateContext,
	templateBreak,
	type TemplateIndicatorRow
} from '../../src/lib/domain/poll-template-guard.ts';
import { formatPath } from '../../src/lib/domain/plan-validation.ts';

const TEMPLATE: PollTemplate = {
	key: 'druk-in-de-klas',
	name: 'Peiling druk in de klas',
	intro: 'Je naam vragen we niet.',
	questions: [
		{ key: 'groep', kind: 'choice', text: 'Hoe oud ben je?', dimension: 'leeftijd' },
		{ key: 'druk', kind: 'scale', text: 'Ik voel vaak druk.', indicator: 'X-DRUK' },
		{ key: 'praten', kind: 'yesno', text: 'Ik weet met wie ik kan praten.', indicator: 'X-PRATEN' },
		{
			key: 'sport',
			kind: 'choice',
			text: 'Wat doe je na school?',
			options: [
				{ key: 'a', name: 'Sporten' },
				{ key: 'b', name: 'Iets anders' }
			],
			indicator: 'X-SPORT',
			option: 'a'
		},
		{ key: 'welzijn', kind: 'scale', text: 'Ik voel me goed.', indicator: 'X-SCORE' }
	],
	openQuestion: 'Wil je nog iets kwijt? Schrijf geen namen op.'
};

const CTX: TemplateContext = {
	indicators: new Map([
		['X-DRUK', { unit: 'percent', derived: false, dimensions: ['leeftijd'] }],
		['X-PRATEN', { unit: 'percent', derived: false, dimensions: [] }],
		['X-SPORT', { unit: 'percent', derived: false, dimensions: [] }],
		['X-SCORE', { unit: 'score', derived: false, dimensions: [] }],
		['X-BEREIK', { unit: 'count', derived: true, dimensions: [] }]
	]),
	dimensions: [
		{
			key: 'leeftijd',
			name: 'Leeftijd',
			values: [
				{ key: '10-12', name: '10–12 jaar' },
				{ key: '13-14', name: '13–14 jaar' },
				{ key: '15-16', name: '15–16 jaar', archived: true }
			]
		}
	]
};

const clone = (changes: (t: PollTemplate) => void = () => {}) => {
	const t = structuredClone(TEMPLATE);
	changes(t);
	return t;
};

/** The issues zod finds in a raw template, as `path: message`. */
const refusals = (raw: unknown) => {
	const r = pollTemplateSchema.safeParse(raw);
	return r.success ? [] : r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
};

describe('pollTemplateSchema', () => {
	it('should accept a template with every kind of question', () => {
		expect(pollTemplateSchema.parse(TEMPLATE)).toEqual(TEMPLATE);
	});

	it("should refuse another kind's fields, naming the field", () => {
		expect(
			refusals(clone((t) => Object.assign(t.questions[1], { options: [...SCALE_OPTIONS], dimension: 'geslacht' })))
		).toEqual([
			'questions[1].options: alleen een keuzevraag (choice) heeft options',
			'questions[1].dimension: alleen een keuzevraag (choice) heeft dimension'
		]);
		expect(refusals(clone((t) => delete t.questions[2].indicator))).toEqual([
			'questions[2].indicator: een schaal- of ja/nee-vraag voedt een indicator: noem die'
		]);
	});

	it('should refuse a choice with both options and a dimension, neither, or an indicator without its option', () => {
		expect(refusals(clone((t) => (t.questions[0].options = [...YESNO_OPTIONS.map((o) => ({ ...o }))])))).toContain(
			'questions[0].options: een keuzevraag heeft eigen opties of een dimensie, niet beide'
		);
		expect(refusals(clone((t) => delete t.questions[0].dimension))).toEqual([
			'questions[0].options: een keuzevraag heeft opties, of een dimensie'
		]);
		expect(refusals(clone((t) => delete t.questions[3].option))).toEqual([
			'questions[3].option: noem de optie waarvan het aandeel de indicator voedt'
		]);
		expect(refusals(clone((t) => (t.questions[3].option = 'c')))).toEqual(['questions[3].option: onbekende optie c']);
		expect(refusals(clone((t) => (t.questions[0].indicator = 'X-DRUK')))).toContain(
			'questions[0].indicator: een keuzevraag met een dimensie splitst de metingen uit en voedt zelf geen indicator'
		);
	});

	it('should refuse duplicate question, option and template keys, and a dimension asked twice', () => {
		expect(refusals(clone((t) => (t.questions[2].key = 'druk')))).toEqual([
			'questions[2].key: de vraag druk komt dubbel voor'
		]);
		expect(refusals(clone((t) => (t.questions[3].options![1].key = 'a')))).toEqual([
			'questions[3].options[1].key: de optie a komt dubbel voor'
		]);
		expect(
			refusals(
				clone((t) => t.questions.push({ key: 'leeftijd', kind: 'choice', text: 'Nog eens?', dimension: 'leeftijd' }))
			)
		).toEqual(['questions[5].dimension: de dimensie leeftijd wordt al gevraagd']);
		const twice = pollTemplatesSchema.safeParse([TEMPLATE, TEMPLATE]);
		expect(twice.success).toBe(false);
		expect(twice.error?.issues.map((i) => i.message)).toEqual(['het sjabloon druk-in-de-klas komt dubbel voor']);
	});

	it('should refuse too many questions, none, and a template where no question feeds an indicator', () => {
		const many = clone((t) => {
			t.questions = Array.from({ length: MAX_POLL_QUESTIONS + 1 }, (_, i) => ({
				key: `v${i}`,
				kind: 'yesno' as const,
				text: `Vraag ${i}`,
				indicator: 'X-PRATEN'
			}));
		});
		expect(refusals(many)).toEqual([`questions: hoogstens ${MAX_POLL_QUESTIONS} vragen`]);
		expect(refusals(clone((t) => (t.questions = [])))).toContain('questions: een peiling heeft minstens één vraag');
		expect(refusals(clone((t) => (t.questions = [t.questions[0]])))).toEqual([
			'questions: minstens één vraag voedt een indicator'
		]);
	});

	it('should refuse empty texts, an unknown field and a key with capitals', () => {
		expect(refusals(clone((t) => (t.questions[1].text = '   ')))).toEqual([
			'questions[1].text: de tekst mag niet leeg zijn'
		]);
		expect(refusals({ ...TEMPLATE, colour: 'rood' })).toHaveLength(1);
		expect(refusals(clone((t) => (t.key = 'Druk'))).join()).toContain('key: sleutel');
	});
});

describe(templateIssues.name, () => {
	it('should find nothing in a template that fits its plan', () => {
		expect(templateIssues(TEMPLATE, CTX)).toEqual([]);
	});

	it('should name an unknown and a derived indicator, a unit the kind cannot measure and an unknown dimension', () => {
		const t = clone((t) => {
			t.questions[1].indicator = 'X-WEG';
			t.questions[2].indicator = 'X-BEREIK';
			t.questions[3].indicator = 'X-SCORE';
			t.questions[0].dimension = 'geslacht';
		});
		expect(templateIssues(t, CTX)).toEqual([
			{ path: 'questions[0].dimension', message: 'onbekende dimensie geslacht: noem haar onder dimensions' },
			{ path: 'questions[1].indicator', message: 'onbekende indicator X-WEG' },
			{ path: 'questions[2].indicator', message: 'X-BEREIK wordt uit het actielogboek berekend, niet gepeild' },
			{ path: 'questions[3].indicator', message: 'X-SCORE heeft eenheid score; een keuzevraag voedt een percentage' }
		]);
	});

	it('should refuse a dimension question with fewer than two values left to choose', () => {
		const ctx = structuredClone(CTX);
		ctx.dimensions[0].values[1].archived = true;
		expect(templateIssues(TEMPLATE, ctx)).toEqual([
			{
				path: 'questions[0].dimension',
				message: 'een keuzevraag heeft minstens twee opties: leeftijd heeft er minder die niet gearchiveerd zijn'
			}
		]);
	});
});

describe(resolveQuestions.name, () => {
	it('should give each kind its options and what it measures, leaving archived dimension values out', () => {
		const questions = resolveQuestions(TEMPLATE, CTX);
		expect(questions.map((q) => [q.key, q.options.map((o) => o.key), q.measure ?? null])).toEqual([
			['groep', ['10-12', '13-14'], null],
			['druk', ['1', '2', '3', '4', '5'], 'agree'],
			['praten', ['ja', 'nee'], 'yes'],
			['sport', ['a', 'b'], 'option'],
			['welzijn', ['1', '2', '3', '4', '5'], 'mean']
		]);
		expect(questions[0]).toEqual({
			key: 'groep',
			kind: 'choice',
			text: 'Hoe oud ben je?',
			options: [
				{ key: '10-12', name: '10–12 jaar' },
				{ key: '13-14', name: '13–14 jaar' }
			],
			dimension: 'leeftijd'
		});
		expect(questions[3]).toMatchObject({ indicator: 'X-SPORT', option: 'a' });
		expect(questions[1].options).toEqual(SCALE_OPTIONS);
	});
});

describe(readAnswers.name, () => {
	const questions = resolveQuestions(TEMPLATE, CTX);
	const form = (values: Record<string, string>) => (name: string) => values[name] ?? null;
	const open = TEMPLATE.openQuestion!;

	it('should read the chosen options and let a question be skipped', () => {
		expect(readAnswers(questions, form({ groep: '13-14', druk: '4', praten: '' }), null)).toEqual({
			ok: true,
			answers: { groep: '13-14', druk: '4' },
			open: null
		});
	});

	it('should refuse an unknown option (a tampered form) and a form with no answer at all', () => {
		expect(readAnswers(questions, form({ druk: '6' }), null)).toEqual({
			ok: false,
			message: 'Dit antwoord kennen we niet. Kies een van de antwoorden.'
		});
		// an archived dimension value is no option either
		expect(readAnswers(questions, form({ groep: '15-16' }), null).ok).toBe(false);
		expect(readAnswers(questions, form({}), open)).toEqual({
			ok: false,
			message: 'Kies bij minstens één vraag een antwoord.'
		});
		expect(readAnswers(questions, form({ open: 'alleen tekst' }), open).ok).toBe(false);
	});

	it('should keep the open answer trimmed up to its limit when the poll asks it, and refuse a longer one', () => {
		expect(readAnswers(questions, form({ druk: '2', open: `  ${'a'.repeat(OPEN_ANSWER_MAX)}  ` }), open)).toEqual({
			ok: true,
			answers: { druk: '2' },
			open: 'a'.repeat(OPEN_ANSWER_MAX)
		});
		expect(readAnswers(questions, form({ druk: '2', open: 'a'.repeat(OPEN_ANSWER_MAX + 1) }), open)).toEqual({
			ok: false,
			message: `Je antwoord op de open vraag is te lang: hoogstens ${OPEN_ANSWER_MAX} tekens.`
		});
		expect(readAnswers(questions, form({ druk: '2', open: '   ' }), open)).toMatchObject({ ok: true, open: null });
	});

	it('should ignore an open answer when the poll has the open question switched off', () => {
		expect(readAnswers(questions, form({ druk: '2', open: 'Jan uit groep 8' }), null)).toEqual({
			ok: true,
			answers: { druk: '2' },
			open: null
		});
		expect(readAnswers(questions, form({ druk: '2', open: 'a'.repeat(OPEN_ANSWER_MAX + 1) }), null).ok).toBe(true);
	});
});

describe(templateBreak.name, () => {
	const rows: TemplateIndicatorRow[] = [
		{ code: 'X-DRUK', unit: 'percent', derived: null, dimensions: '["leeftijd"]' },
		{ code: 'X-PRATEN', unit: 'percent', derived: null, dimensions: null },
		{ code: 'X-SPORT', unit: 'percent', derived: null, dimensions: null },
		{ code: 'X-SCORE', unit: 'score', derived: null, dimensions: null }
	];
	const before = storedTemplateContext(rows, CTX.dimensions);
	const after = (change: (r: typeof rows) => typeof rows, dimensions = CTX.dimensions) =>
		storedTemplateContext(change(structuredClone(rows)), dimensions);

	it('should let a change pass that leaves every template asking what it asked', () => {
		expect(templateBreak([TEMPLATE], before, before)).toBeNull();
		expect(
			templateBreak(
				[TEMPLATE],
				before,
				after((r) => [...r, { ...r[0], code: 'X-NIEUW' }])
			)
		).toBeNull();
		expect(
			templateBreak(
				[],
				before,
				after(() => [])
			)
		).toBeNull();
	});

	it('should name the template and question when an indicator goes, is renamed, made derived or measured otherwise', () => {
		const message =
			'Peilingsjabloon Peiling druk in de klas (druk-in-de-klas) vraagt in vraag praten naar indicator X-PRATEN; pas eerst het sjabloon aan in het planbestand.';
		expect(
			templateBreak(
				[TEMPLATE],
				before,
				after((r) => r.filter((i) => i.code !== 'X-PRATEN'))
			)
		).toBe(message);
		expect(
			templateBreak(
				[TEMPLATE],
				before,
				after((r) => r.map((i) => ({ ...i, code: `${i.code}-2` })))
			)
		).toContain('vraag druk naar indicator X-DRUK');
		expect(
			templateBreak(
				[TEMPLATE],
				before,
				after((r) => r.map((i) => (i.code === 'X-PRATEN' ? { ...i, derived: '{}' } : i)))
			)
		).toBe(message);
		// a percentage question that would count a mean: still a valid pair, yet not what was asked
		expect(
			templateBreak(
				[TEMPLATE],
				before,
				after((r) => r.map((i) => (i.code === 'X-DRUK' ? { ...i, unit: 'score' } : i)))
			)
		).toContain('vraag druk naar indicator X-DRUK');
	});

	it('should name a dimension question when its dimension goes or keeps fewer than two values', () => {
		expect(
			templateBreak(
				[TEMPLATE],
				before,
				after((r) => r, [])
			)
		).toBe(
			'Peilingsjabloon Peiling druk in de klas (druk-in-de-klas) vraagt in vraag groep naar dimensie leeftijd; pas eerst het sjabloon aan in het planbestand.'
		);
		const one = [{ ...CTX.dimensions[0], values: CTX.dimensions[0].values.slice(0, 1) }];
		expect(
			templateBreak(
				[TEMPLATE],
				before,
				after((r) => r, one)
			)
		).toContain('vraag groep naar dimensie leeftijd');
	});
});
