using Cms.Api.Caching;
using Cms.Api.Http;
using Cms.Api.Idempotency;
using Cms.Api.Transfer;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Articles.PullQuotes;

public static class PullQuoteEndpoints
{
    public static IEndpointRouteBuilder MapPullQuotes(this IEndpointRouteBuilder routes)
    {
        var byArticle = routes.MapGroup("/api/v1/articles/{article}/pull-quotes").WithTags("Pull-quotes");
        var quotes = routes.MapGroup("/api/v1/pull-quotes").WithTags("Pull-quotes");

        byArticle.MapGet("", ListPullQuotes)
            .WithName(nameof(ListPullQuotes))
            .WithSummary("List an article's pull-quotes")
            .WithDescription("In the order they were added. `article` is the numeric id or the slug.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        byArticle.MapPost("", CreatePullQuote)
            .WithName(nameof(CreatePullQuote))
            .WithMetadata(new Idempotent())
            .WithSummary("Add a pull-quote to an article")
            .WithDescription("`sectionId` must be a section of the same article; `afterParagraph` (0 to that section's paragraph count) places it inside.")
            .Validate<PullQuoteRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        quotes.MapGet("{id}", GetPullQuote)
            .WithName(nameof(GetPullQuote))
            .WithSummary("Get one pull-quote")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        quotes.MapPut("{id}", ReplacePullQuote)
            .WithName(nameof(ReplacePullQuote))
            .WithSummary("Replace a pull-quote")
            .WithDescription("Omitted optional fields are cleared. Honours `If-Match`.")
            .Validate<PullQuoteRequest>()
            .WritePreconditions()
            .Produces<PullQuoteResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        quotes.MapPatch("{id}", PatchPullQuote)
            .WithName(nameof(PatchPullQuote))
            .WithSummary("Change some of a pull-quote's fields (JSON Merge Patch)")
            .WithDescription("Honours `If-Match`.")
            .Accepts<PullQuoteRequest>(MergePatch.MediaType, "application/json")
            .ProducesValidationProblem()
            .WritePreconditions()
            .Produces<PullQuoteResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        quotes.MapDelete("{id}", DeletePullQuote)
            .WithName(nameof(DeletePullQuote))
            .WithSummary("Delete a pull-quote")
            .WithDescription("Honours `If-Match`.")
            .WritePreconditions()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        return routes;
    }

    internal static async Task<Results<CachedJson<ItemList<PullQuoteResponse>>, ProblemHttpResult>> ListPullQuotes(
        string article, HttpContext context, ArticleStore articles, PullQuoteStore store, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var items = (await store.ListAsync(found.Id, cancellationToken)).Select(r => r.ToResponse()).ToList();
        return new CachedJson<ItemList<PullQuoteResponse>>(
            new ItemList<PullQuoteResponse>(items),
            items.Count == 0 ? found.UpdatedAt : items.Max(q => q.UpdatedAt),
            [$"article-{found.Id}", $"pull-quotes-article-{found.Id}", .. items.Select(q => $"pull-quote-{q.Id}")]);
    }

    internal static async Task<Results<Created<PullQuoteResponse>, ValidationProblem, ProblemHttpResult>> CreatePullQuote(
        string article, PullQuoteRequest request, HttpContext context, ArticleStore articles, PullQuoteStore store, ETags etags, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var write = await store.CreateAsync(found.Id, request, cancellationToken);
        if (write.Row is not { } row)
        {
            return Problems.Invalid(write.ErrorField!, write.Error!);
        }

        var response = row.ToResponse();
        context.Response.Headers.ETag = etags.Of(response);
        return TypedResults.Created($"/api/v1/pull-quotes/{row.Id}", response);
    }

    internal static async Task<Results<CachedJson<PullQuoteResponse>, ProblemHttpResult>> GetPullQuote(
        long id, HttpContext context, PullQuoteStore store, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        return row is not null && ArticleVisibility.IsVisible(row.ArticleStatus, context)
            ? new CachedJson<PullQuoteResponse>(row.ToResponse(), row.UpdatedAt, [$"pull-quote-{row.Id}", $"article-{row.ArticleId}"])
            : Problems.NotFound($"pull-quote {id}");
    }

    internal static Task<IResult> ReplacePullQuote(
        long id, PullQuoteRequest request, HttpContext context, PullQuoteStore store, ETags etags, CancellationToken cancellationToken) =>
        Write(id, _ => request, context, store, etags, cancellationToken);

    internal static async Task<IResult> PatchPullQuote(
        long id, MergePatchDocument patch, HttpContext context, PullQuoteStore store, IValidator<PullQuoteRequest> validator, ETags etags, CancellationToken cancellationToken)
    {
        IDictionary<string, string[]>? errors = null;
        var result = await Write(
            id, current => MergePatch.ApplyAndValidate(current.ToRequest(), patch, validator, etags.SerializerOptions, out errors),
            context, store, etags, cancellationToken);
        return errors is null ? result : Validation.Problem(errors);
    }

    internal static Task<IResult> DeletePullQuote(long id, HttpContext context, PullQuoteStore store, ETags etags, CancellationToken cancellationToken) =>
        ConditionalWrites.RunAsync<PullQuoteRow, PullQuoteResponse>(
            context, etags, $"pull-quote {id}", r => r.ToResponse(), q => q.Version,
            matches => store.DeleteAsync(id, matches, cancellationToken), _ => TypedResults.NoContent());

    private static Task<IResult> Write(
        long id, Func<PullQuoteRow, PullQuoteRequest?> change, HttpContext context, PullQuoteStore store, ETags etags, CancellationToken cancellationToken) =>
        ConditionalWrites.RunAsync<PullQuoteRow, PullQuoteResponse>(
            context, etags, $"pull-quote {id}", r => r.ToResponse(), q => q.Version,
            matches => store.UpdateAsync(id, change, matches, cancellationToken), TypedResults.Ok);
}
