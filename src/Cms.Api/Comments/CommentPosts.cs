using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Http;


namespace Cms.Api.Comments;

/// <summary>The anti-abuse rules the insert checks inside its own transaction, so concurrent posts can't slip past them.</summary>
internal sealed record CommentGuards(TimeSpan FloodWindow, TimeSpan DuplicateWindow, bool ApprovedParentOnly);

/// <summary>A comment to add: already cleaned and validated, with the status it gets and the rules it must pass.</summary>
internal sealed record NewComment(long ArticleId, CommentRequest Request, CommentStatus Status, string? ClientIp, CommentGuards Guards);

/// <summary>
/// Readers' posts: each checks its parent, flood control and duplicates inside the write transaction, against the posts
/// committed and those before it in its batch; posts are group-committed (<see cref="GroupCommit{TItem, TResult}"/>),
/// so a burst of readers costs one fsync, and a 201 still means the comment is on disk.
/// </summary>
internal sealed class CommentPosts
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
          AND parent_id IS NOT DISTINCT FROM @ParentId AND body = @Body AND (name = @Name OR (@Email IS NOT NULL AND email = @Email)))
        """;

    private const string SelectParents = "SELECT id AS Id, article_id AS ArticleId, status AS Status FROM comments WHERE id IN @Ids";

    private const string Insert = """
        INSERT INTO comments (article_id, parent_id, name, email, website, body, body_hash, status, client_ip, created_at, updated_at, version)
        VALUES (@ArticleId, @ParentId, @Name, @Email, @Website, @Body, @BodyHash, @Status, @ClientIp, @Now, @Now, 1)
        RETURNING id
        """;

    // The common case in one statement: the post is inserted only if it passes both rules (nothing from its sender since
    // @FloodSince, no duplicate since @DuplicateSince); when it does not, the rules run one by one to say which it broke.
    private const string InsertUnlessRefused = """
        INSERT INTO comments (article_id, parent_id, name, email, website, body, body_hash, status, client_ip, created_at, updated_at, version)
        SELECT @ArticleId, @ParentId, @Name, @Email, @Website, @Body, @BodyHash, @Status, @ClientIp, @Now, @Now, 1
        WHERE 1 = 1
        """;

    private const string PassesFlood = $" AND COALESCE(({LatestFromSender}), '') <= @FloodSince";

    private const string PassesDuplicate = $" AND NOT ({DuplicateExists})";

    private readonly TimeProvider clock;
    private readonly GroupCommit<NewComment, WriteResult<CommentRow>> posts;

    public CommentPosts(CmsDatabase database, TimeProvider clock)
    {
        this.clock = clock;
        posts = new GroupCommit<NewComment, WriteResult<CommentRow>>(database, InsertCheckedAsync);
    }

    public Task<WriteResult<CommentRow>> CreateAsync(NewComment comment) => posts.WriteAsync(comment);

    // The batch's parents are read at once, then every post's checked insert is sent together, in arrival order, so each
    // post's rules see the posts before it; a post refused there is then checked rule by rule to say why.
    private async Task<WriteResult<CommentRow>[]> InsertCheckedAsync(WriteTransaction write, IReadOnlyList<NewComment> comments)
    {
        var now = Timestamps.Now(clock);
        var results = new WriteResult<CommentRow>[comments.Count];
        var parents = await ParentsAsync(write, comments);
        var inserts = new List<(int Index, CommentInsert Row)>();
        for (var i = 0; i < comments.Count; i++)
        {
            var (articleId, request, _, _, guards) = comments[i];
            if (request.ParentId is { } parentId
                && (!parents.TryGetValue(parentId, out var parent) || parent.ArticleId != articleId || (guards.ApprovedParentOnly && parent.Status != "approved")))
            {
                results[i] = WriteResult<CommentRow>.Invalid("parentId", $"There is no comment {parentId} on this article to reply to.");
            }
            else
            {
                inserts.Add((i, CommentInsert.Of(comments[i], now)));
            }
        }

        var ids = await write.ScalarEachAsync<long?>([.. inserts.Select(insert => (CheckedInsert(comments[insert.Index].Guards), (object)insert.Row))]);
        for (var k = 0; k < inserts.Count; k++)
        {
            var (i, row) = inserts[k];
            if (ids[k] is not { } id)
            {
                if (await RefusedAsync(write, row, comments[i].Guards) is { } refused)
                {
                    results[i] = refused;
                    continue;
                }

                id = await write.ScalarAsync<long>(Insert, row);
            }

            results[i] = Saved(write, comments[i], row, id);
        }

        return results;
    }

    private static async Task<Dictionary<long, ParentComment>> ParentsAsync(WriteTransaction write, IReadOnlyList<NewComment> comments)
    {
        var ids = comments.Where(c => c.Request.ParentId is not null).Select(c => c.Request.ParentId!.Value).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var (sql, parameters) = IdLists.Expand(SelectParents, ids);
        return (await write.ListAsync<ParentComment>(sql, parameters)).ToDictionary(p => p.Id);
    }

    private static string CheckedInsert(CommentGuards guards) =>
        InsertUnlessRefused
        + (guards.FloodWindow > TimeSpan.Zero ? PassesFlood : string.Empty)
        + (guards.DuplicateWindow > TimeSpan.Zero ? PassesDuplicate : string.Empty)
        + " RETURNING id";

    private static WriteResult<CommentRow> Saved(WriteTransaction write, NewComment comment, CommentInsert row, long id)
    {
        write.Emit(CommentEvents.Of(CommentEvents.Created, id, row.ArticleId, row.ParentId, row.Status));

        // Only an approved comment changes what the public sees: the views of its article's comments.
        if (comment.Status == CommentStatus.Approved)
        {
            write.Changed(SurrogateKeys.ArticleComments(row.ArticleId));
        }

        // Exactly what a read of the new row returns (a new comment has no replies), without reading it back.
        return WriteResult<CommentRow>.Saved(new CommentRow
        {
            Id = id,
            ArticleId = row.ArticleId,
            ParentId = row.ParentId,
            Name = row.Name,
            Email = row.Email,
            Website = row.Website,
            Body = row.Body,
            Status = row.Status,
            CreatedAt = row.Now,
            UpdatedAt = row.Now,
            Version = 1,
        });
    }

    // Which rule a post broke, checked one by one; null when it broke none after all.
    private static async Task<WriteResult<CommentRow>?> RefusedAsync(WriteTransaction write, CommentInsert row, CommentGuards guards)
    {
        if (guards.FloodWindow > TimeSpan.Zero
            && await write.ScalarAsync<string?>(LatestFromSender, new { row.ClientIp, row.Email }) is { } latestText)
        {
            var wait = Timestamps.Parse(latestText) + guards.FloodWindow - row.Now;
            if (wait > TimeSpan.Zero)
            {
                return WriteResult<CommentRow>.TooSoon(wait, "You are posting comments too quickly. Please wait {0} second(s) and try again.");
            }
        }

        if (guards.DuplicateWindow > TimeSpan.Zero && await write.ScalarAsync<bool>(DuplicateExists, row))
        {
            return WriteResult<CommentRow>.Conflict("You have already posted this comment.");
        }

        return null;
    }

    private sealed record ParentComment(long Id, long ArticleId, string Status);

    // A post's values, as its statements name them.
    private sealed record CommentInsert(
        long ArticleId, long? ParentId, string Name, string? Email, string? Website, string Body, long BodyHash, string Status,
        string? ClientIp, DateTimeOffset Now, DateTimeOffset FloodSince, DateTimeOffset Since)
    {
        public static CommentInsert Of(NewComment comment, DateTimeOffset now)
        {
            var (articleId, request, status, clientIp, guards) = comment;
            return new CommentInsert(
                articleId, request.ParentId, request.Name!, string.IsNullOrEmpty(request.Email) ? null : request.Email,
                string.IsNullOrEmpty(request.Website) ? null : request.Website, request.Body!, CommentText.Fingerprint(request.Body!),
                QueryValues.ToText(status), clientIp, now, now - guards.FloodWindow, now - guards.DuplicateWindow);
        }
    }
}
