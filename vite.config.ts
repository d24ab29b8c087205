import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		testTimeout: 30_000,
		hookTimeout: 120_000,
		projects: [
			// pure domain tests: no database, no server, so files run in parallel
			{ extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
			// integration and browser tests share one built server and real databases: files run one at a time
			{
				extends: true,
				test: { name: 'integration', include: ['tests/{integration,e2e}/**/*.test.ts'], fileParallelism: false }
			}
		]
	}
});
