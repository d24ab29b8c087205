import { describe, expect, it } from 'vitest';
import { apiReference, describeType, type OpenApiLike } from '../../src/lib/domain/api-reference.ts';

const document: OpenApiLike = {
	paths: {
		'/api/v1/things/{id}': {
			get: {
				tags: ['Dingen'],
				summary: 'Eén ding',
				operationId: 'getThingsId',
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: { 200: { description: 'Het ding' }, 404: { description: 'Niet gevonden' } }
			},
			patch: {
				tags: ['Dingen'],
				summary: 'Een ding wijzigen',
				requestBody: {
					required: true,
					content: { 'application/json': { schema: { $ref: '#/components/schemas/Wijziging' } } }
				},
				responses: { 200: { description: 'Gewijzigd' } }
			}
		},
		'/api/v1/health': { get: { summary: 'Status', responses: { 200: { description: 'Goed' } } } }
	},
	components: {
		schemas: {
			Wijziging: {
				allOf: [
					{
						type: 'object',
						properties: {
							name: { type: 'string', minLength: 1, maxLength: 100 },
							kind: { type: 'string', enum: ['a', 'b'] }
						},
						required: ['name']
					},
					{ type: 'object', properties: { version: { type: 'integer', minimum: 1 } }, required: ['version'] }
				]
			}
		}
	}
};

describe(apiReference.name, () => {
	it('should group operations by their first tag, untagged ones under "Overig", in document order', () => {
		const groups = apiReference(document);
		expect(groups.map((g) => [g.tag, g.operations.map((o) => `${o.method} ${o.path}`)])).toEqual([
			['Dingen', ['GET /api/v1/things/{id}', 'PATCH /api/v1/things/{id}']],
			['Overig', ['GET /api/v1/health']]
		]);
	});

	it('should list parameters, responses and the fields of a referenced allOf body', () => {
		const [get, patch] = apiReference(document)[0].operations;
		expect(get.parameters).toEqual([{ name: 'id', in: 'path', type: 'tekst', required: true, description: '' }]);
		expect(get.responses).toEqual([
			{ status: '200', description: 'Het ding' },
			{ status: '404', description: 'Niet gevonden' }
		]);
		expect(get.body).toBeNull();
		expect(patch.body).toEqual({
			required: true,
			types: ['application/json'],
			fields: [
				{ name: 'name', type: 'tekst (1–100 tekens)', required: true, description: '' },
				{ name: 'kind', type: 'een van: a, b', required: false, description: '' },
				{ name: 'version', type: 'geheel getal (1–…)', required: true, description: '' }
			]
		});
	});
});

describe(describeType.name, () => {
	it('should say a type in a few Dutch words', () => {
		expect(describeType({ type: ['integer', 'null'] })).toBe('geheel getal of null');
		expect(describeType({ type: 'array', items: { type: 'string' }, maxItems: 50 })).toBe(
			'lijst van tekst (hoogstens 50)'
		);
		expect(describeType({ type: 'string', format: 'binary' })).toBe('bestand');
		expect(describeType({})).toBe('vrij');
	});
});
