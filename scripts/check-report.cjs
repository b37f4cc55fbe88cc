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
      const marks = svg ? svg.querySelectorAll("rect, circle, polyline, polygon, path, line").length : 0;
      const texts = svg ? svg.querySelectorAll("text").length : 0;
      return { id: fig.id, width: box.width, height: box.height, marks, texts };
    });
    return { images, figures, tables: document.querySelectorAll("table").length, title: document.title };
  });
  for (const img of facts.images) if (!img.ok) problems.push(`broken image: ${img.src}`);
  if (facts.figures.length === 0) problems.push("no figures");
  for (const f of facts.figures) {
    if (f.width < 300 || f.height < 200 || f.marks < 20 || f.texts < 3) {
      problems.push(`figure ${f.id} renders empty (${Math.round(f.width)}x${Math.round(f.height)} px, ${f.marks} marks, ${f.texts} labels)`);
    }
  }
  if (facts.tables === 0 && !facts.figures.some((f) => f.id.endsWith("-tradeoff"))) problems.push("no summary table");

  const stem = report.replace(/\.html$/, "");
  await page.screenshot({ path: stem + ".png", fullPage: true });
  await page.pdf({ path: stem + ".pdf", format: "A4", printBackground: true });
  await browser.close();

  for (const f of facts.figures) console.log(`  figure ${f.id}: ${Math.round(f.width)}x${Math.round(f.height)} px, ${f.marks} marks, ${f.texts} labels`);
  console.log(`  ${facts.tables} table(s), ${facts.images.length} image(s); screenshot ${path.basename(stem)}.png, PDF ${path.basename(stem)}.pdf`);
  if (problems.length) {
    for (const p of problems) console.error(`check-report: ${p}`);
    process.exit(1);
  }
  console.log(`check-report: OK: ${report}`);
}

main().catch((err) => { console.error(`check-report: ${err.stack || err}`); process.exit(1); });
