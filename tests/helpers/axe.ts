import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { z } from 'zod';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const Violations = z.array(
	z.object({
		id: z.string(),
		impact: z.string().nullable().optional(),
		help: z.string(),
		nodes: z.array(z.object({ target: z.array(z.unknown()) }))
	})
);

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now (its default
 * rules plus label-content-name-mismatch), each as "rule: help (selectors)" so a failing assertion names what to fix.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
	// evaluated through the DevTools protocol: the app's Content-Security-Policy rightly refuses a script tag
	await page.evaluate(axeSource);
	const raw = await page.evaluate(async () => {
		const axe = (globalThis as unknown as { axe: { run: (o: object) => Promise<{ violations: unknown }> } }).axe;
		// label-content-name-mismatch is experimental in axe-core (off by default); the issue asks for it
		const rules = { 'label-content-name-mismatch': { enabled: true } };
		return (await axe.run({ resultTypes: ['violations'], rules })).violations;
	});
	return Violations.parse(raw)
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
