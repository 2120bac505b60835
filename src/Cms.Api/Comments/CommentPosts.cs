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

    private const string SelectParent = "SELECT article_id AS ArticleId, status AS Status FROM comments WHERE id = @Id";

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

    private async Task<WriteResult<CommentRow>> InsertCheckedAsync(WriteTransaction write, NewComment comment)
    {
        var (articleId, request, status, clientIp, guards) = comment;
        var now = Timestamps.Now(clock);
        var email = string.IsNullOrEmpty(request.Email) ? null : request.Email;
        if (request.ParentId is { } parentId)
        {
            var parent = await write.SingleOrDefaultAsync<ParentComment>(SelectParent, new { Id = parentId });
            if (parent is null || parent.ArticleId != articleId || (guards.ApprovedParentOnly && parent.Status != "approved"))
            {
                return WriteResult<CommentRow>.Invalid("parentId", $"There is no comment {parentId} on this article to reply to.");
            }
        }

        var bodyHash = CommentText.Fingerprint(request.Body!);
        var website = string.IsNullOrEmpty(request.Website) ? null : request.Website;
        var statusText = QueryValues.ToText(status);
        var row = new
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
            FloodSince = now - guards.FloodWindow,
            Since = now - guards.DuplicateWindow,
        };
        var checkedInsert = InsertUnlessRefused
            + (guards.FloodWindow > TimeSpan.Zero ? PassesFlood : string.Empty)
            + (guards.DuplicateWindow > TimeSpan.Zero ? PassesDuplicate : string.Empty)
            + " RETURNING id";
        if (await write.ScalarAsync<long?>(checkedInsert, row) is not { } id)
        {
            if (await RefusedAsync(write, row.ClientIp, email, row.Now, guards, row) is { } refused)
            {
                return refused;
            }

            id = await write.ScalarAsync<long>(Insert, row);
        }

        write.Emit(CommentEvents.Of(CommentEvents.Created, id, articleId, request.ParentId, statusText));

        // Only an approved comment changes what the public sees: the views of its article's comments.
        if (status == CommentStatus.Approved)
        {
            write.Changed(SurrogateKeys.ArticleComments(articleId));
        }

        // Exactly what a read of the new row returns (a new comment has no replies), without reading it back.
        return WriteResult<CommentRow>.Saved(new CommentRow
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
        });
    }

    // Which rule a post broke, checked one by one; null when it broke none after all.
    private static async Task<WriteResult<CommentRow>?> RefusedAsync(
        WriteTransaction write, string? clientIp, string? email, DateTimeOffset now, CommentGuards guards, object row)
    {
        if (guards.FloodWindow > TimeSpan.Zero
            && await write.ScalarAsync<string?>(LatestFromSender, new { ClientIp = clientIp, Email = email }) is { } latestText)
        {
            var wait = Timestamps.Parse(latestText) + guards.FloodWindow - now;
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

    private sealed record ParentComment(long ArticleId, string Status);
}
