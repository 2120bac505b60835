using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Search;


namespace Cms.Api.Articles.Sections;

internal sealed class SectionRow : IArticlePartRow<SectionRequest, SectionResponse>
{
    public long Id { get; init; }
    public long ArticleId { get; init; }
    public int Position { get; init; }
    public string? Heading { get; init; }
    public string Body { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; }

    /// <summary>The owning article's status, for deciding what the public may see.</summary>
    public string ArticleStatus { get; init; } = "";

    public SectionResponse ToResponse() => new(Id, ArticleId, Position, Heading, Body, CreatedAt, UpdatedAt, Version);

    public SectionRequest ToRequest() => new() { Position = Position, Heading = Heading, Body = Body };
}

/// <summary>
/// Sections keep positions 1..n with no gaps. Positions are unique per article, so shifts go through
/// negative values: SQLite checks uniqueness row by row, and a plain "position + 1" would collide mid-update.
/// </summary>
internal sealed class SectionStore(CmsDatabase database, SearchChanges search, TimeProvider clock)
    : ArticlePartStore<SectionRow, SectionRequest>(database, SelectByArticle, SelectById)
{
    internal const string Columns = """
        s.id, s.article_id, s.position, s.heading, s.body, s.created_at, s.updated_at, s.version, a.status AS article_status
        """;

    private const string SelectByArticle =
        $"SELECT {Columns} FROM sections s JOIN articles a ON a.id = s.article_id WHERE s.article_id = @ArticleId ORDER BY s.position";

    private const string SelectById =
        $"SELECT {Columns} FROM sections s JOIN articles a ON a.id = s.article_id WHERE s.id = @Id";

    private const string CountInArticle = "SELECT COUNT(*) FROM sections WHERE article_id = @ArticleId";

    private const string ShiftToNegative = """
        UPDATE sections SET position = -(position + @Delta)
        WHERE article_id = @ArticleId AND position BETWEEN @From AND @To
        """;

    private const string FlipNegatives = """
        UPDATE sections SET position = -position, version = version + 1, updated_at = @Now
        WHERE article_id = @ArticleId AND position < 0
        """;

    private const string Insert = """
        INSERT INTO sections (article_id, position, heading, body, created_at, updated_at, version)
        VALUES (@ArticleId, @Position, @Heading, @Body, @Now, @Now, 1)
        RETURNING id
        """;

    private const string Park = "UPDATE sections SET position = 0 WHERE id = @Id";

    private const string Update = """
        UPDATE sections SET position = @Position, heading = @Heading, body = @Body, updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    private const string MoveToNegative = "UPDATE sections SET position = -@Position WHERE id = @Id AND article_id = @ArticleId";

    // A pull-quote placed after paragraph N of a deleted section has no place left; its section_id is cleared by the foreign key.
    private const string DetachPullQuotes = "UPDATE pull_quotes SET after_paragraph = NULL WHERE section_id = @Id";

    private const string Delete = "DELETE FROM sections WHERE id = @Id";

    public override async Task<WriteResult<SectionRow>> CreateAsync(long articleId, SectionRequest request, CancellationToken cancellationToken)
    {
        await using var write = await Database.BeginWriteAsync(cancellationToken);
        var count = await write.ScalarAsync<int>(CountInArticle, new { ArticleId = articleId });
        var position = request.Position ?? count + 1;
        if (position > count + 1)
        {
            return WriteResult<SectionRow>.Invalid("position", $"The position must be between 1 and {count + 1}: the article has {count} section(s).");
        }

        var now = Timestamps.Now(clock);
        await ShiftAsync(write, articleId, position, int.MaxValue, +1, now);
        var id = await write.ScalarAsync<long>(Insert, new { ArticleId = articleId, Position = position, request.Heading, request.Body, Now = now });
        await search.RecordAsync(write, articleId);
        var row = await write.SingleAsync<SectionRow>(SelectById, new { Id = id });
        write.Changed(ChangedViews(row, textChanged: true));
        await write.CommitAsync();
        return WriteResult<SectionRow>.Saved(row);
    }

    /// <summary>
    /// Replaces heading and body with <paramref name="change"/>(current), inside the transaction; a new position moves
    /// the section and shifts the ones between.
    /// </summary>
    public override Task<WriteResult<SectionRow>> UpdateAsync(
        long id, Func<SectionRow, Proposed<SectionRequest>> change, Func<SectionRow, bool> precondition, CancellationToken cancellationToken) =>
        Database.EditRowAsync<SectionRow, SectionRequest>(SelectById, id, precondition, change, async (write, current, request) =>
        {
            var position = request.Position ?? current.Position;
            if (position == current.Position && request.Heading == current.Heading && request.Body == current.Body)
            {
                return WriteResult<SectionRow>.Unchanged(current);
            }

            var count = await write.ScalarAsync<int>(CountInArticle, new { current.ArticleId });
            if (position > count)
            {
                return WriteResult<SectionRow>.Invalid("position", $"The position must be between 1 and {count}: the article has {count} section(s).");
            }

            var now = Timestamps.Now(clock);
            if (position != current.Position)
            {
                await write.ExecuteAsync(Park, new { Id = id });
                if (position < current.Position)
                {
                    await ShiftAsync(write, current.ArticleId, position, current.Position - 1, +1, now);
                }
                else
                {
                    await ShiftAsync(write, current.ArticleId, current.Position + 1, position, -1, now);
                }
            }

            await write.ExecuteAsync(Update, new { Id = id, Position = position, request.Heading, request.Body, Now = now });
            write.Changed(ChangedViews(current, textChanged: request.Heading != current.Heading || request.Body != current.Body));
            return WriteResult<SectionRow>.Saved(await write.SingleAsync<SectionRow>(SelectById, new { Id = id }));
        }, cancellationToken);

    public override Task<WriteResult<SectionRow>> DeleteAsync(long id, Func<SectionRow, bool> precondition, CancellationToken cancellationToken) =>
        Database.ChangeRowAsync<SectionRow>(SelectById, id, precondition, async (write, current) =>
        {
            await write.ExecuteAsync(DetachPullQuotes, new { Id = id });
            await write.ExecuteAsync(Delete, new { Id = id });
            await ShiftAsync(write, current.ArticleId, current.Position + 1, int.MaxValue, -1, Timestamps.Now(clock));
            write.Changed(ChangedViews(current, textChanged: true));
            return WriteResult<SectionRow>.Saved(current);
        }, cancellationToken);

    /// <summary>Puts the article's sections in the given order. The ids must be exactly the article's sections.</summary>
    public async Task<WriteResult<SectionList>> ReorderAsync(long articleId, IReadOnlyList<long> orderedIds, CancellationToken cancellationToken)
    {
        await using var write = await Database.BeginWriteAsync(cancellationToken);
        var current = await write.ListAsync<SectionRow>(SelectByArticle, new { ArticleId = articleId });
        var currentIds = current.Select(s => s.Id).ToHashSet();
        var missing = currentIds.Except(orderedIds).Order().ToList();
        var foreign = orderedIds.Except(currentIds).ToList();
        if (missing.Count > 0 || foreign.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"missing section id(s) {string.Join(", ", missing)}");
            }

            if (foreign.Count > 0)
            {
                parts.Add($"id(s) {string.Join(", ", foreign)} are not sections of this article");
            }

            return WriteResult<SectionList>.Invalid("sectionIds", $"List every section of the article exactly once: {string.Join("; ", parts)}.");
        }

        var positions = current.ToDictionary(s => s.Id, s => s.Position);
        var moves = orderedIds
            .Select((id, index) => new { Id = id, Position = index + 1, ArticleId = articleId })
            .Where(m => positions[m.Id] != m.Position)
            .ToList();
        if (moves.Count == 0)
        {
            return WriteResult<SectionList>.Unchanged(new SectionList(current));
        }

        await write.ExecuteAsync(MoveToNegative, moves);
        await write.ExecuteAsync(FlipNegatives, new { ArticleId = articleId, Now = Timestamps.Now(clock) });
        var rows = await write.ListAsync<SectionRow>(SelectByArticle, new { ArticleId = articleId });
        write.Changed(SurrogateKeys.Article(articleId)); // search text is joined in creation order, so a reorder leaves search as it is
        await write.CommitAsync();
        return WriteResult<SectionList>.Saved(new SectionList(rows));
    }

    /// <summary>
    /// The public views a section change alters: every view that shows its article and, when its text changed on a
    /// published article, every search (which articles match may have changed).
    /// </summary>
    private static IEnumerable<string> ChangedViews(SectionRow section, bool textChanged) =>
        textChanged && section.ArticleStatus == "published"
            ? [SurrogateKeys.Article(section.ArticleId), SurrogateKeys.Search]
            : [SurrogateKeys.Article(section.ArticleId)];

    /// <summary>Adds <paramref name="delta"/> to the positions in [from, to], bumping each moved section's version.</summary>
    private static async Task ShiftAsync(WriteTransaction write, long articleId, int from, int to, int delta, DateTimeOffset now)
    {
        if (from > to)
        {
            return;
        }

        await write.ExecuteAsync(ShiftToNegative, new { ArticleId = articleId, From = from, To = to, Delta = delta });
        await write.ExecuteAsync(FlipNegatives, new { ArticleId = articleId, Now = now });
    }
}

/// <summary>An article's sections in order, as one write's result.</summary>
internal sealed record SectionList(IReadOnlyList<SectionRow> Rows);
