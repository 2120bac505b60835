using Cms.Api.Articles;
using Cms.Api.Auth;
using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Idempotency;
using Cms.Api.Settings;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Cms.Api.Comments;

public static class CommentEndpoints
{
    public static IEndpointRouteBuilder MapComments(this IEndpointRouteBuilder routes)
    {
        var byArticle = routes.MapGroup("/api/v1/articles/{article}/comments").WithTags("Comments");
        var comments = routes.MapGroup("/api/v1/comments").WithTags("Comments");

        byArticle.MapGet("", ListArticleComments)
            .WithName(nameof(ListArticleComments))
            .WithSummary("List an article's comments, oldest first")
            .WithDescription("Without a key: approved comments of a published article, without e-mail addresses. "
                + "With a key: every status (filter with `status`), with e-mail addresses. Pages by cursor: follow `nextCursor`.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        byArticle.MapPost("", PostComment)
            .AddEndpointFilter(CommentOutcomes.CountAsync)
            .WithName(nameof(PostComment))
            .WithMetadata(new Idempotent())
            .WithSummary("Post a comment (the public comment form; no key needed)")
            .WithDescription("`name` and `body` are required (\"Please enter your name here\", \"Please enter your comment!\"). "
                + "New comments wait in the moderation queue as `pending` unless Cms:Comments:AutoApprove is on (and even then when they hold more "
                + "than 2 links). `parentId` replies to an approved comment on the same article. Render `website2` as a hidden, empty field: "
                + "a filled one is accepted (202) but stored as spam. The same comment again within 24 h is 409; a second comment from the "
                + "same address or e-mail within 15 s is 429 with `Retry-After`. Control characters are removed.")
            .Validate<CommentRequest>()
            .Produces<CommentResponse>(StatusCodes.Status201Created)
            .Produces<CommentReceived>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(PublicWrites.Policy)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        comments.MapGet("", ListComments)
            .WithName(nameof(ListComments))
            .WithSummary("The moderation queue: comments across articles, oldest first")
            .WithDescription("E.g. `?status=pending`. Optional `articleId`. Pages by cursor: follow `nextCursor`.")
            .ProducesValidationProblem()
            .RequireAuthorization();

        comments.MapPost("moderate", ModerateComments)
            .WithName(nameof(ModerateComments))
            .WithSummary("Approve, reject, mark as spam or restore many comments at once")
            .WithDescription("All or nothing: if any id is unknown, nothing changes (400 lists them). Records who and when on each.")
            .Validate<ModerationRequest>()
            .Produces<ItemList<CommentResponse>>()
            .RequireAuthorization();

        comments.MapGet("{id}", GetComment)
            .WithName(nameof(GetComment))
            .WithSummary("Get one comment")
            .WithDescription("Without a key, only approved comments on published articles are found.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        comments.MapPatch("{id}", PatchComment)
            .WithName(nameof(PatchComment))
            .WithSummary("Moderate or edit a comment (JSON Merge Patch)")
            .WithDescription("E.g. `{\"status\":\"approved\"}` to publish it, `spam` or `rejected` to hide it. Honours `If-Match`.")
            .Accepts<CommentUpdateRequest>(MergePatch.MediaType, "application/json")
            .ProducesValidationProblem()
            .WritePreconditions()
            .Produces<CommentResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        comments.MapDelete("{id}", DeleteComment)
            .WithName(nameof(DeleteComment))
            .WithSummary("Delete a comment")
            .WithDescription("Replies to it stay, as top-level comments. Honours `If-Match`.")
            .WritePreconditions()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        return routes;
    }

    /// <summary>Comment lists are oldest first; cursors carry (createdAt, id).</summary>
    internal const string CommentSort = "createdAt";

    internal static async Task<Results<CachedJson<Page<CommentResponse>>, ValidationProblem, ProblemHttpResult>> ListArticleComments(
        string article, HttpContext context, ArticleStore articles, CommentStore store,
        int? limit, string? cursor, int? offset, bool? count, string? status, string? include, CancellationToken cancellationToken)
    {
        if (!ListParameters.TryParse(limit, cursor, offset, count, CommentSort, out var paging, out var errors)
            | !QueryValues.TryParseEnum<CommentStatus>(status, "status", out var filter, out var statusErrors))
        {
            errors.Merge(statusErrors);
            return Validation.Problem(errors);
        }

        var threads = include switch
        {
            null or "" => false,
            "replies" => true,
            _ => (bool?)null,
        };
        if (threads is null)
        {
            return Problems.Invalid("include", "'include' takes: replies.");
        }

        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var editor = context.HasKey();
        if (threads == true)
        {
            return await ThreadsAsync(found.Id, editor, paging, context, store, cancellationToken);
        }

        var (rows, total) = await store.ListAsync(found.Id, editor ? filter : CommentStatus.Approved, paging, cancellationToken);
        var (page, next) = paging.Cut(rows, CommentSort, r => (Timestamps.ToText(r.CreatedAt), r.Id));
        var items = page.Select(r => r.ToResponse(withEmail: editor)).ToList();
        PageLinks.AddNextLink(context, next);
        return new CachedJson<Page<CommentResponse>>(
            new Page<CommentResponse>(items, next, total),
            items.Count == 0 ? null : items.Max(c => c.UpdatedAt),
            [SurrogateKeys.ArticleComments(found.Id)]);
    }

    /// <summary>
    /// The approved thread: a page of top-level comments, each with its approved replies nested in order. Replies
    /// are read for the whole article at once (one query), then hung under their parents.
    /// </summary>
    private static async Task<CachedJson<Page<CommentResponse>>> ThreadsAsync(
        long articleId, bool editor, ListParameters paging, HttpContext context, CommentStore store, CancellationToken cancellationToken)
    {
        var (rows, total) = await store.ListTopLevelAsync(articleId, paging, cancellationToken);
        var (page, next) = paging.Cut(rows, CommentSort, r => (Timestamps.ToText(r.CreatedAt), r.Id));
        var replies = (await store.ListApprovedRepliesAsync(articleId, cancellationToken)).ToLookup(r => r.ParentId);

        CommentResponse WithReplies(CommentRow row, int depth) => row.ToResponse(withEmail: editor) with
        {
            Replies = depth < 50 ? replies[row.Id].Select(r => WithReplies(r, depth + 1)).ToList() : [],
        };

        var items = page.Select(r => WithReplies(r, 0)).ToList();
        PageLinks.AddNextLink(context, next);
        return new CachedJson<Page<CommentResponse>>(
            new Page<CommentResponse>(items, next, total),
            items.Count == 0 ? null : items.Max(c => c.UpdatedAt),
            [SurrogateKeys.ArticleComments(articleId)]);
    }

    internal static async Task<Results<Created<CommentResponse>, Accepted<CommentReceived>, ValidationProblem, ProblemHttpResult>> PostComment(
        string article, CommentRequest request, HttpContext context, ArticleStore articles, CommentPosts posts,
        IOptions<CmsOptions> options, IValidator<CommentRequest> validator, ETags etags, CancellationToken cancellationToken)
    {
        var cleaned = request with
        {
            Name = CommentText.Clean(request.Name),
            Email = CommentText.Clean(request.Email),
            Website = CommentText.Clean(request.Website),
            Body = CommentText.Clean(request.Body),
        };
        if (cleaned != request && await Validation.ValidateAsync(validator, cleaned, cancellationToken) is { } errors)
        {
            return Validation.Problem(errors);
        }

        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        if (!found.CommentsOpen)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Comments are closed.",
                detail: "This article no longer takes comments.");
        }

        var editor = context.HasKey();
        var settings = options.Value.Comments;
        var honeypot = !string.IsNullOrEmpty(request.Website2);
        var status = honeypot ? CommentStatus.Spam
            : settings.AutoApprove && CommentText.CountLinks(cleaned.Body!) <= settings.MaxLinks ? CommentStatus.Approved
            : CommentStatus.Pending;
        var guards = new CommentGuards(
            editor || honeypot ? TimeSpan.Zero : TimeSpan.FromSeconds(settings.FloodSeconds),
            honeypot ? TimeSpan.Zero : TimeSpan.FromHours(settings.DuplicateHours),
            ApprovedParentOnly: !editor);
        var write = await posts.CreateAsync(
            new NewComment(found.Id, cleaned with { Website2 = null }, status, context.Connection.RemoteIpAddress?.ToString(), guards));
        if (write.Errors is { } invalid)
        {
            return Validation.Problem(invalid);
        }

        if (!write.Succeeded)
        {
            return write.ToProblem(context, $"article '{article}'");
        }

        if (honeypot)
        {
            // Looks received to a bot; stored as spam for moderators, never published.
            return TypedResults.Accepted((string?)null, new CommentReceived("received"));
        }

        var response = write.Row!.ToResponse(withEmail: editor);
        context.Response.Headers.ETag = etags.Of(response);
        return TypedResults.Created($"/api/v1/comments/{response.Id}", response);
    }

    internal static async Task<Results<CachedJson<Page<CommentResponse>>, ValidationProblem>> ListComments(
        HttpContext context, CommentStore store, int? limit, string? cursor, int? offset, bool? count, string? status, long? articleId,
        CancellationToken cancellationToken)
    {
        if (!ListParameters.TryParse(limit, cursor, offset, count, CommentSort, out var paging, out var errors)
            | !QueryValues.TryParseEnum<CommentStatus>(status, "status", out var filter, out var statusErrors))
        {
            errors.Merge(statusErrors);
            return Validation.Problem(errors);
        }

        var (rows, total) = await store.ListAsync(articleId, filter, paging, cancellationToken);
        var (page, next) = paging.Cut(rows, CommentSort, r => (Timestamps.ToText(r.CreatedAt), r.Id));
        var items = page.Select(r => r.ToResponse(withEmail: true)).ToList();
        PageLinks.AddNextLink(context, next);
        return new CachedJson<Page<CommentResponse>>(
            new Page<CommentResponse>(items, next, total), items.Count == 0 ? null : items.Max(c => c.UpdatedAt), []);
    }

    internal static async Task<Results<CachedJson<CommentResponse>, ProblemHttpResult>> GetComment(
        long id, HttpContext context, CommentStore store, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        var editor = context.HasKey();
        return row is not null && (editor || (row.IsApproved && ArticleVisibility.IsVisible(row.ArticleStatus, context)))
            ? new CachedJson<CommentResponse>(row.ToResponse(withEmail: editor), row.UpdatedAt, [SurrogateKeys.Comment(row.Id), SurrogateKeys.ArticleComments(row.ArticleId)])
            : Problems.NotFound($"comment {id}");
    }

    internal static async Task<Results<Ok<ItemList<CommentResponse>>, ValidationProblem>> ModerateComments(
        ModerationRequest request, HttpContext context, CommentStore store, CancellationToken cancellationToken)
    {
        var status = request.Action switch
        {
            ModerationAction.Approve => CommentStatus.Approved,
            ModerationAction.Reject => CommentStatus.Rejected,
            ModerationAction.Spam => CommentStatus.Spam,
            _ => CommentStatus.Pending,
        };
        var write = await store.ModerateAsync(request.Ids!, status, context.User.Identity?.Name ?? "unknown", cancellationToken);
        return write.Succeeded
            ? TypedResults.Ok(new ItemList<CommentResponse>(write.Row!.Rows.Select(r => r.ToResponse(withEmail: true)).ToList()))
            : Validation.Problem(write.Errors!);
    }

    internal static Task<Results<Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> PatchComment(
        long id, MergePatchDocument patch, HttpContext context, CommentStore store, IValidator<CommentUpdateRequest> validator, ETags etags,
        CancellationToken cancellationToken) =>
        WriteResponses.ConditionalAsync<CommentRow, CommentResponse, Ok<CommentResponse>>(
            context, etags, $"comment {id}", r => r.ToResponse(withEmail: true),
            matches => store.UpdateAsync(
                id, current => MergePatch.ApplyAndValidate(current.ToRequest(), patch, validator, etags.SerializerOptions), matches,
                context.User.Identity?.Name ?? "unknown", cancellationToken),
            TypedResults.Ok);

    internal static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteComment(
        long id, HttpContext context, CommentStore store, ETags etags, CancellationToken cancellationToken) =>
        WriteResponses.ConditionalAsync<CommentRow, CommentResponse, NoContent>(
            context, etags, $"comment {id}", r => r.ToResponse(withEmail: true),
            matches => store.DeleteAsync(id, matches, cancellationToken), _ => TypedResults.NoContent());
}
