using Dapper;

namespace Cms.Api.Data;

/// <summary>
/// One original, published demo article (four sections, a pull-quote, two approved comments) so that a new
/// install shows something real in Swagger UI. Only seeded into an empty database.
/// </summary>
internal static class DemoContent
{
    public const string Slug = "the-night-the-river-came-to-town";

    private const string CountArticles = "SELECT COUNT(*) FROM articles";

    private const string InsertArticle = """
        INSERT INTO articles (slug, title, standfirst, byline, status, published_at, created_at, updated_at)
        VALUES (@Slug, @Title, @Standfirst, @Byline, 'published', @Now, @Now, @Now)
        RETURNING id
        """;

    private const string InsertSection = """
        INSERT INTO sections (article_id, position, heading, body, created_at, updated_at)
        VALUES (@ArticleId, @Position, @Heading, @Body, @Now, @Now)
        RETURNING id
        """;

    private const string InsertPullQuote = """
        INSERT INTO pull_quotes (article_id, section_id, text, attribution, after_paragraph, created_at, updated_at)
        VALUES (@ArticleId, @SectionId, @Text, @Attribution, @AfterParagraph, @Now, @Now)
        """;

    private const string InsertComment = """
        INSERT INTO comments (article_id, name, body, status, created_at, updated_at)
        VALUES (@ArticleId, @Name, @Body, 'approved', @Now, @Now)
        """;

    private static readonly (string? Heading, string Body)[] Sections =
    [
        (null, "At a quarter past two on Thursday morning, the siren on the old grain store sounded for the first time in a generation.\n\nBy dawn the Wend had climbed over the quay wall and into Mill Street, where it stood knee-deep outside the bakery."),
        ("A warning that came in time", "The county’s new river gauges, installed upstream last spring, sent their first alert at 11.40pm, almost three hours before the water reached the town.\n\n“We had time to move the cars and carry the old folk upstairs,” said Dora Kettle, who has run the corner shop for thirty-one years."),
        ("Counting the cost", "Fourteen homes and six businesses were flooded. Nobody was hurt.\n\nThe council has opened the school hall as a rest centre and says skips will be in place along Mill Street by Saturday."),
        ("What happens next", "Engineers will inspect the quay wall next week. A public meeting on the flood defence plan is set for 4 December at the town hall."),
    ];

    public static async Task SeedIfEmptyAsync(CmsDatabase database, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        if (await connection.ExecuteScalarAsync<long>(CountArticles, transaction: transaction) > 0)
        {
            return;
        }

        var now = Timestamps.Now(clock);
        var articleId = await connection.ExecuteScalarAsync<long>(InsertArticle, new
        {
            Slug,
            Title = "The night the river came to town",
            Standfirst = "Flood sirens woke Wendmouth at 2am. By breakfast, Mill Street was a river — and the new warning system had bought the town three hours.",
            Byline = "Ada Penrose, local affairs reporter",
            Now = now,
        }, transaction);

        var sectionIds = new List<long>();
        for (var i = 0; i < Sections.Length; i++)
        {
            sectionIds.Add(await connection.ExecuteScalarAsync<long>(InsertSection, new
            {
                ArticleId = articleId,
                Position = i + 1,
                Sections[i].Heading,
                Sections[i].Body,
                Now = now,
            }, transaction));
        }

        await connection.ExecuteAsync(InsertPullQuote, new
        {
            ArticleId = articleId,
            SectionId = sectionIds[1],
            Text = "We had time to move the cars and carry the old folk upstairs.",
            Attribution = "Dora Kettle, shopkeeper",
            AfterParagraph = 1,
            Now = now,
        }, transaction);

        await connection.ExecuteAsync(InsertComment, new[]
        {
            new { ArticleId = articleId, Name = "Sam from Quay Row", Body = "Thank you to the volunteers who were out with sandbags at 3am. Proud of this town.", Now = now },
            new { ArticleId = articleId, Name = "Priya", Body = "Does anyone know if the library is open on Saturday?\nOur books got soaked.", Now = now },
        }, transaction);

        await transaction.CommitAsync(cancellationToken);
    }
}
