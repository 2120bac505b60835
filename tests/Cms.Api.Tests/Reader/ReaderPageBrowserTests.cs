using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;

namespace Cms.Api.Tests.Reader;

/// <summary>
/// The reference reader page in a real browser, on a running server with the seed article: sub-headings in order, the
/// pull-quote between the right paragraphs, the comment form's messages without a request, moderation, nested replies,
/// an invisible honeypot, and a draft through a preview link.
/// </summary>
[Category(Engines.SqliteOnly)]
[NonParallelizable]
public sealed class ReaderPageBrowserTests
{
    private const string Slug = "us-strikes";

    private static readonly string SeedArticle = File.ReadAllText(RepositoryFiles.Path("tests", "Cms.Api.Tests", "Transfer", "Fixtures", "seed-article.md"));

    private ServerProcess? server;
    private Browsers? browsers;
    private HttpClient editor = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        browsers = await Browsers.LaunchAsync();
        server = new ServerProcess(new Dictionary<string, string> { ["Cms__ReaderPage"] = "true", ["Cms__Comments__FloodSeconds"] = "0" });
        await server.StartAsync();
        editor = server.Client();
        var published = new StringContent($"---\nstatus: published\n---\n\n{SeedArticle}", Encoding.UTF8);
        published.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");
        Assert.That((await editor.PutAsync($"/api/v1/articles/by-slug/{Slug}", published)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (browsers is not null)
        {
            await browsers.DisposeAsync();
        }

        editor?.Dispose();
        server?.Dispose();
    }

    private async Task<IPage> Read(string path = $"/read/{Slug}")
    {
        var page = await browsers!.NewPageAsync();
        await page.GotoAsync(server!.Url + path);
        await page.Locator("article h1").WaitForAsync();
        return page;
    }

    [Test]
    public async Task The_seed_article_reads_as_the_newsroom_page_with_its_pull_quote_in_place()
    {
        var page = await Read();
        var headings = await page.Locator("article h2").AllInnerTextsAsync();
        var quote = page.Locator("blockquote.pull-quote");
        var before = await quote.EvaluateAsync<string>("q => q.previousElementSibling.textContent");
        var after = await quote.EvaluateAsync<string>("q => q.nextElementSibling.textContent");
        await Browsers.ScreenshotAsync(page, "reader-page", fullPage: true);

        Assert.Multiple(async () =>
        {
            Assert.That(await page.Locator("article h1").InnerTextAsync(), Is.EqualTo("US launches air strikes on Iran-backed militias in Iraq and Syria"));
            Assert.That(headings, Is.EqualTo(new[]
            {
                "Biden vows to defend US interests and allies",
                "US targets command and control centers, rockets and drones",
                "Syrian state TV reports casualties, Iran condemns strikes",
                "US seeks to deter Iran and its proxies, but risks escalation",
            }));
            Assert.That(await quote.Locator("p").InnerTextAsync(), Is.EqualTo("militias in Iraq and Syria"));
            Assert.That(before, Does.StartWith("The US strikes hit seven facilities"));
            Assert.That(after, Does.StartWith("He said the targets were selected"));
            Assert.That(await page.Locator("main").CountAsync(), Is.EqualTo(1), "landmarks");
            Assert.That(await page.Locator("label[for='name']").CountAsync(), Is.EqualTo(1), "labelled fields");
        });
    }

    [Test]
    public async Task A_blank_comment_shows_both_messages_without_a_request_and_focuses_the_first()
    {
        var page = await Read();
        var posts = 0;
        page.Request += (_, request) => posts += request.Method == "POST" ? 1 : 0;

        await page.Locator("#comment-form button[type=submit]").ClickAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(await page.Locator("#name-error").InnerTextAsync(), Is.EqualTo("Please enter your name here"));
            Assert.That(await page.Locator("#body-error").InnerTextAsync(), Is.EqualTo("Please enter your comment!"));
            Assert.That(await page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("name"));
            Assert.That(await page.Locator("#name").GetAttributeAsync("aria-invalid"), Is.EqualTo("true"));
            Assert.That(posts, Is.Zero);
        });
    }

    [Test]
    public async Task A_comment_awaits_moderation_appears_once_approved_and_a_reply_nests_under_it()
    {
        var page = await Read();
        var parent = await Comment(page, "Sam", "Who decides the targets?");
        await Approve(parent);
        await page.Locator("#refresh-comments").ClickAsync();
        await page.Locator($"#comment-{parent}").WaitForAsync();

        await page.Locator($"#comment-{parent} > button").ClickAsync();
        var reply = await Comment(page, "Priya", "The Pentagon, with the White House.");
        await Approve(reply);
        await page.Locator("#refresh-comments").ClickAsync();
        var nested = page.Locator($"#comment-{parent} .replies #comment-{reply}");
        await nested.WaitForAsync();
        await Browsers.ScreenshotAsync(page, "reader-comments", page.Locator("#comments"));

        Assert.That(await nested.Locator(".who").InnerTextAsync(), Is.EqualTo("Priya"));
    }

    [Test]
    public async Task The_honeypot_is_invisible_to_a_person()
    {
        var page = await Read();
        var box = await page.Locator("#website2").BoundingBoxAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(box is null || box.X + box.Width <= 0, Is.True, $"off screen: {box?.X}");
            Assert.That(await page.Locator("#website2").GetAttributeAsync("tabindex"), Is.EqualTo("-1"), "never reached with Tab");
            Assert.That(await page.Locator(".honeypot").GetAttributeAsync("aria-hidden"), Is.EqualTo("true"), "never read out");
        });
    }

    [Test]
    public async Task A_preview_link_shows_a_draft_on_the_reader_page()
    {
        var draft = await editor.PostAsync("/api/v1/articles", new StringContent("""{"title":"A draft for the lawyers"}""", Encoding.UTF8, "application/json"));
        var id = (long)JsonNode.Parse(await draft.Content.ReadAsStringAsync())!["id"]!;
        var link = JsonNode.Parse(await (await editor.PostAsync($"/api/v1/articles/{id}/preview-link", null)).Content.ReadAsStringAsync())!;

        var page = await Read($"/read/{id}?preview={(string)link["token"]!}");

        Assert.Multiple(async () =>
        {
            Assert.That(await page.Locator("article h1").InnerTextAsync(), Is.EqualTo("A draft for the lawyers"));
            Assert.That(await page.Locator("#preview-banner").IsVisibleAsync(), Is.True);
            Assert.That(await page.Locator("#comments").IsVisibleAsync(), Is.False);
        });
    }

    private static async Task<long> Comment(IPage page, string name, string body)
    {
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#body").FillAsync(body);
        var posted = await page.RunAndWaitForResponseAsync(
            () => page.Locator("#comment-form button[type=submit]").ClickAsync(), r => r.Request.Method == "POST");
        await Assertions.Expect(page.Locator("#form-status")).ToHaveTextAsync("Thank you: your comment awaits moderation.");
        return (long)JsonNode.Parse(await posted.TextAsync())!["id"]!;
    }

    private async Task Approve(long comment)
    {
        var approved = await editor.PatchAsync($"/api/v1/comments/{comment}", new StringContent("""{"status":"approved"}""", Encoding.UTF8, "application/merge-patch+json"));
        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
