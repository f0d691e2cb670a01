import '../src/components/ae-demo/ae-demo.ts';

// Offline after the first visit: scripts/build-sw.mjs writes ae-demo-sw.js next
// to index.html in the built site (none in `vite dev`). A relative URL, so the
// site works under any sub-path; registered after load, so its precaching does
// not compete with the page's own first downloads.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('./ae-demo-sw.js').catch((error: unknown) => {
      const why = error instanceof Error ? error.message : String(error);
      console.warn(`ae-demo: this page will not work offline (${why}).`);
    });
  });
}
