import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { z } from 'zod';
import type { ApiEnv } from '../context.ts';
import { inProgramme } from '../access.ts';
import { ApiError, notFound } from '../errors.ts';
import { unwrap } from '../service-result.ts';
import { apiRouter, file, json, refusals, route, slugParam } from '../openapi.ts';
import {
	MEASUREMENT_STATUSES,
	type MeasurementRecord,
	type RawEntry,
	type RawValue
} from '../../../domain/measurement.ts';
import { categoryValueSchema, MAX_CATEGORIES } from '../../../domain/breakdown.ts';
import { publicCategories, type RawCategory } from '../../../domain/measurement-categories.ts';
import type { Programme } from '../../db/schema.ts';
import * as measurements from '../../services/measurement.service.ts';
import { listMeasurementRecords } from '../../services/measurement-list.service.ts';
import { BULK_LIMIT, reviewMany } from '../../services/measurement-review.service.ts';
import { importMeasurements } from '../../services/measurement-import.service.ts';
import { webStreamChunks } from '../../files/measurement-reader.ts';
import {
	CONTENT_TYPE,
	exportFileName,
	exportMeasurements,
	type ExportFormat
} from '../../services/measurement-export.service.ts';
import { idFromPath, idNumber } from '../../../domain/ids.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'verwacht een datum als JJJJ-MM-DD');
const code = z.string().min(1).max(100);

const filterSchema = z.object({
	status: z.enum(MEASUREMENT_STATUSES).optional(),
	indicator: code.optional(),
	region: code.optional(),
	theme: code.optional(),
	from: isoDate.optional(),
	to: isoDate.optional()
});
const listSchema = filterSchema.extend({
	limit: z.coerce.number().int().min(1).max(500).default(100),
	offset: z.coerce.number().int().min(0).default(0)
});
const exportSchema = filterSchema.extend({ dialect: z.enum(['plain', 'excel-nl']).default('plain') });

const fields = {
	region: code,
	date: z.string().min(1).max(20),
	value: z.number().nullable(),
	text: z.string().max(5000).nullable(),
	n: z.number().nullable(),
	source: z.string().max(500).nullable(),
	note: z.string().max(2000).nullable(),
	categories: z
		.array(categoryValueSchema)
		.max(MAX_CATEGORIES, `hoogstens ${MAX_CATEGORIES} categorieën`)
		.openapi({
			description:
				'Waarden per categorie (uitsplitsing), alleen bij een indicator met dimensies; `n` is verplicht bij een ' +
				'percentage of score. `[]` bij wijzigen haalt de uitsplitsing weg; weglaten laat haar staan.',
			example: [
				{ dimension: 'geslacht', category: 'meisje', value: 41.5, n: 120 },
				{ dimension: 'geslacht', category: 'jongen', value: 30, n: 110 }
			]
		})
};
const oneOf = (v: { value?: number | null; text?: string | null }) => v.value == null || v.text == null;
const createSchema = z
	.strictObject({
		indicator: code,
		...z.object(fields).partial({ value: true, text: true, n: true, source: true, note: true, categories: true }).shape
	})
	.refine(oneOf, { message: 'geef value of text, niet beide', path: ['text'] });
const patchSchema = z
	.strictObject({ version: idNumber(), ...z.object(fields).partial().shape })
	.refine(oneOf, { message: 'geef value of text, niet beide', path: ['text'] });
const reviewSchema = z.strictObject({ version: idNumber(), comment: z.string().max(2000).optional() });
const bulkReviewSchema = z
	.strictObject({
		items: z
			.array(z.strictObject({ id: idNumber(), version: idNumber() }))
			.min(1, 'kies minstens één meting')
			.max(BULK_LIMIT, `hoogstens ${BULK_LIMIT} metingen tegelijk`),
		decision: z.enum(['approve', 'return']),
		comment: z.string().max(2000).optional()
	})
	.refine((b) => b.decision === 'approve' || !!b.comment?.trim(), {
		message: 'schrijf waarom je de metingen terugstuurt',
		path: ['comment']
	});

/** A JSON body as the shared measurement rules read it; they decide whether the indicator takes value or text. */
function rawEntry(
	body: Partial<Record<Exclude<keyof typeof fields, 'categories'> | 'indicator', RawValue>> & {
		categories?: RawCategory[];
	}
): RawEntry {
	const raw: RawEntry = {};
	for (const key of ['indicator', 'region', 'date', 'value', 'text', 'n', 'source', 'note'] as const)
		if (body[key] !== undefined) raw[key] = body[key];
	if (body.categories !== undefined) raw.categories = body.categories;
	return raw;
}

/**
 * A measurement as the API gives it: its categories with every small group's figure removed (small-groups.ts),
 * whoever asks — an API client is no data-entry view, so only the form and the review card show them; and
 * `pollId`, the poll whose closing made it (null: typed, imported or derived).
 */
const forApi =
	(programme: Programme) =>
	({ poll, ...m }: MeasurementRecord) => ({
		...m,
		categories: publicCategories(m.categories, m.unit, programme.min_group_size),
		pollId: poll?.id ?? null
	});

const idOf = (c: Context<ApiEnv>) => {
	const id = idFromPath(c.req.param('id'));
	if (id === null) throw notFound('Meting');
	return id;
};

const UPLOAD_TYPES = [
	'text/csv',
	'text/plain',
	'application/csv',
	'application/vnd.ms-excel',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'application/octet-stream'
];

/** The uploaded file: the raw request body, or the multipart field `file`. */
async function uploadOf(c: Context<ApiEnv>): Promise<{ name: string; bytes: AsyncIterable<Uint8Array> }> {
	const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type === 'multipart/form-data') {
		const form = await c.req.formData().catch(() => null);
		if (!form) throw new ApiError(400, 'invalid_input', 'De multipart-body kon niet gelezen worden.');
		const file = form.get('file');
		if (!(file instanceof File))
			throw new ApiError(400, 'invalid_input', 'Stuur het bestand in het multipart-veld "file".', [
				{ path: 'file', message: 'ontbreekt' }
			]);
		return { name: file.name || 'upload', bytes: webStreamChunks(file.stream()) };
	}
	if (!UPLOAD_TYPES.includes(type))
		throw new ApiError(
			415,
			'unsupported_media_type',
			'Stuur een CSV- of Excel-bestand (text/csv of xlsx), of multipart met het veld "file".'
		);
	return {
		name: c.req.query('filename') || `upload.${type.includes('sheet') ? 'xlsx' : 'csv'}`,
		bytes: webStreamChunks(c.req.raw.body)
	};
}

async function download(c: Context<ApiEnv>, format: ExportFormat, query: z.infer<typeof filterSchema>) {
	const stream = unwrap(await exportMeasurements(c.var.ctx, query, format));
	return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
		'content-type': CONTENT_TYPE[format.kind],
		'content-disposition': `attachment; filename="${exportFileName(c.var.ctx.programme, format)}"`,
		'cache-control': 'no-store'
	});
}

const tags = ['Metingen'];
const REVIEW_FLAGS =
	'Een waarde buiten het toegestane bereik van de indicator (`rules` in het plan) wordt geweigerd (400, pad `value`). ' +
	'Elke meting heeft `reviewFlags`: de redenen om goed te kijken voor wie beoordeelt, zoals een grotere verandering ' +
	't.o.v. de vorige goedgekeurde meting dan het plan toestaat (`[]` als er geen zijn).\n\n' +
	'Uitsplitsing: `categories` (`[{dimension, category, value, n}]`) bij een indicator met dimensies. Aantallen per ' +
	'dimensie tellen op tot het totaal als alle waarden gegeven zijn; bij een percentage of score is `n` per categorie ' +
	'verplicht en niet groter dan n van het totaal; elke waarde volgt de regels van de indicator. Past de uitsplitsing ' +
	'niet, dan 422 `invalid_categories` met `issues` op `categories.<i>.value` enz., en wordt niets opgeslagen. Wijkt ' +
	'het gewogen gemiddelde af van het totaal, dan staat dat in `reviewFlags`. In elk antwoord is een categorie met ' +
	'minder respondenten dan de minimale groepsgrootte van het programma verborgen: `value` en `n` zijn `null` en ' +
	'`suppressed` is `small` (of `derivable` als ze met het totaal terug te rekenen zou zijn), bijv. ' +
	'`{"dimension":"geslacht","category":"anders-onbekend","value":null,"n":null,"suppressed":"small"}`.\n\n' +
	'Peilingen: `pollId` is de peiling waarvan het sluiten deze meting maakte (bron `peiling <naam>`, status ' +
	'`submitted` tot een projectleider haar beoordeelt); `null` voor een ingevoerde, geïmporteerde of afgeleide meting. ' +
	'Zo’n meting wijzigen mag zoals elke ingediende meting; `pollId` blijft staan.';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const withId = slugParam.extend({ id: z.string() });
const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const binary = { type: 'string' as const, format: 'binary' };
const reviewRoute = <A extends 'approve' | 'return'>(action: A, summary: string) =>
	route({
		method: 'post',
		path: `/{slug}/measurements/{id}/${action}`,
		tags,
		summary,
		middleware: [inProgramme('measurement:approve')] as const,
		request: { params: withId, body: jsonBody(reviewSchema) },
		responses: { 200: json('De beoordeelde meting'), ...refusals(400, 401, 403, 404, 409, 413, 415) }
	});

/** The category columns of a measurement file (measurement-file-categories.ts), as the API reference says them. */
const CATEGORY_EXPORT =
	'Per categorie van de dimensies waarnaar de geëxporteerde indicatoren zijn uitgesplitst een kolom `Dimensie: Categorie` ' +
	'(bijv. `Geslacht: Meisje`) met ernaast `Geslacht: Meisje n`. Een te kleine groep, en de groep die haar door aftrekken ' +
	'zou verraden, staat er als `te weinig respondenten`, nooit als getal.';
const CATEGORY_IMPORT =
	' Uitsplitsing (optioneel): per categorie een kolom `Dimensie: Categorie` met ernaast `Dimensie: Categorie n`, of met de ' +
	'sleutels (`geslacht:meisje`, `geslacht:meisje n`). `te weinig respondenten` in zo’n cel behoudt het bewaarde cijfer ' +
	'van een bestaande meting (met `replace=true`) en wordt geweigerd bij een nieuwe.';

const csv = route({
	method: 'get',
	path: '/{slug}/measurements.csv',
	tags,
	summary: 'Metingen als CSV (gewoon of Nederlandse Excel-CSV)',
	description: CATEGORY_EXPORT,
	middleware: [inProgramme()] as const,
	request: { params: slugParam, query: exportSchema },
	responses: { 200: file('De metingen als CSV', 'text/csv'), ...refusals(400, 401, 403, 404) }
});
const xlsx = route({
	method: 'get',
	path: '/{slug}/measurements.xlsx',
	tags,
	summary: 'Metingen als Excel-bestand',
	description: CATEGORY_EXPORT,
	middleware: [inProgramme()] as const,
	request: { params: slugParam, query: filterSchema },
	responses: { 200: file('De metingen als XLSX', XLSX), ...refusals(400, 401, 403, 404) }
});
const list = route({
	method: 'get',
	path: '/{slug}/measurements',
	tags,
	summary: 'Metingen, gefilterd en per bladzijde',
	description:
		'Elke meting heeft `pollId`: de peiling waaruit ze komt, of `null` (ingevoerd, geïmporteerd of afgeleid).',
	middleware: [inProgramme()] as const,
	request: { params: slugParam, query: listSchema },
	responses: {
		200: json(
			'Het totaal en een bladzijde metingen',
			z.object({ total: z.number().int(), measurements: z.array(z.any()) })
		),
		...refusals(400, 401, 403, 404)
	}
});
const submit = route({
	method: 'post',
	path: '/{slug}/measurements',
	tags,
	summary: 'Een meting indienen (projectleiders: meteen goedgekeurd)',
	description: REVIEW_FLAGS,
	middleware: [inProgramme('measurement:submit')] as const,
	request: { params: slugParam, body: jsonBody(createSchema) },
	responses: { 201: json('De opgeslagen meting'), ...refusals(400, 401, 403, 404, 409, 413, 415, 422) }
});
const importRoute = route({
	method: 'post',
	path: '/{slug}/measurements/import',
	tags,
	summary: 'Een meetbestand importeren (CSV of XLSX), alles of niets',
	description: 'De body is het bestand zelf (of multipart met het veld `file`), tot 64 MB.' + CATEGORY_IMPORT,
	middleware: [inProgramme('measurement:submit')] as const,
	request: {
		params: slugParam,
		query: z.object({ replace: z.enum(['true', 'false']).optional(), filename: z.string().max(200).optional() }),
		body: {
			required: true,
			content: {
				'text/csv': { schema: { type: 'string' } },
				[XLSX]: { schema: binary },
				'multipart/form-data': { schema: { type: 'object', properties: { file: binary }, required: ['file'] } }
			}
		}
	},
	responses: { 200: json('Wat er is geïmporteerd'), ...refusals(400, 401, 403, 404, 413, 415, 422) }
});
const bulkReview = route({
	method: 'post',
	path: '/{slug}/measurements/review',
	tags,
	summary: 'Meerdere ingediende metingen tegelijk goedkeuren of teruggeven, alles of niets',
	description:
		`Elke meting met de versie die je zag (\`items\`, hoogstens ${BULK_LIMIT}). Teruggeven vraagt een \`comment\`. ` +
		'Is er één intussen door iemand anders beoordeeld of gewijzigd, dan verandert er niets en noemt het antwoord ' +
		'(409) die meting(en) in `issues`. Elke beoordeling komt apart in het auditlog.',
	middleware: [inProgramme('measurement:approve')] as const,
	request: { params: slugParam, body: jsonBody(bulkReviewSchema) },
	responses: { 200: json('De beoordeelde metingen (`reviewed`)'), ...refusals(400, 401, 403, 404, 409, 413, 415) }
});
const get = route({
	method: 'get',
	path: '/{slug}/measurements/{id}',
	tags,
	summary: 'Eén meting',
	description: REVIEW_FLAGS,
	middleware: [inProgramme()] as const,
	request: { params: withId },
	responses: { 200: json('De meting'), ...refusals(401, 403, 404) }
});
const edit = route({
	method: 'patch',
	path: '/{slug}/measurements/{id}',
	tags,
	summary: 'Een meting wijzigen',
	description: REVIEW_FLAGS,
	middleware: [inProgramme('measurement:submit')] as const,
	request: { params: withId, body: jsonBody(patchSchema) },
	responses: { 200: json('De gewijzigde meting'), ...refusals(400, 401, 403, 404, 409, 413, 415, 422) }
});

export const measurementRoutes = apiRouter()
	.openapi(csv, async (c) => {
		const { dialect, ...filter } = c.req.valid('query');
		return download(c, { kind: 'csv', dialect }, filter);
	})
	.openapi(xlsx, async (c) => download(c, { kind: 'xlsx' }, c.req.valid('query')))
	.openapi(list, async (c) => {
		const { limit, offset, ...filter } = c.req.valid('query');
		const result = unwrap(await listMeasurementRecords(c.var.ctx, filter, { limit, offset }));
		return c.json({ total: result.total, measurements: result.rows.map(forApi(c.var.ctx.programme)) }, 200);
	})
	.openapi(submit, async (c) => {
		const r = await measurements.submitMeasurement(c.var.ctx, rawEntry(c.req.valid('json')), { decimal: '.' });
		return c.json(forApi(c.var.ctx.programme)(unwrap(r)), 201);
	})
	.openapi(importRoute, async (c) => {
		const upload = await uploadOf(c);
		const result = await importMeasurements(c.var.ctx, upload.bytes, {
			fileName: upload.name,
			replace: c.req.valid('query').replace === 'true'
		});
		return c.json(unwrap(result), 200);
	})
	.openapi(bulkReview, async (c) => {
		const { items, decision, comment } = c.req.valid('json');
		const reviewed = unwrap(await reviewMany(c.var.ctx, { items, decision, comment: comment ?? null }));
		return c.json({ reviewed: reviewed.map(forApi(c.var.ctx.programme)) }, 200);
	})
	.openapi(get, async (c) => {
		const m = await measurements.getMeasurement(c.var.ctx, idOf(c));
		if (!m) throw notFound('Meting');
		return c.json(forApi(c.var.ctx.programme)(m), 200);
	})
	.openapi(edit, async (c) => {
		const { version, ...body } = c.req.valid('json');
		const r = await measurements.editMeasurement(c.var.ctx, idOf(c), version, rawEntry(body), { decimal: '.' });
		return c.json(forApi(c.var.ctx.programme)(unwrap(r)), 200);
	})
	.openapi(reviewRoute('approve', 'Een meting goedkeuren'), async (c) => {
		const { version, comment } = c.req.valid('json');
		const review = await measurements.reviewMeasurement(c.var.ctx, idOf(c), version, {
			decision: 'approve',
			comment: comment ?? null
		});
		return c.json(forApi(c.var.ctx.programme)(unwrap(review)), 200);
	})
	.openapi(reviewRoute('return', 'Een meting teruggeven aan de indiener'), async (c) => {
		const { version, comment } = c.req.valid('json');
		const review = await measurements.reviewMeasurement(c.var.ctx, idOf(c), version, {
			decision: 'return',
			comment: comment ?? null
		});
		return c.json(forApi(c.var.ctx.programme)(unwrap(review)), 200);
	});
