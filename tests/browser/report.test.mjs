// The report in headless Chromium (puppeteer-core on Debian's chromium). Usage:
//   node report.test.mjs demo|nl2016|no-requests|hostile
// demo, nl2016: render the report, then hover a municipality (tooltip: name, region,
//   confidence, ties against the data island), click it (its region card opens and is
//   in view), switch the map to other partitions and an indicator (colours and legend),
//   sort a table, and take every kind of download (CSV, SVG, GeoJSON, pipeline JSON)
//   and check the files; at phone width the page must not scroll sideways. Any console error, page error, CSP violation or request other
//   than the page itself fails the test.
// no-requests: the demo report, hovered and switched, requests nothing but itself.
// hostile: the page test_explore wrote with hostile names ($BRE_HOSTILE_REPORT) loads
//   without errors and its tooltip shows the name as text.
// Exit 77 (skipped) when the nl2016 data or the hostile page is absent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import {
  SKIP, hasNl2016, launch, nl2016Dir, openReport, pointOn, renderDemo, renderNl2016, sourceDir, tempDir,
} from './lib.mjs';

const mode = process.argv[2];

function sleep(ms) { return new Promise((resolve) => { setTimeout(resolve, ms); }); }

async function islandOf(page) {
  await page.waitForSelector('html.explore');
  return page.evaluate(() => JSON.parse(document.getElementById('bre-data').textContent));
}

function regionOf(partition, i) {
  const r = partition.region_of[i];
  return r >= 0 ? partition.regions[r] : null;
}

function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

// Selects the viewer's option matching `test` (on its data-value or label); returns its label.
async function choose(page, test) {
  const option = await page.evaluate((source) => {
    const match = new Function('o', `return (${source})(o);`);
    for (const o of document.querySelectorAll('#map-choice option')) {
      const found = match({ value: o.getAttribute('data-value') || '', label: o.textContent, index: Number(o.value) });
      if (found) return { value: o.value, label: o.textContent };
    }
    return null;
  }, test.toString());
  if (option) await page.select('#map-choice', option.value);
  return option;
}

async function visibleFigure(page) {
  return page.evaluate(() => {
    const shown = [...document.querySelectorAll('#maps figure.map')].filter((f) => !f.hidden);
    return shown.map((f) => ({ step: f.getAttribute('data-step'), partition: f.getAttribute('data-partition') }));
  });
}

// A municipality of the visible figure that the mouse can reach, preferring ones with
// ties and confidence; returns its index and a point on it.
async function reachableMunicipality(page, data, figureSelector, prefer) {
  const order = data.municipalities.map((m, i) => i).sort((a, b) => prefer(b) - prefer(a) || a - b);
  for (const i of order.slice(0, 60)) {
    const code = data.municipalities[i][0];
    const point = await pointOn(page, `${figureSelector} path[data-code="${code}"]`);
    if (point) return { i, point };
  }
  throw new Error(`no municipality of ${figureSelector} can be reached with the mouse`);
}

async function hoverAndClick(report, data) {
  const { page } = report;
  const reportPartition = data.partitions.find((p) => p.name === data.report_partition);
  // The report partition's own map.
  const figureIndex = await page.evaluate((name) => [...document.querySelectorAll('#maps figure.map')]
    .findIndex((f) => f.getAttribute('data-partition') === name && f.getAttribute('data-plugin') === 'report.partition_map'), data.report_partition);
  assert.ok(figureIndex >= 0, 'the report partition has a map');
  await page.select('#map-choice', String(figureIndex));
  const shown = await visibleFigure(page);
  assert.equal(shown.length, 1, 'one map shown at a time');
  const selector = `#maps figure.map[data-step="${shown[0].step}"]`;
  const prefer = (i) => (data.ties && data.ties[i].length ? 2 : 0) + (reportPartition.confidence && reportPartition.confidence[i] !== null ? 1 : 0)
    + (regionOf(reportPartition, i) ? 4 : 0);
  const { i, point } = await reachableMunicipality(page, data, selector, prefer);
  await page.mouse.move(point.x, point.y);
  await page.waitForSelector('#bre-tooltip:not([hidden])');
  const tip = await page.$eval('#bre-tooltip', (t) => t.innerText);
  const [code, name] = data.municipalities[i];
  assert.ok(tip.includes(name) && tip.includes(code), `tooltip names ${name}: ${tip}`);
  const region = regionOf(reportPartition, i);
  assert.ok(tip.includes(region[1]), `tooltip names region ${region[1]}: ${tip}`);
  if (reportPartition.confidence && reportPartition.confidence[i] !== null) {
    const lang = await page.evaluate(() => document.documentElement.lang);
    const share = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(reportPartition.confidence[i]);
    assert.ok(tip.includes(share), `tooltip gives the confidence as a share (${share}): ${tip}`);
  }
  if (data.ties && data.ties[i].length) {
    for (const [j] of data.ties[i]) assert.ok(tip.includes(data.municipalities[j][1]), `tooltip names tie ${data.municipalities[j][1]}: ${tip}`);
  }
  console.log(`hover: ${name} -> ${tip.replace(/\n/g, ' | ')}`);
  // Click: the card of its region opens and comes into view.
  await page.mouse.click(point.x, point.y);
  await sleep(100);
  const card = await page.$eval(`#region-${region[0]}`, (c) => {
    const box = c.getBoundingClientRect();
    return { open: c.open, top: box.top, height: window.innerHeight };
  });
  assert.ok(card.open, `card ${region[0]} opened`);
  assert.ok(card.top > -5 && card.top < card.height / 2, `card ${region[0]} in view (top ${card.top})`);
  await page.mouse.move(0, 0);
  return i;
}

async function switchMaps(report, data, i) {
  const { page } = report;
  const [, name] = data.municipalities[i];
  const fillOf = () => page.evaluate((code) => {
    const f = document.querySelector('#maps figure.map.recolour');
    return f && !f.hidden ? f.querySelector(`path[data-code="${code}"]`).getAttribute('fill') : null;
  }, data.municipalities[i][0]);
  const legendItems = () => page.$$eval('#maps figure.map.recolour ul.viewer-legend li', (items) => items.map((li) => ({
    text: li.textContent, colour: li.querySelector('.swatch') ? getComputedStyle(li.querySelector('.swatch')).backgroundColor : null,
  })));
  const offered = await page.$$eval('#map-choice option[data-value^="partition:"]', (os) => os.map((o) => o.getAttribute('data-value').slice(10)));
  let previous = null;
  for (const partitionName of offered) {
    await choose(page, new Function('o', `return o.value === ${JSON.stringify(`partition:${partitionName}`)};`));
    const partition = data.partitions.find((p) => p.name === partitionName);
    const region = regionOf(partition, i);
    const fill = await fillOf();
    assert.equal(fill, region ? region[2] : '#f0f0f0', `${name} in ${partitionName}: colour of ${region && region[1]}`);
    const legend = await legendItems();
    assert.equal(legend.filter((l) => l.colour).length, partition.regions.length + (partition.region_of.some((r) => r < 0) ? 1 : 0));
    if (region) assert.ok(legend.some((l) => l.text === region[1] && l.colour === rgb(region[2])), `legend has ${region[1]}`);
    const tipFigure = await visibleFigure(page);
    assert.deepEqual(tipFigure, [{ step: 'view', partition: partitionName }]);
    console.log(`partition ${partitionName}: ${name} in ${region ? region[1] : 'no region'} (${fill})`);
    previous = legend;
  }
  // An indicator: quantile classes, the highest region in the darkest class.
  const indicator = await page.$$eval('#map-choice option[data-value^="indicator:"]', (os) => os.map((o) => o.getAttribute('data-value')));
  assert.ok(indicator.length > 0, 'indicators are offered');
  const wanted = indicator.find((v) => /:congruence_c1$|:self_containment$/.test(v)) || indicator[0];
  await choose(page, new Function('o', `return o.value === ${JSON.stringify(wanted)};`));
  const [, t, columnId] = wanted.split(':');
  const table = data.tables[Number(t)];
  const c = table.columns.findIndex((col) => col.id === columnId);
  const partition = data.partitions.find((p) => p.name === table.partition);
  const values = table.rows.map((row) => row[2 + c]).filter((v) => v !== null);
  const legend = await legendItems();
  assert.notDeepEqual(legend, previous, 'the legend changed');
  const swatches = legend.filter((l) => l.colour);
  const top = table.rows.find((row) => row[2 + c] === Math.max(...values));
  const bottom = table.rows.find((row) => row[2 + c] === Math.min(...values));
  const member = (regionId) => data.municipalities.findIndex((m, k) => { const r = regionOf(partition, k); return r && r[0] === regionId; });
  const fills = await page.evaluate((codes) => codes.map((code) => getComputedStyle(document.querySelector(`#maps figure.map.recolour path[data-code="${code}"]`)).fill),
    [data.municipalities[member(top[0])][0], data.municipalities[member(bottom[0])][0]]);
  const classes = swatches.filter((l) => l.text !== data.words.no_data);
  assert.equal(fills[0], classes[classes.length - 1].colour, 'the highest region is in the top class');
  assert.equal(fills[1], classes[0].colour, 'the lowest region is in the bottom class');
  console.log(`indicator ${table.name}.${columnId}: ${swatches.length} legend entries`);
}

async function sortTable(report, data) {
  const { page } = report;
  const t = data.tables.findIndex((table) => table.rows.length >= 3 && table.columns.some((c, k) => !c.categories && new Set(table.rows.map((r) => r[2 + k])).size >= 3));
  assert.ok(t >= 0, 'a table to sort');
  const table = data.tables[t];
  const c = table.columns.findIndex((col, k) => !col.categories && new Set(table.rows.map((r) => r[2 + k])).size >= 3);
  await page.click(`details.data-table[data-index="${t}"] > summary`);
  await page.waitForSelector(`details.data-table[data-index="${t}"] table`);
  const header = `details.data-table[data-index="${t}"] table tr:first-child th:nth-child(${c + 3})`;
  const column = () => page.$$eval(`details.data-table[data-index="${t}"] table tr`, (rows, k) => rows.slice(1).map((r) => r.cells[k].getAttribute('data-value')), c + 2);
  const expected = table.rows.concat(table.summary).map((r) => r[2 + c]);
  const ascending = [...expected].sort((a, b) => (a === null) - (b === null) || a - b).map((v) => (v === null ? '' : String(v)));
  await page.click(`${header} button.sort`);
  assert.deepEqual(await column(), ascending, `${table.name}.${table.columns[c].id} ascending`);
  assert.equal(await page.$eval(header, (th) => th.getAttribute('aria-sort')), 'ascending');
  await page.click(`${header} button.sort`);
  const descending = [...expected].sort((a, b) => (a === null) - (b === null) || b - a).map((v) => (v === null ? '' : String(v)));
  assert.deepEqual(await column(), descending, `${table.name}.${table.columns[c].id} descending`);
  assert.equal(await page.$eval(header, (th) => th.getAttribute('aria-sort')), 'descending');
  // A table written by the page itself (the steps of the methods section) sorts by its text.
  const methods = '#methods table tr:first-child th:first-child button.sort';
  await page.click(methods);
  const steps = await page.$$eval('#methods table:first-of-type tr', (rows) => rows.slice(1).map((r) => r.cells[0].textContent));
  assert.deepEqual(steps, [...steps].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })), 'methods steps sorted');
  console.log(`sorted ${table.name} by ${table.columns[c].id} and the methods table by step`);
}

async function waitForFile(file) {
  const dir = path.dirname(file);
  const prefix = path.basename(file).endsWith('*') ? path.basename(file).slice(0, -1) : null;
  for (let k = 0; k < 100; k++) {
    if (prefix) {
      const found = fs.readdirSync(dir).find((f) => f.startsWith(prefix) && !f.endsWith('.crdownload'));
      if (found) return fs.readFileSync(path.join(dir, found), 'utf8');
    }
    if (fs.existsSync(file) && !fs.existsSync(`${file}.crdownload`)) return fs.readFileSync(file, 'utf8');
    await sleep(100);
  }
  throw new Error(`download ${path.basename(file)} did not arrive`);
}

async function downloads(report, data, browser, pipelineFile) {
  const { page } = report;
  const dir = tempDir('bre-downloads-');
  const session = await browser.target().createCDPSession();
  await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
  // CSV of a table: its raw values, not the rounded cells.
  const t = data.tables.findIndex((table) => table.rows.length > 0);
  const table = data.tables[t];
  await page.click(`details.data-table[data-index="${t}"] > summary button.download`);
  const csv = (await waitForFile(path.join(dir, `${table.name}.${table.partition}.csv`))).trimEnd().split('\n');
  assert.equal(csv[0], ['region_id', 'region_name', ...table.columns.map((c) => c.id)].join(','));
  assert.equal(csv.length, 1 + table.rows.length + table.summary.length);
  const numeric = table.columns.findIndex((c) => !c.categories);
  if (numeric >= 0 && !/[",]/.test(table.rows[0][1])) {
    const raw = table.rows[0][2 + numeric];
    assert.equal(csv[1].split(',')[2 + numeric], raw === null ? '' : String(raw), 'raw value in the CSV');
  }
  console.log(`CSV ${table.name}: ${csv.length - 1} rows`);
  // CSV of a table the page writes itself (the methods' steps table): its header cells.
  const pageTable = await page.$eval('#methods button.download.page-table', (b) => {
    const table = b.nextElementSibling;
    return { file: b.getAttribute('data-file'), header: [...table.rows[0].cells].map((c) => c.textContent.trim()), rows: table.rows.length };
  });
  await page.click(`#methods button.download.page-table[data-file="${pageTable.file}"]`);
  const pageCsv = (await waitForFile(path.join(dir, pageTable.file))).trimEnd().split('\n');
  assert.equal(pageCsv[0], pageTable.header.map((h) => (/[",]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h)).join(','));
  assert.ok(pageCsv.length >= pageTable.rows, `the page table's rows in the CSV (${pageCsv.length} lines)`);
  console.log(`CSV ${pageTable.file}: ${pageTable.rows} rows`);
  // SVG of the visible map, a standalone document with the paths' titles back.
  const step = (await visibleFigure(page))[0].step;
  await page.click(`#maps figure.map[data-step="${step}"] figcaption button.download`);
  const svgText = await waitForFile(path.join(dir, step === 'view' ? 'map-*' : `${step}.svg`));
  const svg = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror') !== null, root: doc.documentElement.localName,
      paths: doc.querySelectorAll('path[data-code]').length, titles: doc.querySelectorAll('path[data-code] > title').length };
  }, svgText);
  assert.ok(!svg.error && svg.root === 'svg', 'the SVG parses');
  assert.ok(svg.paths > 0 && svg.titles === svg.paths, `the SVG has its ${svg.paths} paths with titles`);
  console.log(`SVG ${step}: ${svg.paths} municipalities`);
  // GeoJSON: one feature per municipality with its region per partition.
  await page.click('.viewer-bar button.download');
  const geojson = JSON.parse(await waitForFile(path.join(dir, 'municipalities.geojson')));
  assert.equal(geojson.type, 'FeatureCollection');
  assert.equal(geojson.features.length, data.municipalities.length);
  assert.equal(Boolean(geojson.crs), data.crs === 'EPSG:28992');
  const first = geojson.features.find((f) => f.geometry);
  for (const p of data.partitions) assert.ok(`${p.name}_region_id` in first.properties, `region of ${p.name}`);
  const ring = first.geometry.coordinates[0][0];
  assert.deepEqual(ring[0], ring[ring.length - 1], 'rings are closed');
  console.log(`GeoJSON: ${geojson.features.length} features, crs ${geojson.crs ? geojson.crs.properties.name : 'none'}`);
  // The pipeline from the manifest: the same steps as the pipeline that ran.
  const fileName = await page.$eval('#pipeline-json', (pre) => pre.getAttribute('data-file'));
  await page.click('#cite details.pipeline summary button.download');
  const pipeline = JSON.parse(await waitForFile(path.join(dir, fileName)));
  const original = JSON.parse(fs.readFileSync(pipelineFile, 'utf8'));
  assert.deepEqual(pipeline.steps.map((s) => s.id), original.steps.map((s) => s.id));
  assert.deepEqual(pipeline.steps.map((s) => s.inputs || []), original.steps.map((s) => s.inputs || []));
  console.log(`pipeline ${fileName}: ${pipeline.steps.length} steps`);
  fs.rmSync(dir, { recursive: true, force: true });
}

async function checkReport(file, pipelineFile) {
  const browser = await launch();
  try {
    const report = await openReport(browser, file, { allowBlobs: true });
    const data = await islandOf(report.page);
    const i = await hoverAndClick(report, data);
    await switchMaps(report, data, i);
    await sortTable(report, data);
    await downloads(report, data, browser, pipelineFile);
    // At phone width the page does not scroll sideways (wide tables scroll inside themselves).
    await report.page.setViewport({ width: 390, height: 844 });
    const scrollWidth = await report.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `the page is ${scrollWidth} px wide at 390 px`);
    const problems = await report.allProblems();
    const foreign = report.requests.filter((r) => r !== report.url && !r.startsWith('blob:'));
    assert.deepEqual(foreign, [], 'requests beyond the page');
    assert.deepEqual(problems, [], 'console errors, page errors, CSP violations');
  } finally {
    await browser.close();
  }
}

async function main() {
  if (mode === 'demo' || mode === 'nl2016') {
    if (mode === 'nl2016' && !hasNl2016()) {
      console.log(`skipped: no nl2016 data at ${nl2016Dir} (set BRE_NL2016_DIR)`);
      process.exit(SKIP);
    }
    const out = tempDir(`bre-report-${mode}-`);
    const [render, pipeline] = mode === 'demo' ? [renderDemo, 'standard.json'] : [renderNl2016, 'nl2016.json'];
    try {
      await checkReport(render(out), path.join(sourceDir, 'examples/pipelines', pipeline));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  } else if (mode === 'no-requests') {
    const out = tempDir('bre-report-requests-');
    const browser = await launch();
    try {
      const report = await openReport(browser, renderDemo(out));
      const data = await islandOf(report.page);
      await hoverAndClick(report, data);
      await switchMaps(report, data, 0);
      assert.deepEqual(report.requests, [report.url], 'the page requested only itself');
      assert.deepEqual(await report.allProblems(), []);
      console.log('the page made one request: itself');
    } finally {
      await browser.close();
      fs.rmSync(out, { recursive: true, force: true });
    }
  } else if (mode === 'hostile') {
    const file = process.env.BRE_HOSTILE_REPORT;
    if (!file || !fs.existsSync(file)) {
      console.log('skipped: no page with hostile names (test_explore writes it to $BRE_HOSTILE_REPORT)');
      process.exit(SKIP);
    }
    const browser = await launch();
    try {
      const report = await openReport(browser, file);
      const data = await islandOf(report.page);
      const hostile = data.municipalities[0];
      assert.ok(hostile[1].includes('</script>') && hostile[1].includes('\ufffd'), 'the island holds the hostile name');
      const point = await pointOn(report.page, `#maps figure.map path[data-code="${hostile[0]}"]`);
      assert.ok(point, 'the hostile municipality is on the map');
      await report.page.mouse.move(point.x, point.y);
      await report.page.waitForSelector('#bre-tooltip:not([hidden])');
      const tip = await report.page.$eval('#bre-tooltip strong', (s) => s.textContent);
      assert.equal(tip, `${hostile[1]} (${hostile[0]})`);
      assert.equal(await report.page.evaluate(() => document.querySelectorAll('script').length), 2, 'no script added by a name');
      assert.deepEqual(await report.allProblems(), []);
      console.log(`hostile name shown as text: ${JSON.stringify(tip)}`);
    } finally {
      await browser.close();
    }
  } else {
    console.error('usage: node report.test.mjs demo|nl2016|no-requests|hostile');
    process.exit(2);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
