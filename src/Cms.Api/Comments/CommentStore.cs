using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;

namespace Cms.Api.Comments;

internal sealed class CommentStore(CmsDatabase database, TimeProvider clock)
{
    /// <summary>
    /// The comments an article page embeds: the target article's comments (<paramref name="articleIds"/> is a subquery
    /// naming it), oldest first, approved only unless @AllComments, at most @CommentFetch. The page is read in one
    /// command, so this feature hands its query to the article page rather than reading the comments itself.
    /// </summary>
    public static string SelectForPage(string articleIds) => $"""
        SELECT {Columns} FROM comments c JOIN articles a ON a.id = c.article_id
        WHERE c.article_id IN {articleIds} AND (@AllComments OR c.status = 'approved')
        ORDER BY c.created_at, c.id
        LIMIT @CommentFetch
        """;

    private const string Columns = """
        c.id, c.article_id, c.parent_id, c.name, c.email, c.website, c.body, c.status, c.created_at, c.updated_at, c.version,
        c.moderated_by, c.moderated_at,
        (SELECT COUNT(*) FROM comments r WHERE r.parent_id = c.id AND r.status = 'approved') AS reply_count,
        a.status AS article_status
        """;

    private const string SelectById = $"SELECT {Columns} FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.id = @Id";

    // Oldest first, so a thread reads top to bottom; the moderation queue likewise shows the longest-waiting
    // first. Keyset paging on (created_at, id), served by ix_comments_article / ix_comments_status.
    private const string SelectPage = $"""
        SELECT {Columns} FROM comments c JOIN articles a ON a.id = c.article_id
        WHERE (@ArticleId IS NULL OR c.article_id = @ArticleId) AND (@Status IS NULL OR c.status = @Status)
          AND (@CursorId IS NULL OR (c.created_at, c.id) > (@CursorKey, @CursorId))
        ORDER BY c.created_at, c.id
        LIMIT @Fetch OFFSET @Offset
        """;

    private const string CountPage = """
        SELECT COUNT(*) FROM comments c
        WHERE (@ArticleId IS NULL OR c.article_id = @ArticleId) AND (@Status IS NULL OR c.status = @Status)
        """;

    // A status change records who made it and when; other edits leave that record alone.
    private const string Update = """
        UPDATE comments
        SET name = @Name, email = @Email, website = @Website, body = @Body, body_hash = @BodyHash,
            moderated_by = CASE WHEN status <> @Status THEN @Who ELSE moderated_by END,
            moderated_at = CASE WHEN status <> @Status THEN @Now ELSE moderated_at END,
            status = @Status, updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    private const string Moderate = """
        UPDATE comments
        SET status = @Status, moderated_by = @Who, moderated_at = @Now, updated_at = @Now, version = version + 1
        WHERE id IN @Ids AND status <> @Status
        """;

    private const string SelectByIds = $"SELECT {Columns} FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.id IN @Ids ORDER BY c.id";

    private const string SelectExistingIds = "SELECT id FROM comments WHERE id IN @Ids";

    private const string Delete = "DELETE FROM comments WHERE id = @Id";

    public async Task<(IReadOnlyList<CommentRow> Rows, long? TotalCount)> ListAsync(
        long? articleId, CommentStatus? status, ListParameters paging, CancellationToken cancellationToken)
    {
        var parameters = new
        {
            ArticleId = articleId,
            Status = status is { } s ? QueryValues.ToText(s) : null,
            CursorKey = paging.After?.Key,
            CursorId = paging.After?.Id,
            Fetch = paging.FetchCount,
            paging.Offset,
        };
        if (!paging.Count)
        {
            return (await database.ListAsync<CommentRow>(SelectPage, parameters, cancellationToken), null);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition($"{SelectPage};\n{CountPage}", parameters, cancellationToken: cancellationToken));
        var rows = (await results.ReadAsync<CommentRow>()).AsList();
        return (rows, await results.ReadSingleAsync<long>());
    }

    private const string SelectTopLevelPage = $"""
        SELECT {Columns} FROM comments c JOIN articles a ON a.id = c.article_id
        WHERE c.article_id = @ArticleId AND c.parent_id IS NULL AND c.status = 'approved'
          AND (@CursorId IS NULL OR (c.created_at, c.id) > (@CursorKey, @CursorId))
        ORDER BY c.created_at, c.id
        LIMIT @Fetch OFFSET @Offset
        """;

    private const string CountTopLevel =
        "SELECT COUNT(*) FROM comments WHERE article_id = @ArticleId AND parent_id IS NULL AND status = 'approved'";

    private const string SelectApprovedReplies = $"""
        SELECT {Columns} FROM comments c JOIN articles a ON a.id = c.article_id
        WHERE c.article_id = @ArticleId AND c.parent_id IS NOT NULL AND c.status = 'approved'
        ORDER BY c.created_at, c.id
        """;

    public async Task<(IReadOnlyList<CommentRow> Rows, long? TotalCount)> ListTopLevelAsync(
        long articleId, ListParameters paging, CancellationToken cancellationToken)
    {
        var parameters = new { ArticleId = articleId, CursorKey = paging.After?.Key, CursorId = paging.After?.Id, Fetch = paging.FetchCount, paging.Offset };
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<CommentRow>(new CommandDefinition(SelectTopLevelPage, parameters, cancellationToken: cancellationToken))).AsList();
        long? total = paging.Count
            ? await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountTopLevel, parameters, cancellationToken: cancellationToken))
            : null;
        return (rows, total);
    }

    public Task<List<CommentRow>> ListApprovedRepliesAsync(long articleId, CancellationToken cancellationToken) =>
        database.ListAsync<CommentRow>(SelectApprovedReplies, new { ArticleId = articleId }, cancellationToken);

    public Task<CommentRow?> FindAsync(long id, CancellationToken cancellationToken) =>
        database.SingleOrDefaultAsync<CommentRow>(SelectById, new { Id = id }, cancellationToken);

    public Task<WriteResult<CommentRow>> UpdateAsync(
        long id, Func<CommentRow, Proposed<CommentUpdateRequest>> change, Func<CommentRow, bool> precondition, string who, CancellationToken cancellationToken) =>
        database.EditRowAsync<CommentRow, CommentUpdateRequest>(SelectById, id, precondition, change, async (write, current, request) =>
        {
            if (current.ToRequest() == request)
            {
                return WriteResult<CommentRow>.Unchanged(current);
            }

            write.Changed(SurrogateKeys.Comment(id), SurrogateKeys.ArticleComments(current.ArticleId));
            var status = request.Status ?? CommentStatus.Pending;
            if (QueryValues.ToText(status) != current.Status && CommentEvents.Moderated(status) is { } moderated)
            {
                write.Emit(CommentEvents.Of(moderated, id, current.ArticleId, current.ParentId, QueryValues.ToText(status)));
            }

            await write.ExecuteAsync(Update, new
            {
                Id = id,
                request.Name,
                Email = string.IsNullOrEmpty(request.Email) ? null : request.Email,
                Website = string.IsNullOrEmpty(request.Website) ? null : request.Website,
                request.Body,
                BodyHash = CommentText.Fingerprint(request.Body!),
                Status = QueryValues.ToText(status),
                Who = who,
                Now = Timestamps.Now(clock),
            });
            return WriteResult<CommentRow>.Saved(await write.SingleAsync<CommentRow>(SelectById, new { Id = id }));
        }, cancellationToken);

    public Task<WriteResult<CommentRow>> DeleteAsync(long id, Func<CommentRow, bool> precondition, CancellationToken cancellationToken) =>
        database.ChangeRowAsync<CommentRow>(SelectById, id, precondition, async (write, current) =>
        {
            write.Changed(SurrogateKeys.Comment(id), SurrogateKeys.ArticleComments(current.ArticleId));
            await write.ExecuteAsync(Delete, new { Id = id });
            return WriteResult<CommentRow>.Saved(current);
        }, cancellationToken);

    /// <summary>Sets the status of all the comments, or of none when any id does not exist.</summary>
    public async Task<WriteResult<CommentList>> ModerateAsync(IReadOnlyList<long> ids, CommentStatus status, string who, CancellationToken cancellationToken)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var (selectExisting, idParameters) = IdLists.Expand(SelectExistingIds, ids);
        var existing = (await write.ListAsync<long>(selectExisting, idParameters)).ToHashSet();
        var missing = ids.Where(id => !existing.Contains(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            return WriteResult<CommentList>.Invalid("ids", $"No comment has id {string.Join(", ", missing)}; nothing was changed.");
        }

        var moderate = IdLists.Expand(Moderate, ids, new { Status = QueryValues.ToText(status), Who = who, Now = Timestamps.Now(clock) });
        await write.ExecuteAsync(moderate.Sql, moderate.Parameters);
        var selectRows = IdLists.Expand(SelectByIds, ids);
        var rows = await write.ListAsync<CommentRow>(selectRows.Sql, selectRows.Parameters);
        write.Changed(rows.SelectMany(r => new[] { SurrogateKeys.Comment(r.Id), SurrogateKeys.ArticleComments(r.ArticleId) }));
        if (CommentEvents.Moderated(status) is { } moderated)
        {
            foreach (var row in rows)
            {
                write.Emit(CommentEvents.Of(moderated, row.Id, row.ArticleId, row.ParentId, row.Status));
            }
        }

        await write.CommitAsync();
        return WriteResult<CommentList>.Saved(new CommentList(rows));
    }
}

/// <summary>Comments changed by one write.</summary>
internal sealed record CommentList(IReadOnlyList<CommentRow> Rows);
