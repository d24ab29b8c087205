import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import type { RequestHandler } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { publicOrigin } from '$lib/server/public-origin';
import { pollDetail } from '$lib/server/services/poll.service';
import { idFromPath } from '$lib/domain/ids';
import { notFoundMessage } from '$lib/domain/result';

/** The QR code of a poll's public link, as SVG made by the qrcode package from our own URL (no user text in it). */
export const GET: RequestHandler = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'poll:run');
	const id = idFromPath(event.params.id);
	const poll = id === null ? null : await pollDetail(ctx, id, { origin: publicOrigin(event.url) });
	if (!poll?.link) error(404, notFoundMessage('Peiling'));
	const svg = await QRCode.toString(poll.link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
	return new Response(svg, {
		headers: { 'content-type': 'image/svg+xml', 'cache-control': 'private, max-age=3600' }
	});
};
