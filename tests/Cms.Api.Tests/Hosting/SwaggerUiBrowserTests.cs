using Microsoft.Playwright;

namespace Cms.Api.Tests.Hosting;

/// <summary>
/// The editor's path in a real browser (Debian's chromium, driven by Playwright; browsers are never downloaded):
/// Swagger UI on a running server, Authorize, paste the seed article as Markdown into the upsert, Execute, publish it,
/// read it back as Markdown, make a preview link, and see the comment form's messages on a blank comment.
/// </summary>
[Category(Engines.SqliteOnly)]
[NonParallelizable]
public sealed class SwaggerUiBrowserTests
{
    private const string Slug = "us-strikes-iran-backed-militias";

    private static readonly string SeedArticle = File.ReadAllText(RepositoryFiles.Path("tests", "Cms.Api.Tests", "Transfer", "Fixtures", "seed-article.md"));

    private ServerProcess? server;
    private Browsers? browsers;
    private IPage page = null!;

    [Test]
    public async Task An_editor_pastes_previews_publishes_and_reads_back_the_seed_article()
    {
        await The_page_says_how_to_start_and_try_it_out_starts_off();
        await An_editor_authorizes_and_the_key_is_not_kept_in_the_browser();
        await Pasting_the_seed_article_as_Markdown_creates_it_in_one_execute();
        await A_preview_link_then_publishing_by_slug();
        await The_article_reads_back_as_the_same_Markdown();
        await A_blank_comment_shows_the_comment_forms_messages();
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        browsers = await Browsers.LaunchAsync();
        server = new ServerProcess();
        await server.StartAsync();
        page = await browsers.NewPageAsync();
        await page.GotoAsync(server!.Url + "/swagger");
        await page.Locator(".information-container").WaitForAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (browsers is not null)
        {
            await browsers.DisposeAsync();
        }

        server?.Dispose();
    }

    private async Task The_page_says_how_to_start_and_try_it_out_starts_off()
    {
        var description = await page.Locator(".information-container .description").InnerTextAsync();
        await Open("Articles", "CreateArticle");

        Assert.Multiple(async () =>
        {
            Assert.That(description, Does.Contain("Authorize").And.Contain("Markdown"));
            Assert.That(await Operation("Articles", "CreateArticle").Locator("button.try-out__btn").InnerTextAsync(), Is.EqualTo("Try it out"));
        });
        await Operation("Articles", "CreateArticle").Locator(".opblock-summary").ClickAsync();
    }

    private async Task An_editor_authorizes_and_the_key_is_not_kept_in_the_browser()
    {
        await page.Locator("button.authorize").First.ClickAsync();
        await page.Locator(".auth-container input").FillAsync(ServerProcess.Key);
        await Screenshot("swagger-authorize");
        await page.Locator(".auth-btn-wrapper button.authorize").ClickAsync();
        await page.Locator(".auth-btn-wrapper button.btn-done").ClickAsync();

        var stored = await page.EvaluateAsync<string?>("() => window.localStorage.getItem('authorized')");

        Assert.That(stored, Is.Null, "the key lasts as long as the page");
    }

    private async Task Pasting_the_seed_article_as_Markdown_creates_it_in_one_execute()
    {
        var upsert = await TryItOut("Seeding_and_transfer", "UpsertArticle");
        await upsert.Locator("tr[data-param-name='slug'] input").FillAsync(Slug);
        await upsert.Locator(".opblock-section-request-body select").SelectOptionAsync("text/markdown");
        await upsert.Locator("textarea.body-param__text").FillAsync(SeedArticle);
        await Screenshot("swagger-markdown-upsert", upsert.Locator(".opblock-section-request-body"));

        var (status, _) = await Execute(upsert);

        Assert.That(status, Is.EqualTo("201"));
    }

    private async Task A_preview_link_then_publishing_by_slug()
    {
        var preview = await TryItOut("Articles", "IssuePreviewLink");
        await preview.Locator("tr[data-param-name='article'] input").FillAsync(Slug);
        var (previewStatus, previewBody) = await Execute(preview);
        var url = JsonNode.Parse(previewBody)!["url"]!.GetValue<string>();
        using var reader = new HttpClient();
        var shared = await reader.GetAsync(url);

        var publish = await TryItOut("Articles", "PublishArticle");
        await publish.Locator("tr[data-param-name='article'] input").FillAsync(Slug);
        var (status, body) = await Execute(publish);

        Assert.Multiple(() =>
        {
            Assert.That(previewStatus, Is.EqualTo("200"));
            Assert.That(shared.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the link shows the draft without a key");
            Assert.That(status, Is.EqualTo("200"));
            Assert.That(body, Does.Contain("\"status\": \"published\""));
        });
    }

    private async Task The_article_reads_back_as_the_same_Markdown()
    {
        var get = await TryItOut("Articles", "GetArticle");
        await get.Locator("tr[data-param-name='article'] input").FillAsync(Slug);
        await get.Locator(".response-control-media-type select").First.SelectOptionAsync("text/markdown");
        var (status, body) = await Execute(get);
        await Screenshot("swagger-read-markdown", get.Locator(".live-responses-table"));

        Assert.That(status, Is.EqualTo("200"));
        // Front matter says what differs from the defaults (its own slug, published); the article follows byte for byte.
        Assert.That(body.ReplaceLineEndings("\n").Trim(), Is.EqualTo($"---\nslug: {Slug}\nstatus: published\n---\n\n{SeedArticle.ReplaceLineEndings("\n").Trim()}"));
    }

    private async Task A_blank_comment_shows_the_comment_forms_messages()
    {
        var post = await TryItOut("Comments", "PostComment");
        await post.Locator("tr[data-param-name='article'] input").FillAsync(Slug);
        await post.Locator("textarea.body-param__text").FillAsync("""{"name":"","body":""}""");
        var (status, body) = await Execute(post);
        await Screenshot("swagger-comment-errors", post.Locator(".live-responses-table"));

        Assert.That(status, Is.EqualTo("400"));
        Assert.That(body, Does.Contain("Please enter your name here").And.Contain("Please enter your comment!"));
    }

    private ILocator Operation(string tag, string operationId) => page.Locator($"#operations-{tag}-{operationId}");

    private async Task Open(string tag, string operationId)
    {
        var operation = Operation(tag, operationId);
        if (!await operation.Locator(".opblock-body").IsVisibleAsync())
        {
            await operation.Locator(".opblock-summary").ClickAsync();
        }

        await operation.Locator(".opblock-body").WaitForAsync();
    }

    private async Task<ILocator> TryItOut(string tag, string operationId)
    {
        await Open(tag, operationId);
        var operation = Operation(tag, operationId);
        await operation.Locator("button.try-out__btn").ClickAsync();
        await operation.Locator("button.execute").WaitForAsync();
        return operation;
    }

    private static async Task<(string Status, string Body)> Execute(ILocator operation)
    {
        await operation.Locator("button.execute").ClickAsync();
        var response = operation.Locator(".live-responses-table .response").First;
        await response.WaitForAsync();
        var status = (await response.Locator(".response-col_status").InnerTextAsync()).Trim();
        var body = await response.Locator(".response-col_description pre").First.InnerTextAsync();
        return (status, body);
    }

    private Task Screenshot(string name, ILocator? focus = null) => Browsers.ScreenshotAsync(page, name, focus);
}
