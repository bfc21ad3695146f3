import { html, raw, type SafeHtml, safeImageSrc } from "./html.js";
import type { ReportArtwork, ReportImage } from "./report-model.js";

/**
 * No script may run and nothing may load from elsewhere: the report is a file people open and pass
 * around. Even if escaping were ever broken, an injected <script> or onerror= would not execute.
 */
const CSP = "default-src 'none'; img-src 'self' data: file:; style-src 'unsafe-inline'";

const CSS = `
:root{--bg:#f5f3ef;--panel:#fff;--ink:#1f1d1a;--muted:#6b655c;--line:#ddd7cd;--accent:#8a3b12;--thumb:#ebe7e0;
--good:#2f6b3a;--bad:#b3261e;color-scheme:light;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}body{margin:0}
header{background:var(--ink);color:#f5f3ef;padding:.9rem 1.5rem}header h1{margin:0;font-size:1.3rem}
header p{margin:.2rem 0 0;color:#c9c1b4}
main{max-width:1400px;margin:0 auto;padding:1rem 1.5rem 3rem}
h2{font-size:1.05rem;margin:1.5rem 0 .6rem}
.muted{color:var(--muted)}
.thumb{display:flex;align-items:center;justify-content:center;aspect-ratio:1;background:var(--thumb);position:relative;overflow:hidden}
.thumb img{position:absolute;inset:0;width:100%;height:100%;object-fit:contain}
.thumb .note{color:var(--muted);font-size:.8rem;padding:.5rem;text-align:center;word-break:break-word}
.query{display:flex;gap:1.2rem;align-items:center;background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:1rem}
.query .thumb{width:200px;flex:none;border-radius:6px}
.query .title{font-size:1.2rem;font-weight:600;margin:.1rem 0;word-break:break-word}
.query p{margin:.15rem 0}
.grid{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:1rem}
.card{min-width:0;background:var(--panel);border:1px solid var(--line);border-radius:10px;overflow:hidden;display:flex;flex-direction:column}
.card .rank{position:absolute;z-index:1;top:.4rem;left:.4rem;background:rgb(31 29 26/.85);color:#fff;font-size:.8rem;padding:.05rem .45rem;border-radius:4px}
.card .title{padding:.5rem .7rem 0;font-weight:600;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.card .artist{padding:.1rem .7rem 0;color:var(--muted);font-size:.9rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.card .foot{margin-top:auto;display:flex;flex-wrap:wrap;align-items:center;gap:.3rem;padding:.4rem .7rem .6rem}
.tags{display:flex;flex-wrap:wrap;gap:.25rem;min-width:0;flex:1 1 100%}
.tag{font-size:.78rem;background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:0 .35rem;max-width:100%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.score{font-variant-numeric:tabular-nums;font-size:.85rem;color:var(--accent);font-weight:600}
.id{font-size:.75rem;color:var(--muted);margin-left:auto;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:60%}
table.bars{border-collapse:collapse;width:100%;background:var(--panel);border:1px solid var(--line);border-radius:10px}
.bars th,.bars td{padding:.3rem .7rem;text-align:left;font-weight:400;border-bottom:1px solid var(--line)}
.bars thead th{font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.bars .label{max-width:28rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bars .n,.bars .p{font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap}
.bars .bar{width:50%}
.track{position:relative;height:1rem;background:var(--thumb);border-radius:3px}
.fill{position:absolute;inset:0 auto 0 0;background:var(--accent);border-radius:3px}
.base{position:absolute;top:-.2rem;bottom:-.2rem;width:2px;background:var(--ink)}
.legend{display:flex;gap:1.2rem;font-size:.85rem;color:var(--muted);margin:.4rem 0}
.swatch{display:inline-block;width:.9rem;height:.6rem;background:var(--accent);margin-right:.3rem;vertical-align:middle}
.swatch.base-key{width:2px;height:.9rem;background:var(--ink)}
.example{display:grid;grid-template-columns:170px 1fr;gap:1rem;align-items:start;background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:.8rem;margin-bottom:.8rem}
.example .qcard .thumb{border-radius:6px}
.example .qcard p{margin:.3rem 0 0;font-size:.85rem}
.example .qcard .title{font-weight:600;font-size:.9rem}
.neighbours{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(110px,1fr));gap:.6rem}
.nb{min-width:0;border:2px solid transparent;border-radius:8px;padding:2px}
.nb .thumb{border-radius:5px}
.nb p{margin:.2rem 0 0;font-size:.78rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.nb p.lbl{white-space:normal;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical}
.nb .mark{font-weight:700}
.nb.right .mark{color:var(--good)}
.nb.wrong{border-color:var(--bad);background:#fdecea}
.nb.wrong .mark{color:var(--bad)}
footer{color:var(--muted);font-size:.8rem;margin-top:2rem}
@media (max-width:640px){main{padding:.75rem}.query{flex-direction:column;align-items:stretch}.query .thumb{width:100%}
.example{grid-template-columns:1fr}.bars .bar{width:35%}}
`;

/** The whole document: one file, its styles inline, no script. */
export function page(title: string, heading: SafeHtml, body: SafeHtml, footer?: string): string {
  return `<!doctype html>\n${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${raw(CSS)}</style>
</head>
<body>
<header>${heading}</header>
<main>
${body}
${footer ? html`<footer>${footer}</footer>` : ""}
</main>
</body>
</html>
`.text
  }`;
}

/** A square picture box: the image when there is a safe one, else the note (or "no image"). */
export function thumb(image: ReportImage | undefined, alt: string, note?: string, badge?: string): SafeHtml {
  const src = safeImageSrc(image?.src);
  const inner = src
    ? html`<img src="${src}" alt="${alt}"${image?.width ? html` width="${image.width}"` : ""}${image?.height ? html` height="${image.height}"` : ""}>`
    : html`<span class="note">${note ?? "no image"}</span>`;
  return html`<div class="thumb">${badge ? html`<span class="rank">${badge}</span>` : ""}${inner}</div>`;
}

export const titleOf = (a: ReportArtwork): string => a.title || a.id;

export function tags(facets: [string, string][]): SafeHtml {
  return html`<div class="tags">${facets.map(([f, v]) => html`<span class="tag" title="${f}">${v}</span>`)}</div>`;
}

/** Scores as the table prints them: float32 features make further digits noise. */
export const score = (s: number): string => s.toFixed(3);
