// The cross-engine suite's in-page half, served as /__probe.js and put first in
// every page's <head> by tests/engines/server.ts: a classic script, so it runs
// before the element's module does. It records what must hold (every ae-* event
// in order, errors of the page and its workers, CSP violations, workers started)
// and gives the Node side small named reads and actions, the same in every
// engine: WebKitGTK's MiniBrowser sends no console output to its driver and
// WebDriver classic has no init scripts, so this page script is how every
// engine is observed alike.
(() => {
  'use strict';
  const log = [];
  const errors = [];
  const violations = [];
  let workers = 0;

  const say = (value) =>
    value instanceof Error ? `${value.name}: ${value.message}` : String(value);

  addEventListener('error', (e) => errors.push(`page: ${e.message || say(e.error)}`));
  addEventListener('unhandledrejection', (e) => errors.push(`page (promise): ${say(e.reason)}`));
  document.addEventListener('securitypolicyviolation', (e) =>
    violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`),
  );
  const consoleError = console.error.bind(console);
  console.error = (...args) => {
    errors.push(`console: ${args.map(say).join(' ')}`);
    consoleError(...args);
  };

  // Uncaught errors in a worker reach its Worker object in the page as `error` events.
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      workers++;
      this.addEventListener('error', (e) => errors.push(`worker: ${e.message || 'error'}`));
    }
  };

  const EVENTS = ['ae-ready', 'ae-error', 'ae-train-epoch', 'ae-trained', 'ae-train-progress'];
  for (const type of EVENTS) {
    addEventListener(type, (e) => {
      const d = e.detail || {};
      const element = [...document.querySelectorAll('ae-demo')].indexOf(e.target);
      const entry = { type, t: performance.now(), element };
      if (type === 'ae-train-epoch') Object.assign(entry, { epoch: d.epoch, epochs: d.epochs });
      if (type === 'ae-train-progress')
        Object.assign(entry, { fraction: d.fraction, epoch: d.epoch, paused: d.paused });
      if (type === 'ae-trained')
        Object.assign(entry, { epochs: d.epochs, samplesPerSecond: d.samplesPerSecond });
      if (type === 'ae-error') Object.assign(entry, { code: d.code, message: d.message });
      log.push(entry);
    });
  }

  const demo = (i = 0) => document.querySelectorAll('ae-demo')[i];
  /** Every match of one compound selector below `scope`, in its shadow roots and theirs too. */
  const deepAll = (scope, compound) => {
    const found = [];
    const search = (root) => {
      found.push(...root.querySelectorAll(compound));
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) search(el.shadowRoot);
    };
    if (scope.shadowRoot) search(scope.shadowRoot);
    search(scope);
    return found;
  };
  /**
   * Every match of `selector` below `root`, where each descendant step may
   * cross into a shadow root (the element's parts), as Playwright's locators do.
   */
  const findAll = (root, selector) => {
    if (!root) return [];
    let scopes = [root];
    for (const compound of selector.match(/(?:[^\s[]+|\[[^\]]*\])+/g)) {
      scopes = [...new Set(scopes.flatMap((scope) => deepAll(scope, compound)))];
    }
    return scopes;
  };
  const find = (selector, i = 0) => findAll(demo(i)?.shadowRoot, selector)[0] ?? null;
  /** The focused element, however many shadow roots deep. */
  const focused = (i) => {
    let el = demo(i).shadowRoot.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el;
  };
  const visible = (el) => !!el && el.getClientRects().length > 0;

  /** The named reads and actions the Node side calls as `__probe.name(…)`. */
  window.__probe = {
    /** Everything recorded so far. */
    state: () => ({
      log,
      errors,
      violations,
      workers,
      language: navigator.language,
      isolated: window.crossOriginIsolated === true,
      sharedMemory: typeof SharedArrayBuffer === 'function',
      cores: navigator.hardwareConcurrency,
    }),
    count: (selector, i) => findAll(demo(i)?.shadowRoot, selector).length,
    text: (selector, i) => find(selector, i)?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
    attr: (selector, name, i) => find(selector, i)?.getAttribute(name) ?? null,
    visible: (selector, i) => visible(find(selector, i)),
    setAttribute: (name, value, i) => demo(i).setAttribute(name, value),
    removeAttribute: (name, i) => demo(i).removeAttribute(name),
    /** The page URL's fragment, and a new one as a reader's navigation sets it (url-state). */
    hash: () => location.hash,
    setHash: (hash) => {
      location.hash = hash;
    },
    /** The value of an input in the element. */
    value: (selector, i) => find(selector, i)?.value ?? null,
    /** Distinct red levels of a canvas: 1 when blank, dozens for drawn digits. */
    greyLevels: (selector, i) => {
      const c = find(selector, i);
      if (!c) return 0;
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const levels = new Set();
      for (let k = 0; k < data.length; k += 4) levels.add(data[k]);
      return levels.size;
    },
    /** Scrolls the element into the middle of the viewport; its box in viewport pixels. */
    rect: (selector, i) => {
      const el = find(selector, i);
      if (!el) return null;
      el.scrollIntoView({ block: 'center', inline: 'center' });
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    },
    focus: (selector, i) => {
      const el = find(selector, i);
      if (!el) return false;
      el.scrollIntoView({ block: 'center' });
      el.focus();
      return focused(i) === el;
    },
    /** Clicks the enabled button whose text is `label`; false if there is none. */
    clickButton: (label, i) => {
      const button = findAll(demo(i)?.shadowRoot, 'button').find(
        (b) => b.textContent.replace(/\s+/g, ' ').trim() === label && !b.disabled && visible(b),
      );
      button?.click();
      return !!button;
    },
  };
})();
