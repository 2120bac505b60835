using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Search;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Articles.Sections;

internal sealed class SectionRow
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
internal sealed class SectionStore(CmsDatabase database, TimeProvider clock)
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

    public async Task<IReadOnlyList<SectionRow>> ListAsync(long articleId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SectionRow>(SelectByArticle, new { ArticleId = articleId })).AsList();
    }

    public async Task<SectionRow?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SectionRow>(SelectById, new { Id = id });
    }

    public async Task<WriteResult<SectionRow>> CreateAsync(long articleId, SectionRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var count = await connection.ExecuteScalarAsync<int>(CountInArticle, new { ArticleId = articleId }, transaction);
        var position = request.Position ?? count + 1;
        if (position > count + 1)
        {
            return WriteResult<SectionRow>.Invalid("position", $"The position must be between 1 and {count + 1}: the article has {count} section(s).");
        }

        var now = Timestamps.Now(clock);
        await ShiftAsync(connection, transaction, articleId, position, int.MaxValue, +1, now);
        var id = await connection.ExecuteScalarAsync<long>(Insert, new
        {
            ArticleId = articleId,
            Position = position,
            request.Heading,
            request.Body,
            Now = now,
        }, transaction);
        await connection.ExecuteAsync(SearchIndex.RecordChange, new { Id = articleId }, transaction);
        var row = await connection.QuerySingleAsync<SectionRow>(SelectById, new { Id = id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new WriteResult<SectionRow>(row);
    }

    /// <summary>
    /// Replaces heading and body with <paramref name="change"/>(current), inside the transaction (a null change
    /// abandons the write); a new position moves the section and shifts the ones between.
    /// </summary>
    public async Task<WriteResult<SectionRow>> UpdateAsync(
        long id, Func<SectionRow, SectionRequest?> change, Func<SectionRow, bool> precondition, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var current = await connection.QuerySingleOrDefaultAsync<SectionRow>(SelectById, new { Id = id }, transaction);
        if (current is null)
        {
            return WriteResult<SectionRow>.NotFound;
        }

        if (!precondition(current))
        {
            return WriteResult<SectionRow>.Stale(current);
        }

        if (change(current) is not { } request)
        {
            return WriteResult<SectionRow>.NotFound;
        }

        var position = request.Position ?? current.Position;
        if (position == current.Position && request.Heading == current.Heading && request.Body == current.Body)
        {
            return new WriteResult<SectionRow>(current);
        }

        var count = await connection.ExecuteScalarAsync<int>(CountInArticle, new { current.ArticleId }, transaction);
        if (position > count)
        {
            return WriteResult<SectionRow>.Invalid("position", $"The position must be between 1 and {count}: the article has {count} section(s).");
        }

        var now = Timestamps.Now(clock);
        if (position != current.Position)
        {
            await connection.ExecuteAsync(Park, new { Id = id }, transaction);
            if (position < current.Position)
            {
                await ShiftAsync(connection, transaction, current.ArticleId, position, current.Position - 1, +1, now);
            }
            else
            {
                await ShiftAsync(connection, transaction, current.ArticleId, current.Position + 1, position, -1, now);
            }
        }

        await connection.ExecuteAsync(Update, new { Id = id, Position = position, request.Heading, request.Body, Now = now }, transaction);
        var row = await connection.QuerySingleAsync<SectionRow>(SelectById, new { Id = id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new WriteResult<SectionRow>(row);
    }

    public async Task<WriteResult<SectionRow>> DeleteAsync(long id, Func<SectionRow, bool> precondition, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var current = await connection.QuerySingleOrDefaultAsync<SectionRow>(SelectById, new { Id = id }, transaction);
        if (current is null)
        {
            return WriteResult<SectionRow>.NotFound;
        }

        if (!precondition(current))
        {
            return WriteResult<SectionRow>.Stale(current);
        }

        await connection.ExecuteAsync(DetachPullQuotes, new { Id = id }, transaction);
        await connection.ExecuteAsync(Delete, new { Id = id }, transaction);
        await ShiftAsync(connection, transaction, current.ArticleId, current.Position + 1, int.MaxValue, -1, Timestamps.Now(clock));
        await transaction.CommitAsync(cancellationToken);
        return new WriteResult<SectionRow>(current);
    }

    /// <summary>Puts the article's sections in the given order. The ids must be exactly the article's sections.</summary>
    public async Task<(IReadOnlyList<SectionRow>? Rows, string? Error)> ReorderAsync(
        long articleId, IReadOnlyList<long> orderedIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var current = (await connection.QueryAsync<SectionRow>(SelectByArticle, new { ArticleId = articleId }, transaction)).AsList();
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

            return (null, $"List every section of the article exactly once: {string.Join("; ", parts)}.");
        }

        var moves = orderedIds
            .Select((id, index) => new { Id = id, Position = index + 1, ArticleId = articleId })
            .Where(m => current.Single(s => s.Id == m.Id).Position != m.Position)
            .ToList();
        if (moves.Count > 0)
        {
            await connection.ExecuteAsync(MoveToNegative, moves, transaction);
            await connection.ExecuteAsync(FlipNegatives, new { ArticleId = articleId, Now = Timestamps.Now(clock) }, transaction);
        }

        var rows = (await connection.QueryAsync<SectionRow>(SelectByArticle, new { ArticleId = articleId }, transaction)).AsList();
        await transaction.CommitAsync(cancellationToken);
        return (rows, null);
    }

    /// <summary>Adds <paramref name="delta"/> to the positions in [from, to], bumping each moved section's version.</summary>
    private static async Task ShiftAsync(
        SqliteConnection connection, SqliteTransaction transaction, long articleId, int from, int to, int delta, DateTimeOffset now)
    {
        if (from > to)
        {
            return;
        }

        await connection.ExecuteAsync(ShiftToNegative, new { ArticleId = articleId, From = from, To = to, Delta = delta }, transaction);
        await connection.ExecuteAsync(FlipNegatives, new { ArticleId = articleId, Now = now }, transaction);
    }
}
