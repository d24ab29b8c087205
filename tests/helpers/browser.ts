import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { missing } from './environment.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const hasChromium = () =>
	existsSync(CHROMIUM) || missing('Chromium', `install it with apt-get install -y chromium (looked for ${CHROMIUM})`);

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}
