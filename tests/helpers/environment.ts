import { join } from 'node:path';

/**
 * Tests that need an outside service (PostgreSQL, Chromium) skip locally with a message saying what is
 * missing, and fail loudly in CI (CI=true), where .ci/run installs both.
 */
export const inCi = process.env.CI === 'true';

export function missing(what: string, hint: string): false {
	const message = `${what} is not available: ${hint}`;
	if (inCi) throw new Error(`CI needs ${message}`);
	console.warn(`[skipped] ${message}`);
	return false;
}

/** Scratch folder for test databases and files (git-ignored). */
export const TMP = join(process.cwd(), 'tests/.tmp');
