import { error } from '@sveltejs/kit';

/**
 * The form a page action was sent. A body that does not parse as a form (a broken multipart upload, a
 * hand-made request) is the sender's mistake: a 400 with a Dutch message, not a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch (e) {
		if ((e as { status?: unknown }).status === 413) error(413, 'Het bestand is te groot voor deze server (hoogstens 64 MB). Splits het in kleinere bestanden.');
		error(400, 'Het formulier kon niet gelezen worden. Laad de pagina opnieuw en probeer het nog eens.');
	}
}
