import { openCount, type DueList } from './due.ts';
import { plural } from './dutch-format.ts';
import { FREQUENCY_LABEL } from './kompas.ts';
import { formatDate } from './phase-calendar.ts';

/** The reminder e-mail: "Wat staat er open" as plain text. */
export interface Digest {
	subject: string;
	text: string;
	/** nothing is open: no reason to send */
	empty: boolean;
}

export function formatDigest(programme: { name: string; slug: string }, due: DueList, baseUrl: string | null): Digest {
	const n = openCount(due);
	const link = (path: string) => (baseUrl ? ` — ${baseUrl.replace(/\/$/, '')}/p/${programme.slug}${path}` : '');
	const lines: string[] = [`Wat staat er open bij ${programme.name} (${formatDate(due.today)})`, ''];
	if (due.moment)
		lines.push(
			`Huidig evaluatiemoment: ${formatDate(due.moment.evaluationDate)}, na fase ${due.moment.name} ${due.moment.schoolYear}.`,
			''
		);
	lines.push(`Evaluaties (${due.evaluations.length})`);
	for (const e of due.evaluations)
		lines.push(
			`- ${e.overdue ? 'TE LAAT' : 'te doen'}: ${e.nextStep} (thema ${e.theme}), fase ${e.phase.name} ${e.phase.schoolYear}, evaluatiemoment ${formatDate(e.phase.evaluationDate)}${link(`/evaluaties/${e.nextStepId}/${e.phase.id}`)}`
		);
	if (!due.evaluations.length) lines.push('- geen');
	lines.push('', `Vervolgacties over de deadline (${due.followUps.length})`);
	for (const f of due.followUps)
		lines.push(
			`- ${f.description} — eigenaar ${f.owner}, deadline ${formatDate(f.deadline)} (${f.nextStep}, ${f.phase})`
		);
	if (!due.followUps.length) lines.push('- geen');
	const waiting = (status: 'submitted' | 'returned', total: number, title: string, path: string) => {
		lines.push('', `${title} (${total})${total ? link(path) : ''}`);
		const items = due.measurements.items.filter((m) => m.status === status);
		for (const m of items)
			lines.push(
				`- ${m.indicator} ${m.indicatorName}, ${m.regionName}, ${formatDate(m.date)}${m.by ? ` (${m.by})` : ''}`
			);
		if (total > items.length) lines.push(`- en nog ${total - items.length}`);
		if (!total) lines.push('- geen');
	};
	waiting('submitted', due.measurements.toReview, 'Metingen te beoordelen', '/metingen/beoordelen');
	waiting(
		'returned',
		due.measurements.returned,
		'Teruggestuurde metingen, wachten op de indiener',
		'/metingen?status=returned'
	);
	lines.push('', `Metingen die deze fase aan de beurt zijn (${due.indicators.length})`);
	for (const i of due.indicators)
		lines.push(
			`- ${i.code} ${i.name} (${FREQUENCY_LABEL[i.frequency] ?? i.frequency}${i.owner ? `, ${i.owner}` : ''}): uiterlijk ${formatDate(i.dueDate)}${i.overdue ? ', te laat' : ''}`
		);
	if (!due.indicators.length) lines.push('- geen');
	lines.push('', `Het hele overzicht${link('/evaluaties/open') || ': Kompas Monitor › Wat staat er open'}`);
	return {
		subject: `Kompas Monitor · ${programme.name}: ${n === 0 ? 'niets open' : `${plural(n, 'punt', 'punten')} open`}`,
		text: lines.join('\n'),
		empty: n === 0
	};
}
