// Bundles the widget: dist/widget.js (loader), dist/chat.js (chat window with the SDK and SignalR),
// plus the static pages. The server embeds dist/ (see src/Omnichat.Server/Omnichat.Server.csproj).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const out = "dist";
mkdirSync(out, { recursive: true });
const common = { bundle: true, minify: true, target: ["es2020"], platform: "browser", legalComments: "none", logLevel: "warning" };
await build({ ...common, entryPoints: ["src/loader.ts"], outfile: `${out}/widget.js`, format: "iife" });
await build({ ...common, entryPoints: ["src/chat/app.ts"], outfile: `${out}/chat.js`, format: "iife" });
copyFileSync("src/frame.html", `${out}/frame.html`);
copyFileSync("src/demo.html", `${out}/demo.html`);

// Size budgets (gzipped): the loader every visitor downloads, and the chat loaded on first open.
const budgets = { "widget.js": 10 * 1024, "chat.js": 60 * 1024 };
const sizes = {};
let over = false;
for (const [file, limit] of Object.entries(budgets)) {
  const gz = gzipSync(readFileSync(`${out}/${file}`)).length;
  sizes[file] = gz;
  if (gz > limit) {
    console.error(`${file}: ${gz} bytes gzipped exceeds the budget of ${limit}`);
    over = true;
  }
}
writeFileSync(`${out}/sizes.json`, JSON.stringify(sizes, null, 2));
console.log(`widget sizes (gzipped bytes): ${JSON.stringify(sizes)}`);
if (over) process.exit(1);
