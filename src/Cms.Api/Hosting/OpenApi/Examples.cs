using Cms.Api.Articles;
using Cms.Api.Articles.PullQuotes;
using Cms.Api.Articles.Sections;
using Cms.Api.Auth;
using Cms.Api.Auth.Keys;
using Cms.Api.Comments;
using Cms.Api.Revisions;
using Cms.Api.Transfer;
using Cms.Api.Webhooks;

namespace Cms.Api.Hosting.OpenApi;

/// <summary>Example request bodies shown in Swagger UI ("Try it out" starts from these).</summary>
public static class Examples
{
    /// <summary>The title of the example article (a draft the "Create an article" example makes).</summary>
    public const string ArticleTitle = "Harbour ferry returns after forty years";

    private static readonly Dictionary<Type, object> ByType = new()
    {
        [typeof(ArticleRequest)] = new ArticleRequest
        {
            Title = ArticleTitle,
            Standfirst = "The crossing that closed in 1986 runs again from Monday, with two electric boats.",
            Byline = "Ines Marlow, transport correspondent",
            Status = ArticleStatus.Draft,
        },
        [typeof(SectionRequest)] = new SectionRequest
        {
            Heading = "Two boats, one timetable",
            Body = "The ferries will cross every twenty minutes from 7am.\n\nSingle fares stay at £1.80, the price set when the service closed.",
        },
        [typeof(SectionOrderRequest)] = new SectionOrderRequest { SectionIds = [3, 1, 2] },
        [typeof(PullQuoteRequest)] = new PullQuoteRequest
        {
            Text = "My grandfather worked this crossing. I never thought I'd see it again.",
            Attribution = "Leonie Marsh, harbourmaster",
            SectionId = 1,
            AfterParagraph = 1,
        },
        [typeof(CommentRequest)] = new CommentRequest
        {
            Name = "Tom from Eastgate",
            Email = "tom@example.org",
            Body = "Great news. Will bikes be allowed on board?",
        },
        [typeof(CommentUpdateRequest)] = new CommentUpdateRequest { Status = CommentStatus.Approved },
        [typeof(ArticleDocument)] = Document,
        [typeof(ModerationRequest)] = new ModerationRequest { Ids = [12, 13, 17], Action = ModerationAction.Approve },
        [typeof(Previews.PreviewLinkRequest)] = new Previews.PreviewLinkRequest { ExpiresIn = 86400 },
        [typeof(KeyRequest)] = new KeyRequest { Name = "ci-preview", Role = Roles.Editor },
        [typeof(WebhookRequest)] = new WebhookRequest
        {
            Url = "https://hooks.example.com/cms", Events = [ArticleEvents.Published, ArticleEvents.Unpublished, ArticleEvents.Deleted], Description = "Purge the CDN",
        },
        [typeof(ContentBundle)] = new ContentBundle
        {
            Articles = [Document with { Slug = "harbour-ferry-returns" }],
            Comments =
            [
                new CommentDocument
                {
                    Article = "harbour-ferry-returns",
                    Name = "Tom from Eastgate",
                    Body = "Will bikes be allowed on board?",
                    Status = CommentStatus.Approved,
                    CreatedAt = new DateTimeOffset(2026, 11, 20, 8, 15, 0, TimeSpan.Zero),
                },
            ],
        },
    };

    private static ArticleDocument Document => new()
    {
        Title = ArticleTitle,
        Standfirst = "Two electric boats, from Monday.",
        Byline = "Ines Marlow",
        Status = ArticleStatus.Published,
        Sections =
        [
            new SectionDocument { Body = "The crossing closed in 1986.\n\nIt reopens on Monday." },
            new SectionDocument { Heading = "Fares", Body = "Single fares stay at £1.80." },
        ],
        PullQuotes = [new PullQuoteDocument { Text = "About time.", Attribution = "A commuter", Section = 1, AfterParagraph = 1 }],
    };

    /// <summary>
    /// An article in Markdown, as an editor pastes it (<see cref="ArticleMarkdown"/>): written from the JSON example, a
    /// draft under the slug its title makes, so it always parses and creating it harms nothing.
    /// </summary>
    public static string Markdown => ArticleMarkdown.Write(Document with
    {
        Slug = Slugs.FromTitle(Document.Title!),
        Status = ArticleStatus.Draft,
        Byline = "Ines Marlow, transport correspondent",
    });

    public static object? For(Type type) => ByType.GetValueOrDefault(type);

    public static void Add(Type type, object example) => ByType[type] = example;
}
