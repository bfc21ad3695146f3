import { describe, expect, it } from "vitest";
import { escapeHtml, html, raw, safeImageSrc } from "../../src/report/html.js";

describe("html", () => {
  it("escapes every interpolation, joins arrays and drops empty parts", () => {
    const evil = `<script>alert("x")</script>'&\``;
    const out = html`<p title="${evil}">${evil}${[html`<b>${"<i>"}</b>`, null, false, undefined, 3]}</p>`
      .text;
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;&#96;">' +
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;&#96;<b>&lt;i&gt;</b>3</p>",
    );
    expect(html`${raw("<hr>")}`.text).toBe("<hr>");
    expect(escapeHtml("a & b")).toBe("a &amp; b");
  });

  it("lets only data: images and relative paths through as image sources", () => {
    expect(safeImageSrc("data:image/jpeg;base64,AAAA")).toBe("data:image/jpeg;base64,AAAA");
    expect(safeImageSrc("images/a%20b.jpg")).toBe("images/a%20b.jpg");
    expect(safeImageSrc("../x/y.jpg")).toBe("../x/y.jpg");
    for (const bad of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html;base64,PHNjcmlwdD4=",
      "data:image/svg+xml,<svg onload=alert(1)>",
      "https://example.org/a.jpg",
      "//example.org/a.jpg",
      "file:///etc/passwd",
      "a\\b.jpg",
    ])
      expect(safeImageSrc(bad), bad).toBeUndefined();
  });
});
