using Cms.Api.Articles;
using Cms.Api.Comments;
using Cms.Api.Data;

namespace Cms.Api.Transfer;

/// <summary>
/// One original, published demo article (four sections, a pull-quote, two approved comments) so that a new
/// install shows something real in Swagger UI. Only seeded into an empty database, through the same document
/// writes as an import.
/// </summary>
internal static class DemoContent
{
    public const string Slug = "the-night-the-river-came-to-town";

    private const string CountArticles = "SELECT COUNT(*) FROM articles";

    private static readonly (string? Heading, string Body)[] Sections =
    [
        (null, "At a quarter past two on Thursday morning, the siren on the old grain store sounded for the first time in a generation.\n\nBy dawn the Wend had climbed over the quay wall and into Mill Street, where it stood knee-deep outside the bakery."),
        ("A warning that came in time", "The county’s new river gauges, installed upstream last spring, sent their first alert at 11.40pm, almost three hours before the water reached the town.\n\n“We had time to move the cars and carry the old folk upstairs,” said Dora Kettle, who has run the corner shop for thirty-one years."),
        ("Counting the cost", "Fourteen homes and six businesses were flooded. Nobody was hurt.\n\nThe council has opened the school hall as a rest centre and says skips will be in place along Mill Street by Saturday."),
        ("What happens next", "Engineers will inspect the quay wall next week. A public meeting on the flood defence plan is set for 4 December at the town hall."),
    ];

    /// <summary>The demo article (the OpenAPI examples read and rewrite it with its own values).</summary>
    public static ArticleDocument Article => new()
    {
        Slug = Slug,
        Title = "The night the river came to town",
        Standfirst = "Flood sirens woke Wendmouth at 2am. By breakfast, Mill Street was a river — and the new warning system had bought the town three hours.",
        Byline = "Ada Penrose, local affairs reporter",
        Status = ArticleStatus.Published,
        Sections = Sections.Select(s => new SectionDocument { Heading = s.Heading, Body = s.Body }).ToList(),
        PullQuotes =
        [
            new PullQuoteDocument
            {
                Text = "We had time to move the cars and carry the old folk upstairs.",
                Attribution = "Dora Kettle, shopkeeper",
                Section = 2,
                AfterParagraph = 1,
            },
        ],
    };

    public static async Task SeedIfEmptyAsync(DocumentWriters writers, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var documents = await writers.BeginAsync(bulk: false, dryRun: false, cancellationToken);
        if (await documents.Write.ScalarAsync<long>(CountArticles) > 0)
        {
            return;
        }

        var now = Timestamps.Now(clock);
        var (_, id) = await documents.UpsertAsync(Slug, Article, now);
        documents.Write.Revised([id]);

        foreach (var (name, body) in Comments)
        {
            var comment = new CommentDocument
            {
                Article = Slug,
                Name = name,
                Body = body,
                Status = CommentStatus.Approved,
                CreatedAt = now,
            };
            await documents.AddCommentAsync(comment, CommentFacts.Of(comment, now), parentId: null);
        }

        await documents.CommitAsync();
    }

    private static readonly (string Name, string Body)[] Comments =
    [
        ("Sam from Quay Row", "Thank you to the volunteers who were out with sandbags at 3am. Proud of this town."),
        ("Priya", "Does anyone know if the library is open on Saturday?\nOur books got soaked."),
    ];
}
