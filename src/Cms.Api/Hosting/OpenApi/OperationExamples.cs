using Cms.Api.Articles;
using Cms.Api.Articles.PullQuotes;
using Cms.Api.Articles.Sections;
using Cms.Api.Comments;
using Cms.Api.Transfer;

namespace Cms.Api.Hosting.OpenApi;

/// <summary>
/// What "Try it out" sends, per operation, so that executing an example as offered on a fresh Development install
/// succeeds and harms nothing: reads and rewrites name the demo article and send back its own values (the write
/// changes nothing), creates make new things, and destructive operations name nothing and say that they show the 404.
/// Operations not listed use the examples of their body's type (<see cref="Examples"/>) and of their parameters.
/// In document order, each create comes before the examples that build on what it made.
/// </summary>
internal static class OperationExamples
{
    /// <summary>An id no fresh install has: the destructive examples show their 404 instead of deleting the demo.</summary>
    public const long Nothing = 999_999;

    /// <summary>The article the "Create an article" example makes (its slug comes from its title).</summary>
    public static string CreatedArticle => Slugs.FromTitle(Examples.ArticleTitle);

    public sealed record Example(object? Body = null, IReadOnlyDictionary<string, object>? Path = null, string? Note = null);

    private static string NamesNothing(string what) =>
        $"The example names no {what} ({Nothing}), so executing it as offered shows the 404 and deletes nothing; put in a real id.";

    private static readonly ArticleDocument Demo = DemoContent.Article;

    private static readonly Dictionary<string, Example> ByOperation = new()
    {
        ["ReplaceArticle"] = new(new ArticleRequest
        {
            Slug = Demo.Slug, Title = Demo.Title, Standfirst = Demo.Standfirst, Byline = Demo.Byline, Status = Demo.Status,
        }, Note: "The example sends the demo article's own fields: it changes nothing until you edit them."),
        ["PatchArticle"] = new(new { status = "published" }, Note: "The example asks for what the demo article already is, so nothing changes."),
        ["UnpublishArticle"] = new(Path: Ids("article", Nothing), Note: NamesNothing("article")),
        ["DeleteArticle"] = new(Path: Ids("article", Nothing), Note: NamesNothing("article")),
        ["CreateSection"] = new(Path: Ids("article", CreatedArticle),
            Note: "The example adds a section to the article the \"Create an article\" example makes: execute that first."),
        ["ReorderSections"] = new(new SectionOrderRequest { SectionIds = [1, 2, 3, 4] }, Note: "The example sends the demo article's sections in their current order."),
        ["ReplaceSection"] = new(new SectionRequest { Heading = Demo.Sections![0].Heading, Body = Demo.Sections[0].Body },
            Note: "The example sends the demo article's first section as it is: it changes nothing until you edit it."),
        ["PatchSection"] = new(new { position = 1 }, Note: "The example moves the demo's first section to where it already is."),
        ["DeleteSection"] = new(Path: Ids("id", Nothing), Note: NamesNothing("section")),
        ["CreatePullQuote"] = new(new PullQuoteRequest { Text = "About time.", Attribution = "A commuter" }, Ids("article", CreatedArticle),
            "The example adds an unplaced pull-quote to the article the \"Create an article\" example makes: execute that first."),
        ["ReplacePullQuote"] = new(new PullQuoteRequest
        {
            Text = Demo.PullQuotes![0].Text, Attribution = Demo.PullQuotes[0].Attribution, SectionId = 2, AfterParagraph = Demo.PullQuotes[0].AfterParagraph,
        }, Note: "The example sends the demo pull-quote as it is: it changes nothing until you edit it."),
        ["PatchPullQuote"] = new(new { attribution = Demo.PullQuotes[0].Attribution }, Note: "The example sends the demo pull-quote's own attribution."),
        ["DeletePullQuote"] = new(Path: Ids("id", Nothing), Note: NamesNothing("pull-quote")),
        ["ModerateComments"] = new(new ModerationRequest { Ids = [1, 2], Action = ModerationAction.Approve },
            Note: "The example approves the demo's two comments, which are approved already."),
        ["PatchComment"] = new(new { status = "approved" }, Note: "The example approves a demo comment that is approved already."),
        ["DeleteComment"] = new(Path: Ids("id", Nothing), Note: NamesNothing("comment")),
        ["RevokeKey"] = new(Path: Ids("id", Nothing), Note: NamesNothing("key")),
        ["UpdateWebhook"] = new(new { enabled = true }, Note: "The example names the webhook the \"Create a webhook\" example makes: execute that first."),
        ["GetWebhook"] = new(Note: "The example names the webhook the \"Create a webhook\" example makes: execute that first."),
        ["RotateWebhookSecret"] = new(Note: "The example names the webhook the \"Create a webhook\" example makes: execute that first."),
        ["ListDeliveries"] = new(Note: "The example names the webhook the \"Create a webhook\" example makes: execute that first."),
        ["DeleteWebhook"] = new(Path: Ids("id", Nothing), Note: NamesNothing("webhook")),
        ["IssuePreviewLink"] = new(Path: Ids("article", CreatedArticle),
            Note: "The example names the draft the \"Create an article\" example makes: execute that first."),
        ["RetryDelivery"] = new(Path: Ids("deliveryId", Nothing), Note: NamesNothing("delivery")),
    };

    /// <summary>The operations whose example shows an error on purpose, with the status it shows.</summary>
    public static IEnumerable<string> ShowingNotFound =>
        ByOperation.Where(e => e.Value.Path?.Values.Contains(Nothing) == true).Select(e => e.Key);

    public static Example? For(string? operationId) => operationId is null ? null : ByOperation.GetValueOrDefault(operationId);

    private static Dictionary<string, object> Ids(string name, object value) => new() { [name] = value };
}
