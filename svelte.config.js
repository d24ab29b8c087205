import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: process.env.BUILD_DIR ?? 'build' }),
		// parallel builds (e.g. two work trees' tests) may use their own folders
		outDir: process.env.KIT_OUT_DIR ?? '.svelte-kit',
		// the top level holds no static/ folder: the manifest, icons and offline page live beside the code
		files: { assets: 'src/static' },
		// registered by the root layout, which leaves it out on a poll's public page (src/routes/+layout.svelte)
		serviceWorker: { register: false },
		// the same origin check runs in hooks.server.ts (src/lib/server/origin-check.ts), which can tell a
		// user on another address than ORIGIN what to do instead of a bare 403
		csrf: { trustedOrigins: ['*'] },
		// a fresh nonce per answer: hashing each page's inline hydration script (its data, ~100 kB on a
		// dashboard) cost ~3 ms per page; prerendered pages (none today) would still get hashes
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// SvelteKit's route announcer carries a style attribute; scripts need the answer's nonce
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				// the service worker (src/service-worker.ts) and the web app manifest, both from this origin
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'connect-src': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'object-src': ['none']
			}
		}
	}
};

export default config;
