// Screenshots of the report for docs/images: the demo and (when ../shared/data/nl2016
// exists) the nl2016 report, at 1400 px and at phone width (390 px), each with the map
// viewer on the report's own map and the tooltip of a municipality showing. Usage:
//   node tests/browser/screenshots.mjs [OUT_DIR]     (default docs/images)
// BRE_BINARY_DIR names the build tree (default build/).
import fs from 'node:fs';
import path from 'node:path';

import { hasNl2016, launch, nl2016Dir, openReport, pointOn, renderDemo, renderNl2016, sourceDir, tempDir } from './lib.mjs';

const outDir = path.resolve(process.argv[2] || path.join(sourceDir, 'docs/images'));

// The maps section at the top of the window: the viewer on the report partition's map
// (or that map recoloured by `indicator`, a column id) with a municipality hovered.
async function shoot(browser, file, name, width, indicator = null) {
  const report = await openReport(browser, file, { width, height: width > 800 ? 1100 : 844 });
  const { page } = report;
  await page.setViewport({ width, height: width > 800 ? 1100 : 844, deviceScaleFactor: width > 800 ? 1 : 2 });
  await page.waitForSelector('html.explore');
  const figure = await page.evaluate(() => {
    const data = JSON.parse(document.getElementById('bre-data').textContent);
    const figures = [...document.querySelectorAll('#maps figure.map')];
    const k = figures.findIndex((f) => f.getAttribute('data-partition') === data.report_partition
      && f.getAttribute('data-plugin') === 'report.partition_map');
    return { index: Math.max(k, 0), step: figures[Math.max(k, 0)].getAttribute('data-step'), codes: data.municipalities.map((m) => m[0]) };
  });
  await page.select('#map-choice', String(figure.index));
  if (indicator) {
    // The viewer recolouring the report partition's map by an indicator, with its legend.
    const value = await page.$$eval('#map-choice option[data-value]', (options, id) => {
      const found = options.find((o) => o.getAttribute('data-value').endsWith(`:${id}`));
      return found ? found.value : null;
    }, indicator);
    if (value) {
      await page.select('#map-choice', value);
      figure.step = 'view';
    }
  }
  // The viewer at the top of the window, then a municipality near the middle of the
  // map list that is in sight hovered, so its tooltip shows.
  await page.evaluate(() => window.scrollTo(0, document.getElementById('maps').offsetTop - 8));
  const middle = Math.floor(figure.codes.length / 2);
  for (let k = 0; k < figure.codes.length; k++) {
    const code = figure.codes[(middle + k) % figure.codes.length];
    const point = await pointOn(page, `#maps figure.map[data-step="${figure.step}"] path[data-code="${code}"]`, { scroll: false });
    if (point && point.y > 200) {
      await page.mouse.move(point.x, point.y);
      break;
    }
  }
  const target = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: target });
  const problems = await report.allProblems();
  await page.close();
  if (problems.length) throw new Error(`${name}: ${problems.join('; ')}`);
  console.log(`${target}: ${width} px`);
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const work = tempDir('bre-screenshots-');
  const browser = await launch();
  try {
    const demo = renderDemo(path.join(work, 'demo'));
    await shoot(browser, demo, 'report-demo-wide', 1400, 'congruence_c1');
    await shoot(browser, demo, 'report-demo-phone', 390);
    if (hasNl2016()) {
      const nl2016 = renderNl2016(path.join(work, 'nl2016'));
      await shoot(browser, nl2016, 'report-nl2016-wide', 1400);
      await shoot(browser, nl2016, 'report-nl2016-phone', 390);
    } else {
      console.log(`no nl2016 data at ${nl2016Dir}: only the demo screenshots`);
    }
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
