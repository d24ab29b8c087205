import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['tests/**/*.test.ts'],
		// integration and browser tests share one built server and real databases: run files one at a time
		fileParallelism: false,
		testTimeout: 30_000,
		hookTimeout: 120_000
	}
});
