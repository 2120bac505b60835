using Cms.Api.Common;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Cms.Api.Articles;

public static class ArticleEndpoints
{
    public static IEndpointRouteBuilder MapArticles(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/articles").WithTags("Articles");

        group.MapGet("", ListArticles)
            .WithName(nameof(ListArticles))
            .WithSummary("List articles, newest first")
            .WithDescription("Without a key: published articles only. With a key: every status, optionally filtered with `status`. "
                + "Newest first means by `publishedAt`, or `createdAt` for articles never published. "
                + "Pages with `limit` (1-100, default 20) and `offset`; `nextOffset` is null on the last page.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .AllowAnonymous();

        group.MapPost("", CreateArticle)
            .WithName(nameof(CreateArticle))
            .WithSummary("Create an article")
            .WithDescription("Creates a draft unless `status` says otherwise. The slug is derived from the title when omitted "
                + "(and numbered -2, -3… if taken); an explicit slug that is taken gives 409.")
            .Validate<ArticleRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization();

        group.MapGet("{article}", GetArticle)
            .WithName(nameof(GetArticle))
            .WithSummary("Get one article by id or slug")
            .WithDescription("`article` is the numeric id or the slug. Drafts and archived articles are 404 without a key.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        group.MapPut("{id}", ReplaceArticle)
            .WithName(nameof(ReplaceArticle))
            .WithSummary("Replace an article's fields")
            .WithDescription("Replaces the writable fields. Omitted `standfirst` and `byline` are cleared; omitted `slug` and `status` keep their values. "
                + "`version` goes up by one when anything changed, and stays when the body equals what is stored.")
            .Validate<ArticleRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization();

        group.MapPatch("{id}", PatchArticle)
            .WithName(nameof(PatchArticle))
            .WithSummary("Change some of an article's fields (JSON Merge Patch)")
            .WithDescription("Send only the fields to change, e.g. `{\"status\":\"published\"}`; `null` clears an optional field. "
                + "Accepts `application/merge-patch+json` or `application/json`. The result is validated like a PUT.")
            .Accepts<ArticleRequest>(MergePatch.MediaType, "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization();

        group.MapDelete("{id}", DeleteArticle)
            .WithName(nameof(DeleteArticle))
            .WithSummary("Delete an article with its sections, pull-quotes and comments")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        return routes;
    }

    internal static async Task<Results<Ok<Page<ArticleResponse>>, ValidationProblem, ChallengeHttpResult>> ListArticles(
        HttpContext context, ArticleStore store, int? limit, int? offset, string? status, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(limit, offset, out var paging, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!QueryValues.TryParseEnum<ArticleStatus>(status, "status", out var filter, out errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!context.HasKey())
        {
            if (filter is not null and not ArticleStatus.Published)
            {
                return TypedResults.Challenge();
            }

            filter = ArticleStatus.Published;
        }

        var rows = await store.ListAsync(filter is { } f ? ArticleStatuses.ToText(f) : null, paging, cancellationToken);
        return TypedResults.Ok(paging.ToPage(rows.Select(r => r.ToResponse()).ToList()));
    }

    internal static async Task<Results<Created<ArticleResponse>, ProblemHttpResult>> CreateArticle(
        ArticleRequest request, ArticleStore store, CancellationToken cancellationToken)
    {
        var (outcome, row) = await store.CreateAsync(request, cancellationToken);
        return outcome == ArticleWriteOutcome.SlugTaken
            ? SlugTaken(request.Slug!)
            : TypedResults.Created($"/api/v1/articles/{row!.Id}", row.ToResponse());
    }

    internal static async Task<Results<Ok<ArticleResponse>, ProblemHttpResult>> GetArticle(
        string article, HttpContext context, ArticleStore store, CancellationToken cancellationToken)
    {
        var row = await store.FindVisibleAsync(article, context, cancellationToken);
        return row is not null
            ? TypedResults.Ok(row.ToResponse())
            : Problems.NotFound($"article '{article}'");
    }

    internal static async Task<Results<Ok<ArticleResponse>, ValidationProblem, ProblemHttpResult>> ReplaceArticle(
        long id, ArticleRequest request, ArticleStore store, CancellationToken cancellationToken)
    {
        var (outcome, row) = await store.UpdateAsync(id, request, cancellationToken);
        return outcome switch
        {
            ArticleWriteOutcome.NotFound => Problems.NotFound($"article {id}"),
            ArticleWriteOutcome.SlugTaken => SlugTaken(request.Slug!),
            _ => TypedResults.Ok(row!.ToResponse()),
        };
    }

    internal static async Task<Results<Ok<ArticleResponse>, ValidationProblem, ProblemHttpResult>> PatchArticle(
        long id, MergePatchDocument patch, ArticleStore store, IValidator<ArticleRequest> validator,
        IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var current = await store.FindByIdAsync(id, cancellationToken);
        if (current is null)
        {
            return Problems.NotFound($"article {id}");
        }

        var (request, problem) = await MergePatch.ApplyAndValidateAsync(
            current.ToRequest(), patch, validator, json.Value.SerializerOptions, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await ReplaceArticle(id, request!, store, cancellationToken);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteArticle(
        long id, ArticleStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"article {id}");

    private static ProblemHttpResult SlugTaken(string slug) =>
        Problems.Conflict($"The slug '{slug}' is already used by another article. Choose another or omit it to derive one from the title.");
}
