using Cms.Api.Articles;
using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Transfer;
using Dapper;

namespace Cms.Api.Comments;

internal sealed class CommentRow
{
    public long Id { get; init; }
    public long ArticleId { get; init; }
    public long? ParentId { get; init; }
    public string Name { get; init; } = "";
    public string? Email { get; init; }
    public string? Website { get; init; }
    public string Body { get; init; } = "";
    public string Status { get; init; } = "pending";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; }
    public string? ModeratedBy { get; init; }
    public DateTimeOffset? ModeratedAt { get; init; }
    public long ReplyCount { get; init; }
    public string ArticleStatus { get; init; } = "";

    public bool IsApproved => Status == "approved";

    /// <summary>The e-mail address and the moderation record are included only for callers with a key.</summary>
    public CommentResponse ToResponse(bool withEmail) => new(
        Id, ArticleId, ParentId, Name, withEmail ? Email : null, Website, Body,
        Enum.Parse<CommentStatus>(Status, ignoreCase: true), CreatedAt, UpdatedAt, Version)
    {
        ReplyCount = ReplyCount,
        ModeratedBy = withEmail ? ModeratedBy : null,
        ModeratedAt = withEmail ? ModeratedAt : null,
    };

    public CommentUpdateRequest ToRequest() => new()
    {
        Name = Name,
        Email = Email,
        Website = Website,
        Body = Body,
        Status = Enum.Parse<CommentStatus>(Status, ignoreCase: true),
    };
}

internal enum CommentCreateOutcome
{
    Created,
    InvalidParent,
    Duplicate,
    TooSoon,
}

/// <summary>The anti-abuse rules the insert checks inside its own transaction, so concurrent posts can't slip past them.</summary>
internal sealed record CommentGuards(TimeSpan FloodWindow, TimeSpan DuplicateWindow, bool ApprovedParentOnly);

/// <summary>A comment to add: already cleaned and validated, with the status it gets and the rules it must pass.</summary>
internal sealed record NewComment(long ArticleId, CommentRequest Request, CommentStatus Status, string? ClientIp, CommentGuards Guards);

internal readonly record struct CommentCreateResult(CommentCreateOutcome Outcome, CommentRow? Row, TimeSpan RetryAfter);

internal sealed class CommentStore(CmsDatabase database, TimeProvider clock)
{
    // Both rules compare a post with what readers posted through the API: imported comments are history, and the
    // partial indexes these lookups use leave them out (migration 0009).
    internal const string LatestFromSender = """
        SELECT MAX(created_at) FROM comments
        WHERE (@ClientIp IS NOT NULL AND client_ip = @ClientIp) OR (@Email IS NOT NULL AND email = @Email AND imported IS NULL)
        """;

    internal const string DuplicateExists = """
        SELECT EXISTS (SELECT 1 FROM comments
        WHERE article_id = @ArticleId AND body_hash = @BodyHash AND created_at >= @Since AND imported IS NULL
          AND parent_id IS @ParentId AND body = @Body AND (name = @Name OR (@Email IS NOT NULL AND email = @Email)))
        """;

    internal const string Columns = """
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

    private const string SelectParent = "SELECT article_id AS ArticleId, status AS Status FROM comments WHERE id = @Id";

    private const string Insert = """
        INSERT INTO comments (article_id, parent_id, name, email, website, body, body_hash, status, client_ip, created_at, updated_at, version)
        VALUES (@ArticleId, @ParentId, @Name, @Email, @Website, @Body, @BodyHash, @Status, @ClientIp, @Now, @Now, 1)
        RETURNING id
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
        await using var connection = await database.OpenAsync(cancellationToken);
        if (!paging.Count)
        {
            return ((await connection.QueryAsync<CommentRow>(SelectPage, parameters)).AsList(), null);
        }

        await using var results = await connection.QueryMultipleAsync($"{SelectPage};\n{CountPage}", parameters);
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
        var rows = (await connection.QueryAsync<CommentRow>(SelectTopLevelPage, parameters)).AsList();
        long? total = paging.Count ? await connection.ExecuteScalarAsync<long>(CountTopLevel, parameters) : null;
        return (rows, total);
    }

    public async Task<IReadOnlyList<CommentRow>> ListApprovedRepliesAsync(long articleId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<CommentRow>(SelectApprovedReplies, new { ArticleId = articleId })).AsList();
    }

    public async Task<CommentRow?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CommentRow>(SelectById, new { Id = id });
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<QueuedComment> queued = new();
    private readonly SemaphoreSlim batchTurn = new(1, 1);
    private const int MaxBatch = 256;

    /// <summary>
    /// Adds a comment after checking its parent, flood control and duplicates inside the write transaction, so
    /// concurrent posts can't slip past them. Group commit: posts that arrive while a batch is being written
    /// queue up and the next one of them writes them all in one transaction, each in its own savepoint (one
    /// post's failure is its own), with one commit and so one fsync. Every result is given out only after that
    /// commit: a 201 still means the comment is on disk.
    /// </summary>
    public async Task<CommentCreateResult> CreateAsync(NewComment comment)
    {
        var mine = new QueuedComment(comment);
        queued.Enqueue(mine);
        // Not cancellable: once queued, the post may be written by whoever holds the turn.
        await batchTurn.WaitAsync();
        try
        {
            while (!mine.Result.Task.IsCompleted)
            {
                var batch = new List<QueuedComment>();
                while (batch.Count < MaxBatch && queued.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                await WriteBatchAsync(batch);
            }
        }
        finally
        {
            batchTurn.Release();
        }

        return await mine.Result.Task;
    }

    private async Task WriteBatchAsync(List<QueuedComment> batch)
    {
        var results = new (CommentCreateResult Result, Exception? Error)[batch.Count];
        try
        {
            await using var connection = await database.OpenWriterAsync();
            await using var transaction = CmsDatabase.BeginWrite(connection);
            for (var i = 0; i < batch.Count; i++)
            {
                await connection.ExecuteAsync("SAVEPOINT comment", transaction: transaction);
                try
                {
                    results[i] = (await InsertCheckedAsync(connection, transaction, batch[i].Comment), null);
                    await connection.ExecuteAsync("RELEASE comment", transaction: transaction);
                }
                catch (Exception error)
                {
                    // This post fails alone (its error reaches its own request); the others in the batch go on.
                    await connection.ExecuteAsync("ROLLBACK TO comment; RELEASE comment", transaction: transaction);
                    results[i] = (default, error);
                }
            }

            await transaction.CommitAsync();
        }
        catch (Exception error)
        {
            foreach (var item in batch)
            {
                item.Result.TrySetException(error);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i].Error is { } error)
            {
                batch[i].Result.TrySetException(error);
            }
            else
            {
                batch[i].Result.TrySetResult(results[i].Result);
            }
        }
    }

    private async Task<CommentCreateResult> InsertCheckedAsync(
        System.Data.IDbConnection connection, System.Data.IDbTransaction transaction, NewComment comment)
    {
        var (articleId, request, status, clientIp, guards) = comment;
        var now = Timestamps.Now(clock);
        var email = string.IsNullOrEmpty(request.Email) ? null : request.Email;
        if (request.ParentId is { } parentId)
        {
            var parent = await connection.QuerySingleOrDefaultAsync<ParentComment>(SelectParent, new { Id = parentId }, transaction);
            if (parent is null || parent.ArticleId != articleId || (guards.ApprovedParentOnly && parent.Status != "approved"))
            {
                return new(CommentCreateOutcome.InvalidParent, null, TimeSpan.Zero);
            }
        }

        if (guards.FloodWindow > TimeSpan.Zero
            && await connection.ExecuteScalarAsync<string?>(LatestFromSender, new { ClientIp = clientIp, Email = email }, transaction) is { } latestText)
        {
            var wait = Timestamps.Parse(latestText) + guards.FloodWindow - now;
            if (wait > TimeSpan.Zero)
            {
                return new(CommentCreateOutcome.TooSoon, null, wait);
            }
        }

        var bodyHash = CommentText.Fingerprint(request.Body!);
        if (guards.DuplicateWindow > TimeSpan.Zero && await connection.ExecuteScalarAsync<bool>(DuplicateExists, new
        {
            ArticleId = articleId,
            request.ParentId,
            request.Body,
            BodyHash = bodyHash,
            request.Name,
            Email = email,
            Since = now - guards.DuplicateWindow,
        }, transaction))
        {
            return new(CommentCreateOutcome.Duplicate, null, TimeSpan.Zero);
        }

        var website = string.IsNullOrEmpty(request.Website) ? null : request.Website;
        var statusText = QueryValues.ToText(status);
        var id = await connection.ExecuteScalarAsync<long>(Insert, new
        {
            ArticleId = articleId,
            request.ParentId,
            request.Name,
            Email = email,
            Website = website,
            request.Body,
            BodyHash = bodyHash,
            Status = statusText,
            ClientIp = clientIp,
            Now = now,
        }, transaction);

        // Exactly what a read of the new row returns (a new comment has no replies), without reading it back.
        var row = new CommentRow
        {
            Id = id,
            ArticleId = articleId,
            ParentId = request.ParentId,
            Name = request.Name!,
            Email = email,
            Website = website,
            Body = request.Body!,
            Status = statusText,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        return new(CommentCreateOutcome.Created, row, TimeSpan.Zero);
    }

    private sealed class QueuedComment(NewComment comment)
    {
        public NewComment Comment { get; } = comment;

        public TaskCompletionSource<CommentCreateResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<WriteResult<CommentRow>> UpdateAsync(
        long id, Func<CommentRow, CommentUpdateRequest?> change, Func<CommentRow, bool> precondition, string who, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var current = await connection.QuerySingleOrDefaultAsync<CommentRow>(SelectById, new { Id = id }, transaction);
        if (current is null)
        {
            return WriteResult<CommentRow>.NotFound;
        }

        if (!precondition(current))
        {
            return WriteResult<CommentRow>.Stale(current);
        }

        if (change(current) is not { } request)
        {
            return WriteResult<CommentRow>.NotFound;
        }

        if (current.ToRequest() == request)
        {
            return new WriteResult<CommentRow>(current);
        }

        await connection.ExecuteAsync(Update, new
        {
            Id = id,
            request.Name,
            Email = string.IsNullOrEmpty(request.Email) ? null : request.Email,
            Website = string.IsNullOrEmpty(request.Website) ? null : request.Website,
            request.Body,
            BodyHash = CommentText.Fingerprint(request.Body!),
            Status = QueryValues.ToText(request.Status ?? CommentStatus.Pending),
            Who = who,
            Now = Timestamps.Now(clock),
        }, transaction);
        var row = await connection.QuerySingleAsync<CommentRow>(SelectById, new { Id = id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new WriteResult<CommentRow>(row);
    }

    public async Task<WriteResult<CommentRow>> DeleteAsync(long id, Func<CommentRow, bool> precondition, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var current = await connection.QuerySingleOrDefaultAsync<CommentRow>(SelectById, new { Id = id }, transaction);
        if (current is null)
        {
            return WriteResult<CommentRow>.NotFound;
        }

        if (!precondition(current))
        {
            return WriteResult<CommentRow>.Stale(current);
        }

        await connection.ExecuteAsync(Delete, new { Id = id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new WriteResult<CommentRow>(current);
    }

    /// <summary>Sets the status of all the comments, or of none when any id does not exist (returns the missing ids).</summary>
    public async Task<(IReadOnlyList<CommentRow> Rows, IReadOnlyList<long> Missing)> ModerateAsync(
        IReadOnlyList<long> ids, CommentStatus status, string who, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var existing = (await connection.QueryAsync<CommentRow>(SelectByIds, new { Ids = ids }, transaction)).Select(r => r.Id).ToHashSet();
        var missing = ids.Where(id => !existing.Contains(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            return ([], missing);
        }

        await connection.ExecuteAsync(Moderate, new { Ids = ids, Status = QueryValues.ToText(status), Who = who, Now = Timestamps.Now(clock) }, transaction);
        var rows = (await connection.QueryAsync<CommentRow>(SelectByIds, new { Ids = ids }, transaction)).AsList();
        await transaction.CommitAsync(cancellationToken);
        return (rows, []);
    }

    private sealed record ParentComment(long ArticleId, string Status);
}
