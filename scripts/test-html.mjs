// Loads a cartguard HTML report in headless Chromium and checks it as a reader
// would use it: no console error, each filter changes what is shown, the PCI
// DSS view lists the requirements expected of the demo, and a click on a rule
// in that view shows its findings. Saves a screenshot next to the report.
//
// Usage: node scripts/test-html.mjs REPORT.html SCREENSHOT.png
// Needs playwright-core (NODE_PATH) and a Chromium at $CHROMIUM (default /usr/bin/chromium).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const [report, screenshot] = process.argv.slice(2);
if (!report || !screenshot) {
  console.error("usage: node scripts/test-html.mjs REPORT.html SCREENSHOT.png");
  process.exit(2);
}

const failures = [];
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  const problems = [];
  const requests = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
  await page.goto(pathToFileURL(report).href);

  const visible = () => page.$$eval("article.finding", (all) => all.filter((f) => !f.hidden).length);
  const total = await page.$$eval("article.finding", (all) => all.length);
  check(total > 0, `the report lists findings (${total})`);
  check((await visible()) === total, "every finding is shown before any filter");
  const shownText = await page.textContent("#shown");
  check(shownText.includes(`${total} of ${total}`), `the count says so ("${shownText}")`);

  // Severity: hiding critical hides exactly the critical failures.
  const critical = await page.$$eval("article.finding[data-severity=critical][data-status=fail]", (a) => a.length);
  await page.uncheck("input[name=severity][value=critical]");
  check((await visible()) === total - critical, `unchecking critical hides the ${critical} critical failures`);
  await page.check("input[name=severity][value=critical]");
  check((await visible()) === total, "checking it again shows them");

  // Every select filter narrows the list to findings carrying its value.
  for (const [name, attribute] of [["area", "area"], ["account", "account"], ["region", "region"], ["status", "status"]]) {
    const options = await page.$$eval(`select[name=${name}] option`, (o) => o.map((x) => x.value).filter((v) => v));
    let narrowed = false;
    for (const value of options) {
      await page.selectOption(`select[name=${name}]`, value);
      const expected = await page.$$eval(`article.finding[data-${attribute}="${value}"]`, (a) => a.length);
      const shown = await visible();
      if (shown !== expected) {
        check(false, `${name}=${value} shows ${shown}, expected ${expected}`);
      }
      narrowed ||= shown < total;
    }
    await page.selectOption(`select[name=${name}]`, "");
    check(narrowed || options.length <= 1, `the ${name} filter changes what is shown (${options.length} values)`);
    check(name !== "account" || options.length >= 2, `the demo's two accounts are both offered (${options.length})`);
  }
  check((await visible()) === total, "clearing the filters shows everything again");

  // Free text.
  await page.fill("input[name=text]", "iam-root-access-keys");
  const byText = await visible();
  check(byText > 0 && byText < total, `text search narrows the list (${byText})`);
  await page.fill("input[name=text]", "no-such-text-anywhere-in-the-report");
  check((await visible()) === 0, "text that matches nothing shows nothing");
  await page.fill("input[name=text]", "");

  // The PCI DSS view.
  const pci = await page.$$eval("table[data-standard='pci-dss-4.0.1'] tr[data-requirement]",
    (rows) => Object.fromEntries(rows.map((r) => [r.dataset.requirement, r.dataset.verdict])));
  for (const id of ["1.3.1", "3.5.1", "6.3.3", "8.4.2", "10.2.1"]) {
    check(pci[id] === "failing", `PCI DSS ${id} is listed as failing (${pci[id]})`);
  }
  check(Object.keys(pci).length >= 40, `the PCI DSS view lists every cited requirement (${Object.keys(pci).length})`);
  for (const standard of ["cis-aws-3.0.0", "cis-aws-7.0.0"]) {
    const rows = await page.$$eval(`table[data-standard='${standard}'] tr[data-requirement]`, (r) => r.length);
    check(rows > 0, `the ${standard} view lists requirements (${rows})`);
  }
  await page.click("tr[data-requirement='8.4.2'] a[data-rule-link]");
  const linked = await visible();
  check(linked > 0 && linked < total, `a rule named under 8.4.2 shows its findings (${linked})`);
  await page.fill("input[name=text]", "");
  await page.dispatchEvent("#filters", "input");

  // Opening a finding shows its evidence and fix.
  await page.click("article.finding:not([hidden]) summary");
  const opened = await page.textContent("article.finding:not([hidden]) details[open]");
  check(opened.includes("Evidence") && opened.includes("How to fix"), "an opened finding shows its evidence and fix");

  await page.screenshot({ path: screenshot, fullPage: false });
  check(problems.length === 0, `no console errors or warnings${problems.length ? ": " + problems.join(" | ") : ""}`);
  check(requests.length === 0, `no request leaves the file${requests.length ? ": " + requests.join(", ") : ""}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
