import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { parsePollTemplates, storePollTemplates, type PollTemplate } from '../../src/lib/domain/poll.ts';

/**
 * Puts a poll template into a loaded seed plan's programme (the seeds get their own through the plan loader):
 * a choice on the `leeftijd` dimension, a scale and a yes/no question on two of its measured percent
 * indicators, and an open question. Answers the template and the indicator codes it feeds.
 */
export async function addPollTemplate(db: Kysely<Database>, slug: string, key = 'druk-in-de-klas') {
	const programme = await db.selectFrom('programmes').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
	const percent = await db
		.selectFrom('indicators')
		.select('code')
		.where('programme_id', '=', programme.id)
		.where('unit', '=', 'percent')
		.where('derived', 'is', null)
		.where('archived_at', 'is', null)
		.orderBy('code')
		.limit(2)
		.execute();
	if (percent.length < 2) throw new Error(`${slug}: fewer than two measured percent indicators`);
	const [druk, praten] = percent.map((i) => i.code);
	const template: PollTemplate = {
		key,
		name: 'Peiling druk in de klas',
		intro: 'Een paar vragen over hoe jij je voelt op school. Je naam vragen we niet.',
		questions: [
			{ key: 'groep', kind: 'choice', text: 'Hoe oud ben je?', dimension: 'leeftijd' },
			{ key: 'druk', kind: 'scale', text: 'Ik voel vaak druk om goede cijfers te halen.', indicator: druk },
			{ key: 'praten', kind: 'yesno', text: 'Ik weet met wie ik kan praten als ik me zorgen maak.', indicator: praten }
		],
		openQuestion: 'Wil je nog iets kwijt? Schrijf geen namen op.'
	};
	const others = parsePollTemplates(programme.poll_templates).filter((t) => t.key !== key);
	await db
		.updateTable('programmes')
		.set({ poll_templates: storePollTemplates([...others, template]) })
		.where('id', '=', programme.id)
		.execute();
	return { template, indicators: { druk, praten } };
}
