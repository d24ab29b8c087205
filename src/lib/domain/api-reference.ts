/**
 * The OpenAPI document as a readable reference: operations grouped by tag, each with its parameters,
 * request body fields and responses. Plain data in, plain data out (the `/api/docs` page renders it).
 */

type Schema = {
	$ref?: string;
	type?: string | string[];
	format?: string;
	enum?: unknown[];
	const?: unknown;
	items?: Schema;
	properties?: Record<string, Schema>;
	required?: string[];
	allOf?: Schema[];
	anyOf?: Schema[];
	oneOf?: Schema[];
	description?: string;
	minimum?: number;
	maximum?: number;
	minLength?: number;
	maxLength?: number;
	maxItems?: number;
	default?: unknown;
};
interface Parameter {
	name: string;
	in: string;
	required?: boolean;
	description?: string;
	schema?: Schema;
}
/** A `$ref` where OpenAPI allows one instead of a parameter or body (this app's document writes them inline). */
interface Reference {
	$ref: string;
}
interface Operation {
	tags?: string[];
	summary?: string;
	description?: string;
	operationId?: string;
	parameters?: (Parameter | Reference)[];
	requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> } | Reference;
	responses?: Record<string, { description?: string }>;
}
type PathItem = { [M in (typeof HTTP_METHODS)[number]]?: Operation };
export interface OpenApiLike {
	paths?: Record<string, PathItem | undefined>;
	components?: { schemas?: Record<string, Schema> };
}

export interface Field {
	name: string;
	type: string;
	required: boolean;
	description: string;
}
export interface ReferenceOperation {
	id: string;
	method: string;
	path: string;
	summary: string;
	description: string;
	parameters: (Field & { in: string })[];
	body: { required: boolean; types: string[]; fields: Field[] } | null;
	responses: { status: string; description: string }[];
}
export interface ReferenceGroup {
	tag: string;
	operations: ReferenceOperation[];
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const UNTAGGED = 'Overig';

const inline = <T extends object>(x: T | Reference): x is T => !('$ref' in x);

function resolve(schema: Schema | undefined, schemas: Record<string, Schema>): Schema {
	if (!schema) return {};
	if (schema.$ref) return resolve(schemas[schema.$ref.replace('#/components/schemas/', '')], schemas);
	return schema;
}

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A schema in a few words: `tekst (1–100 tekens)`, `een van: a, b`, `lijst van getal`. */
export function describeType(schema: Schema | undefined, schemas: Record<string, Schema> = {}): string {
	const s = resolve(schema, schemas);
	if (s.enum) return `een van: ${s.enum.map(shown).join(', ')}`;
	if (s.const !== undefined) return shown(s.const);
	const variants = s.anyOf ?? s.oneOf;
	if (variants) return variants.map((v) => describeType(v, schemas)).join(' of ');
	const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
	if (types.length === 0) return s.properties || s.allOf ? 'object' : 'vrij';
	const words = types.map((t) => {
		if (t === 'array') return `lijst van ${describeType(s.items, schemas)}`;
		if (t === 'string' && s.format === 'binary') return 'bestand';
		return (
			{
				string: 'tekst',
				integer: 'geheel getal',
				number: 'getal',
				boolean: 'true/false',
				object: 'object',
				null: 'null'
			}[t] ?? t
		);
	});
	const limits = [
		s.minLength !== undefined || s.maxLength !== undefined ? `${s.minLength ?? 0}–${s.maxLength ?? '…'} tekens` : null,
		s.minimum !== undefined || s.maximum !== undefined ? `${s.minimum ?? '…'}–${s.maximum ?? '…'}` : null,
		s.maxItems !== undefined ? `hoogstens ${s.maxItems}` : null,
		s.format && s.format !== 'binary' ? s.format : null
	].filter(Boolean);
	return words.join(' of ') + (limits.length ? ` (${limits.join(', ')})` : '');
}

/** The top-level fields of an object body, also when it is an `allOf` of objects. */
function fieldsOf(schema: Schema | undefined, schemas: Record<string, Schema>): Field[] {
	const s = resolve(schema, schemas);
	if (s.allOf) {
		const seen = new Map<string, Field>();
		for (const part of s.allOf)
			for (const f of fieldsOf(part, schemas))
				if (!seen.has(f.name) || f.type !== 'vrij')
					seen.set(f.name, { ...f, required: f.required || (seen.get(f.name)?.required ?? false) });
		return [...seen.values()];
	}
	return Object.entries(s.properties ?? {}).map(([name, p]) => ({
		name,
		type: describeType(p, schemas),
		required: (s.required ?? []).includes(name),
		description: resolve(p, schemas).description ?? ''
	}));
}

export function apiReference(document: OpenApiLike): ReferenceGroup[] {
	const schemas = document.components?.schemas ?? {};
	const groups = new Map<string, ReferenceOperation[]>();
	for (const [path, item] of Object.entries(document.paths ?? {}))
		for (const method of HTTP_METHODS) {
			const op = item?.[method];
			if (!op) continue;
			const requestBody = op.requestBody && (inline(op.requestBody) ? op.requestBody : {});
			const content = requestBody?.content ?? {};
			const first = Object.values(content)[0]?.schema;
			const operation: ReferenceOperation = {
				id: op.operationId ?? `${method}-${path}`,
				method: method.toUpperCase(),
				path,
				summary: op.summary ?? '',
				description: op.description ?? '',
				parameters: (op.parameters ?? []).filter(inline).map((p) => ({
					name: p.name,
					in: p.in,
					type: describeType(p.schema, schemas),
					required: p.required ?? false,
					description: p.description ?? ''
				})),
				body: requestBody
					? {
							required: requestBody.required ?? false,
							types: Object.keys(content),
							fields: fieldsOf(first, schemas)
						}
					: null,
				responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({
					status,
					description: r.description ?? ''
				}))
			};
			const tag = op.tags?.[0] ?? UNTAGGED;
			groups.set(tag, [...(groups.get(tag) ?? []), operation]);
		}
	return [...groups].map(([tag, operations]) => ({ tag, operations }));
}
