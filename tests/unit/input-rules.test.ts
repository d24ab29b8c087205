import { describe, expect, it } from 'vitest';
import { int32, isInt32, MAX_INT, MIN_INT, nulPath } from '../../src/lib/domain/input-rules.ts';
import { checkEntry } from '../../src/lib/domain/measurement.ts';
import { readNodeForm } from '../../src/lib/domain/plan-edit.ts';
import { themeSchema } from '../../src/lib/domain/plan.schema.ts';
import { evaluationInputSchema } from '../../src/lib/domain/evaluation.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlanText, PlanFileError } from '../../src/lib/server/plan-files.ts';

describe(nulPath.name, () => {
	it('should find the path of the first string or key holding a NUL', () => {
		expect(nulPath({ a: 'x', b: ['y', { c: 'z\u0000' }] })).toEqual(['b', 1, 'c']);
		expect(nulPath({ ['k\u0000']: 1 })).toEqual(['k\u0000']);
		expect(nulPath('\u0000')).toEqual([]);
	});

	it('should find none in clean input of any shape', () => {
		for (const v of [null, undefined, 0, true, '', 'tekst', [], {}, { a: [1, 'b', { c: null }] }])
			expect(nulPath(v)).toBeNull();
	});

	it('should walk a deeply nested body without overflowing the stack', () => {
		let deep: unknown = 'bodem\u0000';
		for (let i = 0; i < 200_000; i++) deep = [deep];
		expect(nulPath(deep)).toHaveLength(200_000);
	});
});

describe(isInt32.name, () => {
	it('should take exactly the range of an integer column', () => {
		expect([MIN_INT, -1, 0, MAX_INT].map(isInt32)).toEqual([true, true, true, true]);
		expect([MIN_INT - 1, MAX_INT + 1, 1.5, Number.NaN, Infinity].map(isInt32)).toEqual([
			false,
			false,
			false,
			false,
			false
		]);
		expect(int32().safeParse(2 ** 31).success).toBe(false);
	});

	it('should bound every integer input that is stored in an integer column', () => {
		const ctx = {
			indicator: () => ({ id: 1, code: 'C', unit: 'count' as const, derived: false }),
			region: () => ({ id: 1, slug: 'r' }),
			today: '2025-01-01',
			decimal: ',' as const
		};
		const entry = (n: number) => checkEntry({ indicator: 'C', region: 'r', date: '2024-01-01', value: 1, n }, ctx);
		expect(entry(MAX_INT).ok).toBe(true);
		expect(entry(MAX_INT + 1)).toEqual({
			ok: false,
			errors: { n: `n is hoogstens 2.147.483.647 (niet ${MAX_INT + 1})` }
		});
		const theme = (number: string) => readNodeForm('theme', { code: 'VV-T9', title: 'Thema', number });
		expect(theme(String(MAX_INT)).ok).toBe(true);
		expect(theme(String(MAX_INT + 1)).ok).toBe(false);
		expect(themeSchema.shape.number.safeParse(MAX_INT + 1).success).toBe(false);
		expect(evaluationInputSchema.shape.version.safeParse(MAX_INT + 1).success).toBe(false);
	});
});

describe(parsePlanText.name, () => {
	it('should refuse a plan that spells a NUL character, naming where', () => {
		const dir = join(process.cwd(), 'indicators');
		const text = readFileSync(join(dir, 'vleuten-versterkt.yaml'), 'utf8').replace(
			'title: Lanterfantertijd',
			'title: "Lanter\\0fantertijd"'
		);
		expect(text).toContain('Lanter\\0fantertijd');
		const refused = (() => {
			try {
				parsePlanText('upload', text, join(dir, 'library.yaml'));
			} catch (e) {
				return e;
			}
		})();
		expect(refused).toBeInstanceOf(PlanFileError);
		expect((refused as PlanFileError).issues).toEqual([
			{ path: 'themes.0.title', message: 'bevat een ongeldig teken (NUL)' }
		]);
	});
});
