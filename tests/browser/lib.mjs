// Shared by the browser tests and the screenshot script: where things are, how the
// reports are rendered, and a page opened in headless Chromium that records every
// console error, page error, CSP violation and request the page makes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import puppeteer from 'puppeteer-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = process.env.BRE_SOURCE_DIR || path.resolve(here, '../..');
export const binaryDir = process.env.BRE_BINARY_DIR || path.join(sourceDir, 'build');
export const nl2016Dir = process.env.BRE_NL2016_DIR || path.resolve(sourceDir, '../shared/data/nl2016');
export const SKIP = 77;  // ctest's SKIP_RETURN_CODE for these tests

export function chromiumPath() {
  for (const candidate of [process.env.BRE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  throw new Error('chromium is not installed; run tools/setup.sh');
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// The standard pipeline on the built-in demo dataset; returns the report's path.
export function renderDemo(out) {
  execFileSync(path.join(binaryDir, 'bin/bre'),
    ['run', path.join(sourceDir, 'examples/pipelines/standard.json'), '--out', out, '--quiet'], { stdio: 'inherit' });
  return path.join(out, 'report.html');
}

export function hasNl2016() {
  return fs.existsSync(path.join(nl2016Dir, 'gemeente_2016_rd.geojson'));
}

// The nl2016 pipeline on the imported public data (tools/run-nl2016.sh); returns the report's path.
export function renderNl2016(out) {
  execFileSync(path.join(sourceDir, 'tools/run-nl2016.sh'), [out, '--quiet'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, BRE_BUILD_DIR: binaryDir, BRE_NL2016_DIR: nl2016Dir },
  });
  return path.join(out, 'run/report.html');
}

export async function launch() {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check'],
  });
}

// Opens `file` in a new page of `browser`. Requests other than the page itself are
// aborted and recorded (blob: URLs are the page's own downloads and pass when
// `allowBlobs`); console errors, page errors and CSP violations are recorded too.
export async function openReport(browser, file, { width = 1400, height = 1000, allowBlobs = false } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  const url = pathToFileURL(file).href;
  const problems = [];
  const requests = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn' || message.type() === 'warning') {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const target = request.url();
    requests.push(target);
    if (target === url || (allowBlobs && target.startsWith('blob:'))) {
      request.continue();
    } else {
      problems.push(`request: ${target}`);
      request.abort();
    }
  });
  await page.evaluateOnNewDocument(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(url, { waitUntil: 'load' });
  const report = {
    page, url, problems, requests,
    // Everything recorded so far, CSP violations included.
    async allProblems() {
      const csp = await page.evaluate(() => window.__cspViolations);
      return problems.concat(csp.map((v) => `CSP violation: ${v}`));
    },
  };
  return report;
}

// A point on screen where `selector` is the element under the mouse (scrolled into view
// first unless `scroll` is false).
export async function pointOn(page, selector, { scroll = true } = {}) {
  return page.evaluate((sel, scrollFirst) => {
    const target = document.querySelector(sel);
    if (!target) return null;
    if (scrollFirst) target.scrollIntoView({ block: 'center' });
    const box = target.getBoundingClientRect();
    for (let fy = 0.5, step = 0; step < 9; step++, fy = 0.5 + ((step % 2 ? 1 : -1) * Math.ceil(step / 2)) / 10) {
      for (let fx = 0.1; fx < 0.95; fx += 0.05) {
        const x = box.left + box.width * fx, y = box.top + box.height * fy;
        if (document.elementFromPoint(x, y) === target) return { x, y };
      }
    }
    return null;
  }, selector, scroll);
}
