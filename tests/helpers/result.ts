import type { Result } from '../../src/lib/domain/result.ts';

/** A service's value; a refusal fails the test with its code and message. */
export function valueOf<T>(result: Result<T>): T {
	if (!result.ok)
		throw new Error(
			`refused (${result.refusal.code}): ${result.refusal.message} ${JSON.stringify(result.refusal.issues ?? [])}`
		);
	return result.value;
}
