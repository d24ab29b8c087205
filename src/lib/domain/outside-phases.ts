import { parseDate } from './dutch-format.ts';
import { phaseOnSave, type PhaseSpan } from './phase-calendar.ts';

/**
 * A record dated in no phase of the programme (the summer between two school years) counts in no phase, only
 * in the "buiten de fasen" bucket. The server-rendered forms say so before saving and save on a second
 * submit that carries the date confirmed in this hidden field; the API saves as asked.
 */
export const CONFIRM_DATE_FIELD = 'bevestigDatum';

export const outsidePhasesNotice = (what: 'actie' | 'meting') =>
	`Deze datum valt buiten de fasen (bijv. de zomervakantie): de ${what} telt dan in geen fase mee, alleen onder 'buiten de fasen'. Klopt de datum? Kies opnieuw Opslaan om te bevestigen.`;

/**
 * The ISO date to confirm before saving, or null: null for a date in a phase (as `phaseOnSave` finds it,
 * the rule the JavaScript form shows), an unreadable date (the service refuses it with its own message) and
 * a date already confirmed.
 */
export function dateToConfirm(
	raw: string | undefined,
	confirmed: string | undefined,
	phases: readonly (PhaseSpan & { name: string; schoolYear: string })[]
): string | null {
	const parsed = parseDate(raw ?? '');
	if (!parsed.ok) return null;
	if (phaseOnSave(parsed.value, phases) !== null) return null;
	return confirmed === parsed.value ? null : parsed.value;
}
