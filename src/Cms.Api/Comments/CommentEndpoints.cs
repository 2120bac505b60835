using Cms.Api.Articles;
using Cms.Api.Common;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
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
                + "With a key: every status (filter with `status`), with e-mail addresses. Pages with `limit` and `offset`.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        byArticle.MapPost("", PostComment)
            .WithName(nameof(PostComment))
            .WithSummary("Post a comment (the public comment form; no key needed)")
            .WithDescription("`name` and `body` are required (\"Please enter your name here\", \"Please enter your comment!\"). "
                + "New comments wait in the moderation queue as `pending` unless Cms:Comments:AutoApprove is on. "
                + "`parentId` replies to an approved comment on the same article.")
            .Validate<CommentRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        comments.MapGet("", ListComments)
            .WithName(nameof(ListComments))
            .WithSummary("The moderation queue: comments across articles, oldest first")
            .WithDescription("E.g. `?status=pending`. Optional `articleId`. Pages with `limit` and `offset`.")
            .ProducesValidationProblem()
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
            .WithDescription("E.g. `{\"status\":\"approved\"}` to publish it, `spam` or `rejected` to hide it.")
            .Accepts<CommentUpdateRequest>(MergePatch.MediaType, "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        comments.MapDelete("{id}", DeleteComment)
            .WithName(nameof(DeleteComment))
            .WithSummary("Delete a comment")
            .WithDescription("Replies to it stay, as top-level comments.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        return routes;
    }

    internal static async Task<Results<Ok<Page<CommentResponse>>, ValidationProblem, ProblemHttpResult>> ListArticleComments(
        string article, HttpContext context, ArticleStore articles, CommentStore store,
        int? limit, int? offset, string? status, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(limit, offset, out var paging, out var errors)
            || !QueryValues.TryParseEnum<CommentStatus>(status, "status", out var filter, out errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var editor = context.HasKey();
        var rows = await store.ListAsync(found.Id, editor ? filter : CommentStatus.Approved, paging, cancellationToken);
        return TypedResults.Ok(paging.ToPage(rows.Select(r => r.ToResponse(withEmail: editor)).ToList()));
    }

    internal static async Task<Results<Created<CommentResponse>, ValidationProblem, ProblemHttpResult>> PostComment(
        string article, CommentRequest request, HttpContext context, ArticleStore articles, CommentStore store,
        IOptions<CmsOptions> options, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var editor = context.HasKey();
        var status = options.Value.Comments.AutoApprove ? CommentStatus.Approved : CommentStatus.Pending;
        var write = await store.CreateAsync(
            found.Id, request, status, context.Connection.RemoteIpAddress?.ToString(), approvedParentOnly: !editor, cancellationToken);
        return write.Row is { } row
            ? TypedResults.Created($"/api/v1/comments/{row.Id}", row.ToResponse(withEmail: editor))
            : Problems.Invalid(write.ErrorField!, write.Error!);
    }

    internal static async Task<Results<Ok<Page<CommentResponse>>, ValidationProblem>> ListComments(
        CommentStore store, int? limit, int? offset, string? status, long? articleId, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(limit, offset, out var paging, out var errors)
            || !QueryValues.TryParseEnum<CommentStatus>(status, "status", out var filter, out errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rows = await store.ListAsync(articleId, filter, paging, cancellationToken);
        return TypedResults.Ok(paging.ToPage(rows.Select(r => r.ToResponse(withEmail: true)).ToList()));
    }

    internal static async Task<Results<Ok<CommentResponse>, ProblemHttpResult>> GetComment(
        long id, HttpContext context, CommentStore store, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        var editor = context.HasKey();
        return row is not null && (editor || (row.IsApproved && ArticleVisibility.IsVisible(row.ArticleStatus, context)))
            ? TypedResults.Ok(row.ToResponse(withEmail: editor))
            : Problems.NotFound($"comment {id}");
    }

    internal static async Task<Results<Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> PatchComment(
        long id, MergePatchDocument patch, CommentStore store, IValidator<CommentUpdateRequest> validator, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var current = await store.FindAsync(id, cancellationToken);
        if (current is null)
        {
            return Problems.NotFound($"comment {id}");
        }

        var (request, problem) = await MergePatch.ApplyAndValidateAsync(current.ToRequest(), patch, validator, json.Value.SerializerOptions, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var row = await store.UpdateAsync(id, request!, cancellationToken);
        return row is not null ? TypedResults.Ok(row.ToResponse(withEmail: true)) : Problems.NotFound($"comment {id}");
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteComment(
        long id, CommentStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"comment {id}");
}
