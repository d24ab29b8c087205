import { applyAction, deserialize } from '$app/forms';
import { invalidateAll } from '$app/navigation';

/**
 * Sends a form with XMLHttpRequest instead of fetch, because only XHR reports upload progress: a large
 * file shows how far it is, then that the server is checking it. The answer is the form action's.
 */
export class Upload {
	/** 0–1 while sending; null when idle */
	sent = $state<number | null>(null);
	checking = $state(false);

	submit = (event: SubmitEvent & { currentTarget: HTMLFormElement }) => {
		const form = event.currentTarget;
		event.preventDefault();
		const xhr = new XMLHttpRequest();
		xhr.open('POST', form.action);
		xhr.setRequestHeader('accept', 'application/json');
		xhr.setRequestHeader('x-sveltejs-action', 'true');
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) this.sent = e.loaded / e.total;
		};
		xhr.upload.onload = () => {
			this.sent = 1;
			this.checking = true;
		};
		const done = async () => {
			this.sent = null;
			this.checking = false;
		};
		xhr.onload = async () => {
			await done();
			const result = deserialize(xhr.responseText);
			if (result.type === 'success') await invalidateAll();
			await applyAction(result);
		};
		xhr.onerror = async () => {
			await done();
			await applyAction({
				type: 'error',
				error: { message: 'De verbinding viel weg tijdens het uploaden; er is niets geïmporteerd.' }
			});
		};
		xhr.send(new FormData(form));
	};
}
