// Copies the front-end packages the pages use from node_modules into the Django static folder.
import { copyFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "jiesu", "web", "static", "vendor");
const files = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["echarts/dist/echarts.min.js", "echarts.min.js"],
];

mkdirSync(out, { recursive: true });
for (const [source, target] of files) {
  const from = join(here, "node_modules", source);
  if (!existsSync(from)) {
    console.error(`missing ${from}: run npm ci in frontend/`);
    process.exit(1);
  }
  copyFileSync(from, join(out, target));
  console.log(`built static/vendor/${target}`);
}
