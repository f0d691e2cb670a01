/**
 * One small session API over the three engines' system browsers, on Debian
 * packages only (Playwright drives only its own Firefox and WebKit builds,
 * which cannot be downloaded here):
 *
 * - Chromium (`chromium`): puppeteer-core over CDP.
 * - Firefox (`firefox-esr`): puppeteer-core over WebDriver BiDi, no geckodriver.
 * - WebKit (`webkit2gtk-driver`): WebKitWebDriver driving WebKitGTK's
 *   MiniBrowser with selenium-webdriver, under Xvfb when there is no display.
 *
 * Environment variables point at other binaries: AE_DEMO_BROWSER (Chromium),
 * AE_DEMO_FIREFOX, AE_DEMO_WEBKIT_DRIVER and AE_DEMO_WEBKIT_BINARY (or, on a
 * Mac, AE_DEMO_WEBKIT_DRIVER=safaridriver with AE_DEMO_WEBKIT_BROWSER=safari).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { Builder, Key, Origin, type WebDriver } from 'selenium-webdriver';
import { CHROMIUM_ARGS } from '../chromium.ts';

export type EngineName = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: readonly EngineName[] = ['chromium', 'firefox', 'webkit'];

/** A point in CSS pixels of the viewport. */
export interface Point {
  x: number;
  y: number;
}

/** The keys the suite presses. */
export type KeyName = 'ArrowRight' | 'ArrowLeft' | 'ArrowUp' | 'ArrowDown' | 'Escape';

/** One browser with one tab, driven the same way in every engine. */
export interface Session {
  engine: EngineName;
  /** Browser name and version, as the driver reports it. */
  version: string;
  open(url: string): Promise<void>;
  /** Calls `window.__probe[name](...args)` (tests/engines/probe.js) in the page. */
  call<T>(name: string, ...args: unknown[]): Promise<T>;
  /** Evaluates a JavaScript expression in the page (a promise is awaited); its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Moves the pointer to `at` with no button pressed. */
  hover(at: Point): Promise<void>;
  /** A stroke with the primary button held: down at the first point, up at the last. */
  stroke(path: Point[]): Promise<void>;
  /** Presses and releases each key, in order, on the focused element. */
  press(...keys: KeyName[]): Promise<void>;
  /** Console errors that reached the driver from the page or its workers (not WebKitGTK's). */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** What a session is started with. */
export interface SessionOptions {
  /** `LANG` of the browser process (WebKitGTK takes navigator.language from it). */
  lang: string;
  width: number;
  height: number;
}

const probeCall = (name: string, args: unknown[]) =>
  `window.__probe[${JSON.stringify(name)}](...${JSON.stringify(args)})`;

/** Starts a session of `engine`; the error says which package to install when a binary is missing. */
export function startSession(engine: EngineName, options: SessionOptions): Promise<Session> {
  switch (engine) {
    case 'chromium':
      return puppeteerSession(
        engine,
        'chrome',
        binary('AE_DEMO_BROWSER', '/usr/bin/chromium', 'apt-get install chromium'),
        options,
      );
    case 'firefox':
      return puppeteerSession(
        engine,
        'firefox',
        binary('AE_DEMO_FIREFOX', '/usr/bin/firefox-esr', 'apt-get install firefox-esr'),
        options,
      );
    case 'webkit':
      return webkitSession(options);
  }
}

function binary(variable: string, fallback: string, install: string): string {
  const path = process.env[variable] ?? fallback;
  if (path.includes('/') && !existsSync(path)) {
    throw new Error(`${path} does not exist: ${install}, or set ${variable} to the browser.`);
  }
  return path;
}

async function puppeteerSession(
  engine: EngineName,
  browserName: 'chrome' | 'firefox',
  executablePath: string,
  { lang, width, height }: SessionOptions,
): Promise<Session> {
  const browser: Browser = await puppeteer.launch({
    browser: browserName,
    executablePath,
    headless: true,
    env: { ...process.env, LANG: lang, LANGUAGE: '', LC_ALL: '' },
    defaultViewport: { width, height },
    args:
      browserName === 'chrome'
        ? [...CHROMIUM_ARGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])]
        : [],
    extraPrefsFirefox: {
      // No update checks, telemetry or remote settings from a test browser.
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
    },
  });
  const page: Page = (await browser.pages())[0] ?? (await browser.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) =>
    consoleErrors.push(error instanceof Error ? error.message : String(error)),
  );
  page.on('workercreated', (worker) => {
    worker.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`worker: ${message.text()}`);
    });
  });
  return {
    engine,
    version: await browser.version(),
    consoleErrors,
    async open(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    call: <T>(name: string, ...args: unknown[]) =>
      page.evaluate(probeCall(name, args)) as Promise<T>,
    evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
    async hover({ x, y }) {
      await page.mouse.move(x, y);
    },
    async stroke(path) {
      await page.mouse.move(path[0].x, path[0].y);
      await page.mouse.down();
      for (const p of path.slice(1)) await page.mouse.move(p.x, p.y);
      await page.mouse.up();
    },
    async press(...keys) {
      for (const key of keys) await page.keyboard.press(key);
    },
    close: () => browser.close(),
  };
}

const WEBDRIVER_KEYS: Record<KeyName, string> = {
  ArrowRight: Key.ARROW_RIGHT,
  ArrowLeft: Key.ARROW_LEFT,
  ArrowUp: Key.ARROW_UP,
  ArrowDown: Key.ARROW_DOWN,
  Escape: Key.ESCAPE,
};

async function webkitSession({ lang, width, height }: SessionOptions): Promise<Session> {
  const driverPath = binary(
    'AE_DEMO_WEBKIT_DRIVER',
    '/usr/bin/WebKitWebDriver',
    'apt-get install webkit2gtk-driver',
  );
  const browserName = process.env.AE_DEMO_WEBKIT_BROWSER ?? 'MiniBrowser';
  const children: ChildProcess[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: lang, LANGUAGE: '', LC_ALL: '' };
  if (browserName === 'MiniBrowser' && !process.env.DISPLAY) {
    const display = await startXvfb(children);
    env.DISPLAY = display;
  }
  const port = await freePort();
  const driverProcess = spawn(driverPath, [`--port=${port}`], { env, stdio: 'ignore' });
  children.push(driverProcess);
  const stop = () => {
    for (const child of children.reverse()) child.kill();
  };
  try {
    await waitForPort(port, driverProcess);
    const capabilities =
      browserName === 'MiniBrowser'
        ? {
            browserName,
            'webkitgtk:browserOptions': {
              binary: binary(
                'AE_DEMO_WEBKIT_BINARY',
                '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
                'apt-get install webkit2gtk-driver',
              ),
              args: ['--automation'],
            },
          }
        : { browserName };
    const driver: WebDriver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities(capabilities)
      .build();
    await driver.manage().window().setRect({ x: 0, y: 0, width, height });
    const caps = await driver.getCapabilities();
    const pointer = () => driver.actions({ async: true });
    const evaluate = async <T>(expression: string): Promise<T> => {
      // Promises are awaited in the page and settle through the async script's callback.
      const outcome = (await driver.executeAsyncScript(
        `const done = arguments[arguments.length - 1];
         Promise.resolve().then(() => ${expression}).then(
           (value) => done({ value: value === undefined ? null : value }),
           (error) => done({ error: String(error && error.stack || error) }));`,
      )) as { value?: T; error?: string };
      if (outcome.error !== undefined) throw new Error(outcome.error);
      return outcome.value as T;
    };
    return {
      engine: 'webkit',
      version: `${caps.get('browserName')}/${caps.get('browserVersion')}`,
      consoleErrors: [],
      async open(url) {
        await driver.get(url);
      },
      call: <T>(name: string, ...args: unknown[]) => evaluate<T>(probeCall(name, args)),
      evaluate,
      async hover({ x, y }) {
        await pointer()
          .move({ x: Math.round(x), y: Math.round(y), origin: Origin.VIEWPORT })
          .perform();
      },
      async stroke(path) {
        let actions = pointer()
          .move({ x: Math.round(path[0].x), y: Math.round(path[0].y), origin: Origin.VIEWPORT })
          .press();
        for (const p of path.slice(1)) {
          actions = actions.move({
            x: Math.round(p.x),
            y: Math.round(p.y),
            origin: Origin.VIEWPORT,
            duration: 16,
          });
        }
        await actions.release().perform();
      },
      async press(...keys) {
        await driver
          .actions({ async: true })
          .sendKeys(...keys.map((k) => WEBDRIVER_KEYS[k]))
          .perform();
      },
      async close() {
        try {
          await driver.quit();
        } finally {
          stop();
        }
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}

/** Starts Xvfb on a free display number; its DISPLAY value. */
async function startXvfb(children: ChildProcess[]): Promise<string> {
  for (let n = 90 + (process.pid % 100); n < 400; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const xvfb = spawn('Xvfb', [`:${n}`, '-screen', '0', '1600x1200x24', '-nolisten', 'tcp'], {
      stdio: 'ignore',
    });
    children.push(xvfb);
    const ready = await new Promise<boolean>((resolve) => {
      const started = Date.now();
      const check = () => {
        if (xvfb.exitCode !== null) resolve(false);
        else if (existsSync(`/tmp/.X11-unix/X${n}`)) resolve(true);
        else if (Date.now() - started > 10_000) resolve(false);
        else setTimeout(check, 50);
      };
      xvfb.once('error', () => resolve(false));
      check();
    });
    if (ready) return `:${n}`;
    xvfb.kill();
  }
  throw new Error('Xvfb did not start: apt-get install xvfb, or set DISPLAY.');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the WebDriver exited (${child.exitCode})`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() - started > 20_000) throw new Error('the WebDriver did not start in 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}
