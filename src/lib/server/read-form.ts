import { error } from '@sveltejs/kit';
import { hasNul, NUL_MESSAGE } from '../domain/input-rules.ts';
import { thrownStatus } from './thrown.ts';

/**
 * The form a page action was sent. A body that does not parse as a form (a broken multipart upload, a
 * hand-made request) is the sender's mistake: a 400 with a Dutch message, not a 500. So is a field holding
 * a NUL character, which PostgreSQL cannot store (SQLite would): no browser types one, so the form is
 * refused as a whole, with the same rule as the API, rather than quietly changed.
 */
export async function readForm(request: Request): Promise<FormData> {
	let form: FormData;
	try {
		form = await request.formData();
	} catch (e) {
		if (thrownStatus(e) === 413)
			error(413, 'Het bestand is te groot voor deze server (hoogstens 64 MB). Splits het in kleinere bestanden.');
		error(400, 'Het formulier kon niet gelezen worden. Laad de pagina opnieuw en probeer het nog eens.');
	}
	for (const [name, value] of form)
		if (hasNul(name) || (typeof value === 'string' && hasNul(value)))
			error(400, `Het veld "${name.replaceAll('\u0000', '')}" ${NUL_MESSAGE}; er is niets opgeslagen.`);
	return form;
}

/**
 * `readForm` for a form that is small by nature and open to anyone (the public poll page): a body larger
 * than `maxBytes` is refused with 413 and `tooLarge`, and no more than `maxBytes` of it is ever held, so an
 * anonymous caller cannot make the server keep the whole BODY_SIZE_LIMIT in memory. The rest is read and
 * dropped: a server that stops reading resets the connection, and the sender would never see the refusal.
 */
export async function readSmallForm(request: Request, maxBytes: number, tooLarge: string): Promise<FormData> {
	const parts: Uint8Array[] = [];
	let size = 0;
	const reader = request.body?.getReader();
	for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
		size += read.value.byteLength;
		if (size <= maxBytes) parts.push(read.value);
	}
	if (size > maxBytes) error(413, tooLarge);
	return readForm(new Request(request.url, { method: 'POST', headers: request.headers, body: Buffer.concat(parts) }));
}
