// Copies the self-contained ES modules of GOV.UK Frontend, MOJ Frontend and htmx, and MOJ's icons, into
// the static build folder (no bundler, UI.md 3.3). Built files are not committed. Crown, crest, logos and
// favicons are never copied (neutral branding, UI.md 2.2).
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";

const out = "lotsen/core/static/build";
mkdirSync(`${out}/moj/images`, { recursive: true });
const files = [
  ["node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj-frontend.min.js"],
  ["node_modules/htmx.org/dist/htmx.min.js", "htmx.min.js"],
];
for (const [src, dest] of files) copyFileSync(src, `${out}/${dest}`);
const imageDir = "node_modules/@ministryofjustice/frontend/moj/assets/images";
const icons = readdirSync(imageDir).filter((name) => name.startsWith("icon-"));
for (const name of icons) copyFileSync(`${imageDir}/${name}`, `${out}/moj/images/${name}`);
console.log(`copied ${files.length} scripts and ${icons.length} icons to ${out}`);
