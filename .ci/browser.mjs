// Drives Debian's chromium (playwright-core) over a built site served on 127.0.0.1:
//   node .ci/browser.mjs SITE_DIR SCREENSHOT_DIR
// - fails when a page has a <script> or an inline event handler: pages work without JavaScript;
// - runs axe-core on AXE_PAGES in light and dark and fails on any serious or critical violation;
// - checks what axe does not see inside charts: text 4.5:1 on what is behind it, bars and lines 3:1;
// - walks a page with the keyboard: skip link first and working, a focus outline on every stop;
// - fails when anything a page loads (stylesheet, fonts, icon) is missing, or it logs an error;
// - saves full-page screenshots of SHOT_PAGES at each width and scheme, and a print PDF of a report.
import { createServer } from 'node:http';
import { readFile, readdir, mkdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

// Pages axe checks, relative to the site root. Add new kinds of page here. AXE_PAGES in the
// environment (paths separated by spaces) checks those instead: a second theme's own pages.
const AXE_PAGES = process.env.AXE_PAGES ? process.env.AXE_PAGES.split(/\s+/).filter(Boolean) : [
  'index.html',
  'reports/index.html',
  'reports/2026-10/index.html',
  'reports/2026-q3/index.html',
  'cases/index.html',
  'cases/contoso-logistics/index.html',
  'about/index.html',
  'methodology/index.html',
  'segments/index.html',
  'segments/channel/email/index.html',
  'events/index.html',
  'events/video-walkthroughs-replace-written-onboarding-docs/index.html',
  'comments/index.html',
  'comments/page/2/index.html',
  'data-quality/index.html',
  'scorecard/index.html',
];
// Pages screenshotted, with the file name they get.
const SHOT_PAGES = [
  ['dashboard', 'index.html'],
  ['report', 'reports/2026-10/index.html'],
];
// How axe sees each page: both colour schemes, and a phone (narrow charts, scrolling tables).
const AXE_VIEWS = [
  { width: 1280, scheme: 'light' },
  { width: 1280, scheme: 'dark' },
  { width: 390, scheme: 'light' },
];
const WIDTHS = [1280, 390];
const SCHEMES = ['light', 'dark'];
// What fails the build; moderate and minor findings are printed only.
const FATAL = new Set(['serious', 'critical']);
const PRINT_PAGE = 'reports/2026-10/index.html';
// The page walked with the keyboard, and for how many Tabs past the skip link.
const KEYBOARD_PAGE = 'reports/2026-10/index.html';
const TAB_STEPS = 6;

const [siteArg, shotsArg] = process.argv.slice(2);
if (!siteArg || !shotsArg) {
  console.error('usage: node .ci/browser.mjs SITE_DIR SCREENSHOT_DIR');
  process.exit(2);
}
const site = resolve(siteArg);
const shots = resolve(shotsArg);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
let failures = 0;
const fail = (message) => {
  failures += 1;
  console.log(`  FAIL ${message}`);
};

// 1. No JavaScript anywhere in the site's pages.
async function* htmlFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* htmlFiles(path);
    else if (entry.name.endsWith('.html')) yield path;
  }
}
let pages = 0;
const scripted = failures;
for await (const file of htmlFiles(site)) {
  pages += 1;
  const html = await readFile(file, 'utf8');
  // Text cannot hold a raw "<", so `<[^>]*` stays inside one tag.
  const found = html.match(/<script\b|<[^>]*\son[a-z]+\s*=|<[^>]*=\s*["']?\s*javascript:/i);
  if (found) fail(`${relative(site, file)}: "${found[0].slice(-40).trim()}": pages must work without JavaScript`);
}
console.log(`JavaScript: in ${failures - scripted} of ${pages} pages`);

// 2. A static server: relative links resolve as they will on a real host.
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.woff2': 'font/woff2', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.xml': 'application/xml', '.csv': 'text/csv', '.png': 'image/png',
};
const server = createServer(async (req, res) => {
  try {
    let path = join(site, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (path !== site && !path.startsWith(site + sep)) throw new Error('outside the site');
    if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': TYPES[extname(path)] || 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
});
await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
const origin = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath,
  // As root in a container, without a network: no sandbox, no background connections.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
console.log(`chromium ${browser.version()} on ${origin} at ${elapsed()}`);

async function open(path, { width, scheme }) {
  const context = await browser.newContext({
    viewport: { width, height: 900 }, deviceScaleFactor: 1, colorScheme: scheme, reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.on('response', (response) => {
    if (response.status() >= 400) fail(`${path}: ${response.url().replace(origin, '/')} answered ${response.status()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') fail(`${path}: console error: ${message.text()}`);
  });
  await page.goto(origin + path, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  return { page, context };
}

// Contrast inside the inline SVG charts, which axe leaves alone (they are role="img"): each text
// against the bar under it or the figure, each bar and series line against the figure (WCAG 1.4.3,
// 1.4.11). Runs in the page; returns one line per figure and colour pair that falls short.
function chartContrast() {
  const rgb = (css) => (css.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = (c) => c.map((v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => {
    const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const found = new Map();
  const note = (figure, what, fg, bg, min, example) => {
    const r = ratio(fg, bg);
    if (r >= min) return;
    const key = `#${figure.id} ${what} ${fg} on ${bg}: ${r.toFixed(2)}:1, needs ${min}:1`;
    found.set(key, [...(found.get(key) || []), example]);
  };
  for (const svg of document.querySelectorAll('.chart svg')) {
    if (!svg.getClientRects().length) continue; // the drawing for the other width
    const figure = svg.closest('.figure');
    const paper = getComputedStyle(figure).backgroundColor;
    const bars = [...svg.querySelectorAll('rect[data-series]')];
    for (const text of svg.querySelectorAll('text')) {
      const t = text.getBBox();
      const [x, y] = [t.x + t.width / 2, t.y + t.height / 2];
      const bar = bars.find((r) => {
        const b = r.getBBox();
        return x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height;
      });
      const behind = bar ? getComputedStyle(bar).fill : paper;
      note(figure, 'text', getComputedStyle(text).fill, behind, 4.5, text.textContent.trim());
    }
    for (const bar of bars) note(figure, 'bar', getComputedStyle(bar).fill, paper, 3, bar.dataset.series);
    for (const line of svg.querySelectorAll('path[fill="none"]')) {
      note(figure, 'line', getComputedStyle(line).stroke, paper, 3, 'series line');
    }
  }
  return [...found].map(([key, examples]) => `${key} (${examples.length}×, e.g. "${examples[0]}")`);
}

// 3. axe-core on each page in each view, and the charts' contrast.
for (const path of AXE_PAGES) {
  for (const view of AXE_VIEWS) {
    const { width, scheme } = view;
    const { page, context } = await open(path, view);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() =>
      window.axe.run(document, { resultTypes: ['violations'] }),
    );
    const serious = result.violations.filter((v) => FATAL.has(v.impact));
    const charts = await page.evaluate(chartContrast);
    console.log(`axe ${path} (${width} px, ${scheme}): ${result.violations.length} rules violated, `
      + `${serious.length} serious or critical; chart contrast: ${charts.length ? `${charts.length} short` : 'ok'}`);
    for (const line of charts) fail(`chart contrast ${line}`);
    for (const v of result.violations) {
      const report = FATAL.has(v.impact) ? fail : (m) => console.log(`  note ${m}`);
      report(`${v.id} [${v.impact}] ${v.help} (${v.helpUrl})`);
      for (const node of v.nodes.slice(0, 5)) {
        console.log(`       at ${node.target.join(' ')}`);
        if (FATAL.has(v.impact) && node.failureSummary) {
          console.log(`          ${node.failureSummary.split('\n').slice(1).join('; ').trim()}`);
        }
      }
      if (v.nodes.length > 5) console.log(`       … and ${v.nodes.length - 5} more`);
    }
    await context.close();
  }
}

console.log(`axe done at ${elapsed()}`);

// 4. The keyboard: the first Tab shows the skip link, following it lands in <main>, and every
// focused element on the way shows an outline.
for (const scheme of SCHEMES) {
  const { page, context } = await open(KEYBOARD_PAGE, { width: 1280, scheme });
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return {
      what: `${e.tagName.toLowerCase()}${e.className ? `.${e.className}` : ''} "${e.textContent.trim().slice(0, 30)}"`,
      visible: r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth,
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      inMain: !!e.closest('main'),
    };
  });
  const problems = [];
  await page.keyboard.press('Tab');
  const skip = await focused();
  if (!skip.what.startsWith('a.skip')) problems.push(`first Tab focuses ${skip.what}, not the skip link`);
  if (!skip.visible) problems.push('the focused skip link is not on screen');
  await page.keyboard.press('Enter');
  const steps = [];
  for (let i = 0; i < TAB_STEPS; i += 1) {
    await page.keyboard.press('Tab');
    steps.push(await focused());
  }
  if (!steps[0].inMain) problems.push(`after the skip link, Tab focuses ${steps[0].what}, outside <main>`);
  for (const step of [skip, ...steps]) if (!step.outline) problems.push(`${step.what} has no visible focus outline`);
  console.log(`keyboard ${KEYBOARD_PAGE} (${scheme}): skip link, then ${steps.map((f) => f.what.split(' ')[0]).join(', ')}`);
  for (const problem of problems) fail(`keyboard ${KEYBOARD_PAGE} (${scheme}): ${problem}`);
  await context.close();
}

// 5. Screenshots for people to look at, and a report as it prints.
await rm(shots, { recursive: true, force: true });
await mkdir(shots, { recursive: true });
for (const [name, path] of SHOT_PAGES) {
  for (const width of WIDTHS) {
    for (const scheme of SCHEMES) {
      const { page, context } = await open(path, { width, scheme });
      await page.screenshot({ path: join(shots, `${name}-${width}-${scheme}.png`), fullPage: true });
      await context.close();
    }
  }
}
{
  const { page, context } = await open(PRINT_PAGE, { width: 1280, scheme: 'light' });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: join(shots, 'report-print.pdf'), format: 'A4', preferCSSPageSize: true });
  await context.close();
}
const saved = (await readdir(shots)).filter((f) => f.endsWith('.png')).length;
console.log(`${saved} screenshots and a print PDF in ${relative(process.cwd(), shots) || '.'}${sep} at ${elapsed()}`);

await browser.close();
server.close();
if (failures) {
  console.log(`\nbrowser checks: ${failures} failures (${elapsed()})`);
  process.exit(1);
}
console.log(`browser checks passed (${elapsed()})`);
