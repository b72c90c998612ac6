/**
 * A CSV upload with progress (issue 11): fetch() reports no upload progress,
 * so the form goes through XMLHttpRequest, whose `upload.onprogress` does.
 * The answer is what the plain form post gets: the report (after the 303) is
 * opened; a page with an error notice replaces the current `<main>`.
 */
export function uploadProgress(doc: Document): void {
  const form = doc.querySelector<HTMLFormElement>('form[data-upload-progress]');
  const bar = doc.querySelector<HTMLProgressElement>('progress[data-upload-bar]');
  const status = doc.querySelector<HTMLElement>('[data-upload-status]');
  if (!form || !bar || !status) return;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    bar.hidden = false;
    bar.value = 0;
    xhr.upload.onprogress = (p) => {
      if (!p.lengthComputable) return;
      bar.value = p.loaded / p.total;
      status.textContent = p.loaded < p.total ? `Uploading… ${Math.round((100 * p.loaded) / p.total)} %` : 'Importing…';
    };
    xhr.onload = () => {
      if (xhr.responseURL && new URL(xhr.responseURL).pathname !== new URL(form.action).pathname) {
        location.assign(xhr.responseURL);
        return;
      }
      const main = new DOMParser().parseFromString(xhr.responseText, 'text/html').querySelector('main');
      const here = doc.querySelector('main');
      if (main && here) here.replaceWith(main);
      else status.textContent = `The upload failed (HTTP ${xhr.status}).`;
    };
    xhr.onerror = () => {
      bar.hidden = true;
      status.textContent = 'The upload failed: the collector could not be reached.';
    };
    status.textContent = 'Uploading…';
    xhr.send(new FormData(form));
  });
}
