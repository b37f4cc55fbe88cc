// Renders a fairglb report in headless Chromium and checks it; see check-report.sh.
// Usage: node check-report.cjs REPORT_HTML CHROMIUM_PATH
const { chromium } = require("playwright-core");
const path = require("path");

async function main() {
  const [report, executablePath] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console error: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`failed request: ${req.url()}`));
  await page.goto("file://" + report, { waitUntil: "load" });

  const facts = await page.evaluate(() => {
    const images = [...document.images].map((img) => ({ src: img.src.slice(0, 80), ok: img.complete && img.naturalWidth > 0 }));
    const figures = [...document.querySelectorAll("figure")].map((fig) => {
      const svg = fig.querySelector("svg");
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const marks = svg ? svg.querySelectorAll("rect, circle, polyline, polygon, line").length : 0;
      const texts = svg ? svg.querySelectorAll("g[aria-label]").length : 0;
      // Text is outlined glyphs placed by <use transform="translate(..) scale(k -k)">: an em is
      // k x 2,048 font units (DejaVu Sans), in viewBox units; at print size (the width the SVG
      // declares, in inches) a viewBox unit is width x 72 / viewBox width points.
      let smallest = Infinity;
      if (svg) {
        const inches = parseFloat(svg.getAttribute("width"));
        const perUnit = inches * 72 / svg.viewBox.baseVal.width;
        for (const use of svg.querySelectorAll("g[aria-label] use")) {
          const m = use.transform.baseVal.consolidate().matrix;
          smallest = Math.min(smallest, Math.abs(m.d) * 2048 * perUnit);
        }
        if (!svg.getAttribute("width").endsWith("in")) smallest = 0;
      }
      return { id: fig.id, width: box.width, height: box.height, marks, texts, smallest };
    });
    return { images, figures, tables: document.querySelectorAll("table").length, title: document.title };
  });
  for (const img of facts.images) if (!img.ok) problems.push(`broken image: ${img.src}`);
  if (facts.figures.length === 0) problems.push("no figures");
  for (const f of facts.figures) {
    if (f.width < 300 || f.height < 200 || f.marks < 20 || f.texts < 3) {
      problems.push(`figure ${f.id} renders empty (${Math.round(f.width)}x${Math.round(f.height)} px, ${f.marks} marks, ${f.texts} labels)`);
    }
    if (!(f.smallest >= 7 - 1e-3)) problems.push(`figure ${f.id} has text of ${f.smallest.toFixed(2)} pt at print size (7 pt at least)`);
  }
  // A run's section has a summary table; a report of sweeps only has sweep figures instead.
  const runFigure = /-(regions|par_vs_cost|load_.*|intensity|online_vs_offline)$/;
  if (facts.tables === 0 && facts.figures.every((f) => runFigure.test(f.id))) problems.push("no summary table");

  const stem = report.replace(/\.html$/, "");
  await page.screenshot({ path: stem + ".png", fullPage: true });
  await page.pdf({ path: stem + ".pdf", format: "A4", printBackground: true });
  await browser.close();

  for (const f of facts.figures) console.log(`  figure ${f.id}: ${Math.round(f.width)}x${Math.round(f.height)} px, ${f.marks} marks, ${f.texts} labels, smallest text ${f.smallest.toFixed(2)} pt at print size`);
  console.log(`  ${facts.tables} table(s), ${facts.images.length} image(s); screenshot ${path.basename(stem)}.png, PDF ${path.basename(stem)}.pdf`);
  if (problems.length) {
    for (const p of problems) console.error(`check-report: ${p}`);
    process.exit(1);
  }
  console.log(`check-report: OK: ${report}`);
}

main().catch((err) => { console.error(`check-report: ${err.stack || err}`); process.exit(1); });
