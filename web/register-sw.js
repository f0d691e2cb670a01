// Offline after the first visit: scripts/build-sw.mjs writes ae-demo-sw.js next
// to index.html in the built site. A relative URL, so the site works under any
// sub-path; registered after load, so its precaching does not compete with the
// page's own first downloads. Not under `vite dev` (it marks the page), where
// there is no service worker to register.
if ('serviceWorker' in navigator && !document.querySelector('meta[name="ae-demo-dev"]')) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('./ae-demo-sw.js').catch((error) => {
      const why = error instanceof Error ? error.message : String(error);
      console.warn(`ae-demo: this page will not work offline (${why}).`);
    });
  });
}
