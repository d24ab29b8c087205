/**
 * `npm run bench:peiling [-- --respondents N] [--concurrency N] [--think-ms N]`: 500 respondents (default)
 * answer one poll over HTTP against the built server, 25 at a time (default), on SQLite and (with
 * TEST_DATABASE_URL) PostgreSQL. Each respondent opens the page (which gives its device cookie), reads and taps for about `--think-ms` (default 2000, ±50 %), sends its answers and follows
 * the redirect to the thanks page with the group result, as a phone does. `--think-ms 0` is the stress case:
 * 25 requests always in flight. Prints throughput, p50/p95/max of the answer POSTs (and of the page
 * and thanks GETs), queries per answer and errors, and checks the database holds exactly 500 answers. Budget:
 * 0 errors, answer p95 < 200 ms, all 500 within 60 s; exits 1 when one is missed. Needs `npm run build`.
 *
 * The server keeps the per-poll limit's default (POLL_FLOOD_LIMIT, 1000 answers per minute: 500 within a
 * minute is what it must admit) and is started with the per-address limit raised (POLL_ADDRESS_LIMIT), since
 * every request here comes from 127.0.0.1 and `--respondents` may exceed one address's 600 per 10 minutes.
 * The limits' own cost (a keyed hash and two map look-ups) stays in every request.
 */
import { DIALECTS, migratedDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { ANSWER, createTestPoll, openPoll, responsesOf, sendAnswers } from '../helpers/poll-respondents.ts';
import { startServer } from '../helpers/server.ts';

const flag = (name: string, fallback: number) => {
	const at = process.argv.indexOf(`--${name}`);
	return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const RESPONDENTS = flag('respondents', 500);
const CONCURRENCY = flag('concurrency', 25);
/** a respondent reads and taps between opening the page and sending: on average this long (±50 %) */
const THINK_MS = flag('think-ms', 2000);
const BUDGET = { p95Ms: 200, totalMs: 60_000 };
const RAISED = { POLL_ADDRESS_LIMIT: '1000000' };

const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const ms = (n: number) => `${n.toFixed(1)} ms`;

let missed = false;
console.log(
	`bench:peiling — ${RESPONDENTS} respondents, ${CONCURRENCY} at once, ~${THINK_MS} ms between opening and sending; limits raised for the bench: ${Object.entries(
		RAISED
	)
		.map(([k, v]) => `${k}=${v}`)
		.join(', ')}`
);
for (const dialect of DIALECTS) {
	const db = await migratedDb(dialect);
	await loadBothPlans(db);
	const { id, code } = await createTestPoll(db.db, { maxAnswers: 2000 });
	const server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false', QUERY_STATS: 'true', ...RAISED });
	try {
		const posts: number[] = [];
		const gets: number[] = [];
		const thanks: number[] = [];
		const queries: number[] = [];
		const errors: string[] = [];
		let next = 0;
		const respondent = async (i: number) => {
			let t = performance.now();
			const page = await openPoll(server.url, code);
			gets.push(performance.now() - t);
			if (page.status !== 200 || !page.device) return void errors.push(`GET ${i}: ${page.status}`);
			await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));
			t = performance.now();
			const sent = await sendAnswers(
				server.url,
				code,
				{ ...ANSWER, keuze: String((i % 5) + 1) },
				{ device: page.device }
			);
			posts.push(performance.now() - t);
			queries.push(Number(sent.headers.get('x-query-count')));
			if (sent.status !== 303) return void errors.push(`POST ${i}: ${sent.status} ${sent.body.slice(0, 120)}`);
			// the browser follows the redirect to the thanks, which counts the answers so far for the group result
			t = performance.now();
			const after = await openPoll(server.url, code, { device: page.device });
			thanks.push(performance.now() - t);
			if (after.status !== 200 || !after.body.includes('Bedankt!')) errors.push(`thanks ${i}: ${after.status}`);
		};
		const started = performance.now();
		await Promise.all(
			Array.from({ length: CONCURRENCY }, async () => {
				while (next < RESPONDENTS) {
					const i = next++;
					await respondent(i).catch((e: Error) => errors.push(`${i}: ${e.message}`));
				}
			})
		);
		const total = performance.now() - started;
		const stored = (await responsesOf(db.db, id)).length;
		if (stored !== RESPONDENTS) errors.push(`stored ${stored} answers, expected ${RESPONDENTS}`);
		for (const list of [posts, gets, thanks]) list.sort((a, b) => a - b);
		const p95 = percentile(posts, 0.95);
		console.log(
			`\n${dialect}: ${RESPONDENTS} respondents in ${(total / 1000).toFixed(1)} s (${((RESPONDENTS / total) * 1000).toFixed(1)} respondents/s)`
		);
		console.log(
			`  answer POST: p50 ${ms(percentile(posts, 0.5))}, p95 ${ms(p95)}, max ${ms(posts.at(-1)!)}; queries per answer ${Math.max(...queries)}`
		);
		for (const [name, list] of [
			['page GET:  ', gets],
			['thanks GET:', thanks]
		] as const)
			console.log(
				`  ${name} p50 ${ms(percentile(list, 0.5))}, p95 ${ms(percentile(list, 0.95))}, max ${ms(list.at(-1)!)}`
			);
		console.log(
			`  stored ${stored}; errors ${errors.length}${errors.length ? `: ${errors.slice(0, 5).join(' | ')}` : ''}`
		);
		const over = [
			errors.length > 0 && 'errors',
			p95 >= BUDGET.p95Ms && `p95 ≥ ${BUDGET.p95Ms} ms`,
			total >= BUDGET.totalMs && `took ≥ ${BUDGET.totalMs / 1000} s`
		].filter(Boolean);
		console.log(`  budget: ${over.length ? `MISSED (${over.join(', ')})` : 'met'}`);
		if (over.length) missed = true;
	} finally {
		await server.stop();
		await db.drop();
	}
}
process.exit(missed ? 1 : 0);
