using Cms.Api.Common;
using Cms.Api.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Articles;

/// <summary>A stored article row; internal, mapped to <see cref="ArticleResponse"/> at the edge.</summary>
internal sealed class ArticleRow
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Standfirst { get; init; }
    public string? Byline { get; init; }
    public string Status { get; init; } = "draft";
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; }

    public bool IsPublished => Status == ArticleStatuses.Published;

    public ArticleResponse ToResponse() => new(
        Id, Slug, Title, Standfirst, Byline, ArticleStatuses.Parse(Status), PublishedAt, CreatedAt, UpdatedAt, Version);

    public ArticleRequest ToRequest() => new()
    {
        Slug = Slug,
        Title = Title,
        Standfirst = Standfirst,
        Byline = Byline,
        Status = ArticleStatuses.Parse(Status),
    };
}

internal static class ArticleStatuses
{
    public const string Published = "published";

    public static string ToText(ArticleStatus status) => status.ToString().ToLowerInvariant();

    public static ArticleStatus Parse(string text) => Enum.Parse<ArticleStatus>(text, ignoreCase: true);
}

internal enum ArticleWriteOutcome
{
    Saved,
    Unchanged,
    NotFound,
    SlugTaken,
}

internal sealed class ArticleStore(CmsDatabase database, TimeProvider clock)
{
    private const string Columns =
        "id, slug, title, standfirst, byline, status, published_at, created_at, updated_at, version";

    private const string SelectById = $"SELECT {Columns} FROM articles WHERE id = @Id";
    private const string SelectBySlug = $"SELECT {Columns} FROM articles WHERE slug = @Slug";

    // Newest first: by publication time, or creation time for drafts that were never published.
    private const string SelectPage = $"""
        SELECT {Columns} FROM articles
        WHERE (@Status IS NULL OR status = @Status)
        ORDER BY COALESCE(published_at, created_at) DESC, id DESC
        LIMIT @Limit OFFSET @Offset
        """;

    private const string SelectSimilarSlugs = "SELECT slug FROM articles WHERE slug = @Base OR slug GLOB @Base || '-[0-9]*'";
    private const string SlugInUse = "SELECT EXISTS (SELECT 1 FROM articles WHERE slug = @Slug AND id <> @Id)";

    private const string Insert = $"""
        INSERT INTO articles (slug, title, standfirst, byline, status, published_at, created_at, updated_at, version)
        VALUES (@Slug, @Title, @Standfirst, @Byline, @Status, @PublishedAt, @Now, @Now, 1)
        RETURNING {Columns}
        """;

    private const string Update = $"""
        UPDATE articles
        SET slug = @Slug, title = @Title, standfirst = @Standfirst, byline = @Byline, status = @Status,
            published_at = @PublishedAt, updated_at = @Now, version = version + 1
        WHERE id = @Id
        RETURNING {Columns}
        """;

    private const string Delete = "DELETE FROM articles WHERE id = @Id";

    /// <summary>Finds an article by numeric id or by slug (slugs are never all digits, so the two cannot clash).</summary>
    public async Task<ArticleRow?> FindAsync(string reference, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return long.TryParse(reference, System.Globalization.NumberStyles.None, null, out var id)
            ? await connection.QuerySingleOrDefaultAsync<ArticleRow>(SelectById, new { Id = id })
            : await connection.QuerySingleOrDefaultAsync<ArticleRow>(SelectBySlug, new { Slug = reference });
    }

    public async Task<ArticleRow?> FindByIdAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ArticleRow>(SelectById, new { Id = id });
    }

    public async Task<IReadOnlyList<ArticleRow>> ListAsync(string? status, Paging paging, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ArticleRow>(
            SelectPage, new { Status = status, Limit = paging.FetchCount, paging.Offset });
        return rows.AsList();
    }

    public async Task<(ArticleWriteOutcome Outcome, ArticleRow? Row)> CreateAsync(ArticleRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var now = Timestamps.Now(clock);
        string slug;
        if (request.Slug is { } chosen)
        {
            if (await connection.ExecuteScalarAsync<bool>(SlugInUse, new { Slug = chosen, Id = 0L }, transaction))
            {
                return (ArticleWriteOutcome.SlugTaken, null);
            }

            slug = chosen;
        }
        else
        {
            slug = await FreeSlugAsync(connection, transaction, Slugs.FromTitle(request.Title!));
        }

        var status = request.Status ?? ArticleStatus.Draft;
        var row = await connection.QuerySingleAsync<ArticleRow>(Insert, new
        {
            Slug = slug,
            request.Title,
            request.Standfirst,
            request.Byline,
            Status = ArticleStatuses.ToText(status),
            PublishedAt = status == ArticleStatus.Published ? now : (DateTimeOffset?)null,
            Now = now,
        }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return (ArticleWriteOutcome.Saved, row);
    }

    /// <summary>Replaces the writable fields. Writes nothing (and keeps the version) when nothing changed.</summary>
    public async Task<(ArticleWriteOutcome Outcome, ArticleRow? Row)> UpdateAsync(long id, ArticleRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var current = await connection.QuerySingleOrDefaultAsync<ArticleRow>(SelectById, new { Id = id }, transaction);
        if (current is null)
        {
            return (ArticleWriteOutcome.NotFound, null);
        }

        var slug = request.Slug ?? current.Slug;
        var status = request.Status is { } requested ? ArticleStatuses.ToText(requested) : current.Status;
        if (slug == current.Slug && request.Title == current.Title && request.Standfirst == current.Standfirst
            && request.Byline == current.Byline && status == current.Status)
        {
            return (ArticleWriteOutcome.Unchanged, current);
        }

        if (slug != current.Slug && await connection.ExecuteScalarAsync<bool>(SlugInUse, new { Slug = slug, Id = id }, transaction))
        {
            return (ArticleWriteOutcome.SlugTaken, null);
        }

        var now = Timestamps.Now(clock);
        var row = await connection.QuerySingleAsync<ArticleRow>(Update, new
        {
            Id = id,
            Slug = slug,
            request.Title,
            request.Standfirst,
            request.Byline,
            Status = status,
            // Set when first published, then kept: unpublishing and republishing does not move the date.
            PublishedAt = current.PublishedAt ?? (status == ArticleStatuses.Published ? now : null),
            Now = now,
        }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return (ArticleWriteOutcome.Saved, row);
    }

    /// <summary>Deletes the article; its sections, pull-quotes and comments go with it (ON DELETE CASCADE).</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(Delete, new { Id = id }) == 1;
    }

    /// <summary>"my-title", or "my-title-2", "my-title-3"… when taken.</summary>
    private static async Task<string> FreeSlugAsync(SqliteConnection connection, SqliteTransaction transaction, string baseSlug)
    {
        var taken = (await connection.QueryAsync<string>(SelectSimilarSlugs, new { Base = baseSlug }, transaction)).ToHashSet();
        if (!taken.Contains(baseSlug))
        {
            return baseSlug;
        }

        var suffix = 2;
        while (taken.Contains($"{baseSlug}-{suffix}"))
        {
            suffix++;
        }

        return $"{baseSlug}-{suffix}";
    }
}
