// The reference reader page: renders /read/{slug} from the public API only, as a newsroom's article page would.
// No framework and no build step: copy it, change the look, keep the calls. README "For front-end developers"
// explains each choice (one request for the page, where pull-quotes go, how threads nest, what each error means).
const api = "/api/v1";
const slug = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] ?? "");
const preview = new URLSearchParams(location.search).get("preview");
const $ = (id) => document.getElementById(id);
const messages = { name: "Please enter your name here", body: "Please enter your comment!" };

let articleId = null;
let commentsEtag = null;
let nextCursor = null;
let replyTo = null;

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

function when(iso) {
  const time = document.createElement("time");
  time.dateTime = iso;
  time.textContent = new Date(iso).toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }) + " UTC";
  return time;
}

// A pull-quote goes after paragraph `afterParagraph` of its section (0: before the first paragraph).
function renderSection(section, quotes) {
  const fragment = document.createDocumentFragment();
  if (section.heading) fragment.append(text("h2", section.heading));
  const placed = (n) => quotes.filter((q) => q.afterParagraph === n).forEach((q) => {
    const quote = document.createElement("blockquote");
    quote.className = "pull-quote";
    quote.append(text("p", q.text));
    if (q.attribution) quote.append(text("footer", "— " + q.attribution));
    fragment.append(quote);
  });
  placed(0);
  section.body.split("\n\n").forEach((paragraph, index) => {
    fragment.append(text("p", paragraph));
    placed(index + 1);
  });
  return fragment;
}

async function loadArticle() {
  const query = new URLSearchParams({ include: "sections,pullQuotes" });
  if (preview) query.set("preview", preview);
  const response = await fetch(`${api}/articles/${encodeURIComponent(slug)}?${query}`, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    $("loading").textContent = response.status === 404 ? "This article does not exist, or is not published." : problem.detail ?? "The article could not be loaded.";
    return;
  }

  const article = await response.json();
  articleId = article.id;
  document.title = article.title;
  $("title").textContent = article.title;
  $("standfirst").textContent = article.standfirst ?? "";
  $("byline").textContent = article.byline ? `By ${article.byline}` : "";
  if (article.publishedAt) $("published").replaceWith(when(article.publishedAt));
  $("preview-banner").hidden = article.status === "published";
  const body = $("article-body");
  for (const section of article.sections) {
    body.append(renderSection(section, article.pullQuotes.filter((q) => q.sectionId === section.id)));
  }

  $("loading").remove();
  $("article").hidden = false;
  if (article.status !== "published") return; // a preview: comments open once it is published
  if (article.commentsOpen === false) {
    $("closed").hidden = false;
    return;
  }

  $("comments").hidden = false;
  await loadComments();
}

function renderComment(comment) {
  const item = document.createElement("li");
  item.className = "comment";
  item.id = `comment-${comment.id}`;
  const who = comment.website ? document.createElement("a") : document.createElement("span");
  who.className = "who";
  who.textContent = comment.name;
  if (comment.website) { who.href = comment.website; who.rel = "nofollow ugc"; }
  const said = document.createElement("div");
  said.innerHTML = comment.bodyHtml; // the API's bodyHtml is escaped HTML, safe to insert
  const reply = text("button", "Reply");
  reply.type = "button";
  reply.addEventListener("click", () => startReply(comment));
  item.append(who, when(comment.createdAt), said, reply);
  if (comment.replies?.length) {
    const replies = document.createElement("ol");
    replies.className = "replies";
    comment.replies.forEach((r) => replies.append(renderComment(r)));
    item.append(replies);
  }
  return item;
}

// Threads: a page of top-level comments, each with its approved replies nested (include=replies), by cursor.
// A refresh sends the ETag of the first page: 304 means nothing changed and nothing is redrawn.
async function loadComments({ more = false } = {}) {
  const query = new URLSearchParams({ include: "replies", limit: "20" });
  if (more && nextCursor) query.set("cursor", nextCursor);
  const headers = { Accept: "application/json" };
  if (!more && commentsEtag) headers["If-None-Match"] = commentsEtag;
  const response = await fetch(`${api}/articles/${articleId}/comments?${query}`, { headers });
  if (response.status === 304 || !response.ok) return;
  const page = await response.json();
  const thread = $("thread");
  if (!more) {
    commentsEtag = response.headers.get("ETag");
    thread.replaceChildren();
  }
  page.items.forEach((c) => thread.append(renderComment(c)));
  nextCursor = page.nextCursor;
  $("more-comments").hidden = !nextCursor;
}

function startReply(comment) {
  replyTo = comment.id;
  $("replying-to").textContent = comment.name;
  $("replying").hidden = false;
  $("body").focus();
}

function showErrors(errors) {
  let first = null;
  for (const field of ["name", "email", "website", "body"]) {
    const input = $(field);
    const error = $(`${field}-error`);
    const message = errors[field]?.[0];
    input.setAttribute("aria-invalid", message ? "true" : "false");
    error.textContent = message ?? "";
    error.hidden = !message;
    first ??= message ? input : null;
  }
  first?.focus();
  return first !== null;
}

async function submitComment(event) {
  event.preventDefault();
  const form = event.target;
  const value = (name) => form.elements[name].value;
  const missing = {};
  if (!value("name").trim()) missing.name = [messages.name];
  if (!value("body").trim()) missing.body = [messages.body];
  const status = $("form-status");
  status.textContent = "";
  if (showErrors(missing)) return; // the same messages the server gives, without a request

  const comment = { name: value("name"), body: value("body"), website2: value("website2") };
  if (value("email")) comment.email = value("email");
  if (value("website")) comment.website = value("website");
  if (replyTo) comment.parentId = replyTo;
  const response = await fetch(`${api}/articles/${articleId}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(comment),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 201 || response.status === 202) {
    form.reset();
    replyTo = null;
    $("replying").hidden = true;
    const published = response.status === 201 && answer.status === "approved";
    status.textContent = published ? "Thank you: your comment is published." : "Thank you: your comment awaits moderation.";
    if (published) await loadComments();
  } else if (response.status === 400) {
    showErrors(answer.errors ?? {});
  } else if (response.status === 409) {
    status.textContent = "You have already posted this comment.";
  } else if (response.status === 429) {
    const wait = response.headers.get("Retry-After") ?? "a few";
    status.textContent = `You are commenting too quickly: please wait ${wait} seconds and send it again.`;
  } else {
    status.textContent = answer.detail ?? "Your comment could not be sent. Please try again.";
  }
}

$("comment-form").addEventListener("submit", submitComment);
$("more-comments").addEventListener("click", () => loadComments({ more: true }));
$("refresh-comments").addEventListener("click", () => loadComments());
$("cancel-reply").addEventListener("click", () => { replyTo = null; $("replying").hidden = true; });
loadArticle();
