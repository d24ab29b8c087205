import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { NUL_MESSAGE, nulPath } from '../domain/input-rules.ts';
import type { Library, Plan } from '../domain/plan.schema.ts';
import { validateLibrary, validatePlan, type PlanIssue, type Validated } from '../domain/plan-validation.ts';

export const LIBRARY_FILE = 'library.yaml';

/** A plan or library file that cannot be loaded: which file, which field, why. */
export class PlanFileError extends Error {
	constructor(
		readonly file: string,
		readonly issues: PlanIssue[]
	) {
		super(`${file}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
	}
}

function readYaml(file: string): unknown {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		throw new PlanFileError(file, [
			{
				path: '(bestand)',
				message: `kan het bestand niet lezen (${(e instanceof Error && 'code' in e ? e.code : undefined) ?? e})`
			}
		]);
	}
	return parseYaml(file, text);
}

function parseYaml(file: string, text: string): unknown {
	let doc: unknown;
	try {
		doc = parse(text);
	} catch (e) {
		if (e instanceof YAMLParseError) {
			const line = e.linePos?.[0]?.line;
			throw new PlanFileError(file, [
				{ path: line ? `regel ${line}` : '(bestand)', message: e.message.split('\n')[0] }
			]);
		}
		throw e;
	}
	// YAML can spell a NUL ("\0"), which PostgreSQL cannot store: the same rule as every other input
	const at = nulPath(doc);
	if (at) throw new PlanFileError(file, [{ path: at.join('.') || '(bestand)', message: NUL_MESSAGE }]);
	return doc;
}

function orThrow<T>(file: string, result: Validated<T>): T {
	if (!result.ok) throw new PlanFileError(file, result.issues);
	return result.value;
}

export function readLibraryFile(file: string): Library {
	return orThrow(file, validateLibrary(readYaml(file)));
}

/** Reads and validates a plan file against the library next to it. */
export function readPlanFile(
	file: string,
	libraryFile = join(dirname(file), LIBRARY_FILE)
): { plan: Plan; library: Library } {
	const library = readLibraryFile(libraryFile);
	return { plan: orThrow(file, validatePlan(readYaml(file), library)), library };
}

/** Validates an uploaded plan (`name` is how errors refer to it) against a library file. */
export function parsePlanText(name: string, text: string, libraryFile: string): { plan: Plan; library: Library } {
	const library = readLibraryFile(libraryFile);
	return { plan: orThrow(name, validatePlan(parseYaml(name, text), library)), library };
}

/** The programme plan files in a folder (every YAML file but the library), sorted. */
export function planFilesIn(dir: string): string[] {
	return readdirSync(dir)
		.filter((f) => /\.ya?ml$/.test(f) && basename(f) !== LIBRARY_FILE)
		.sort()
		.map((f) => join(dir, f));
}
