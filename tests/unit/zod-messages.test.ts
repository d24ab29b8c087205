import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dutchIssueMessage, inDutch } from '../../src/lib/domain/zod-messages.ts';

const messages = (schema: z.ZodType, input: unknown) => {
	const r = schema.safeParse(input, inDutch);
	return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe(dutchIssueMessage.name, () => {
	it('should say in Dutch which type was expected and what came instead, and that a field is missing', () => {
		const schema = z.object({ value: z.number(), text: z.string(), flag: z.boolean(), list: z.array(z.string()) });
		expect(messages(schema, { value: '28', text: 3, flag: 'ja', list: {} })).toEqual([
			['value', 'verwacht een getal, niet tekst'],
			['text', 'verwacht tekst, niet 3'],
			['flag', 'verwacht true of false, niet tekst'],
			['list', 'verwacht een lijst, niet een object']
		]);
		expect(messages(schema.pick({ value: true }), {})).toEqual([['value', 'ontbreekt']]);
		expect(messages(z.number().int(), 1.5)).toEqual([['', 'verwacht een heel getal, niet 1.5']]);
		expect(messages(z.coerce.number(), 'abc')).toEqual([['', 'verwacht een getal']]);
	});

	it('should word lower and upper bounds of numbers, text and lists', () => {
		expect(messages(z.number().min(1), 0)).toEqual([['', 'minstens 1']]);
		expect(messages(z.number().positive(), 0)).toEqual([['', 'groter dan 0']]);
		expect(messages(z.number().max(500), 501)).toEqual([['', 'hoogstens 500']]);
		expect(messages(z.number().lt(10), 10)).toEqual([['', 'kleiner dan 10']]);
		expect(messages(z.string().min(1), '')).toEqual([['', 'mag niet leeg zijn']]);
		expect(messages(z.string().min(3), 'ab')).toEqual([['', 'minstens 3 tekens']]);
		expect(messages(z.string().max(1), 'ab')).toEqual([['', 'hoogstens 1 teken']]);
		expect(messages(z.string().length(2), 'abc')).toEqual([['', 'precies 2 tekens']]);
		expect(messages(z.array(z.number()).max(2), [1, 2, 3])).toEqual([['', 'hoogstens 2 elementen']]);
	});

	it('should list the allowed values, unknown fields and wrong formats', () => {
		expect(messages(z.enum(['plain', 'excel-nl']), 'csv')).toEqual([['', 'kies uit "plain", "excel-nl"']]);
		expect(messages(z.literal(true), false)).toEqual([['', 'verwacht true']]);
		expect(messages(z.strictObject({ a: z.number() }), { a: 1, b: 2 })).toEqual([['', 'onbekend veld: b']]);
		expect(messages(z.strictObject({}), { b: 2, c: 3 })).toEqual([['', 'onbekende velden: b, c']]);
		expect(messages(z.email(), 'geen')).toEqual([['', 'geen geldig e-mailadres']]);
		expect(messages(z.iso.date(), '1-9-2024')).toEqual([['', 'verwacht een datum als JJJJ-MM-DD']]);
		expect(messages(z.string().regex(/^\d+$/), 'x')).toEqual([['', 'heeft niet de juiste vorm']]);
		expect(messages(z.string().startsWith('VV-'), 'X')).toEqual([['', 'moet beginnen met "VV-"']]);
		expect(messages(z.number().multipleOf(5), 7)).toEqual([['', 'moet een veelvoud van 5 zijn']]);
		expect(messages(z.union([z.number(), z.boolean()]), 'x')).toEqual([['', 'past bij geen van de toegestane vormen']]);
	});

	it('should keep a message written on the schema', () => {
		expect(messages(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'verwacht een datum als JJJJ-MM-DD'), 'x')).toEqual([
			['', 'verwacht een datum als JJJJ-MM-DD']
		]);
		expect(messages(z.number('Geef een getal.'), 'x')).toEqual([['', 'Geef een getal.']]);
		expect(
			messages(
				z.object({ a: z.number() }).refine(() => false, { message: 'eigen regel', path: ['a'] }),
				{ a: 1 }
			)
		).toEqual([['a', 'eigen regel']]);
	});
});
