// Uses the wrapper against a live server, as a page would: `CMS_URL=http://localhost:5080 CMS_KEY=cms_… npm run smoke`.
// Creates and publishes an article, reads its page (and again with its ETag), lists articles by cursor, searches,
// posts a comment and handles a 400 problem. Exits non-zero on the first surprise.
import { createCmsClient } from "./client.js";

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`smoke: ${what}`);
}

const baseUrl = process.env.CMS_URL ?? "http://localhost:5080";
const editor = createCmsClient({ baseUrl, key: process.env.CMS_KEY });
const reader = createCmsClient({ baseUrl });

const slug = `smoke-${Date.now()}`;
const created = await editor.createArticle({ title: "Typed clients work", slug, standfirst: "A smoke test.", status: "published" });
const section = await editor.raw.POST("/api/v1/articles/{article}/sections", {
  params: { path: { article: slug } },
  body: { heading: "First", body: "One paragraph.\n\nAnother." },
});
check(section.response.status === 201, `section: ${section.response.status}`);

const page = await reader.getArticle(slug);
check(page.status === "ok" && page.value.id === created.id, "the page is readable without a key");
check(page.value.sections?.length === 1 && page.value.sections[0]?.heading === "First", "the page includes its sections");
const again = await reader.getArticle(slug, undefined, page.etag ?? undefined);
check(again.status === "notModified", "the same ETag gives 304");

let pages = 0;
let found = false;
for await (const items of reader.listArticles({ limit: 1 })) {
  pages++;
  found ||= items.some((a) => a.slug === slug);
  if (pages === 3) break;
}
check(pages >= 1, "lists page by cursor");
const hits = await reader.search("typed clients");
check(hits.some((a) => a.slug === slug), "search finds the article");

const blank = await reader.postComment(slug, { name: "", body: "" });
check(blank.kind === "invalid" && blank.errors.name?.includes("Please enter your name here"), `a blank comment is a 400 naming its fields: ${JSON.stringify(blank)}`);
const posted = await reader.postComment(slug, { name: "Ada", email: "ada@example.org", body: "Typed, and it works." });
check(posted.kind === "pending" || posted.kind === "published", `a comment is taken: ${posted.kind}`);
const duplicate = await reader.postComment(slug, { name: "Ada", email: "ada@example.org", body: "Typed, and it works." });
check(duplicate.kind === "duplicate" || duplicate.kind === "tooSoon", `posting it again is refused: ${duplicate.kind}`);

console.log(`smoke: ok (article ${created.id}, ${pages} page(s) walked, comment ${posted.kind}, again ${duplicate.kind})`);
