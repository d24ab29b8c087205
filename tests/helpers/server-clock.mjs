/**
 * Preloaded (`node --import`) into a built server that a test starts with `startServer(env, { now })`: the
 * server's clock starts at KOMPAS_TEST_NOW and runs on from there, so its "today" is the one the test fixed.
 * Only `Date` moves; timers and I/O are untouched. Test-only: the app itself never reads this variable.
 */
const start = process.env.KOMPAS_TEST_NOW;
if (start) {
	const RealDate = Date;
	const offset = new RealDate(start).getTime() - RealDate.now();
	if (Number.isNaN(offset)) throw new Error(`KOMPAS_TEST_NOW is no instant: ${start}`);
	globalThis.Date = class extends RealDate {
		constructor(...args) {
			if (args.length === 0) super(RealDate.now() + offset);
			else super(...args);
		}
		static now() {
			return RealDate.now() + offset;
		}
	};
}
