using Cms.Api.Articles;
using Cms.Api.Common;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Cms.Api.PullQuotes;

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
            .WithDescription("Omitted optional fields are cleared.")
            .Validate<PullQuoteRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        quotes.MapPatch("{id}", PatchPullQuote)
            .WithName(nameof(PatchPullQuote))
            .WithSummary("Change some of a pull-quote's fields (JSON Merge Patch)")
            .Accepts<PullQuoteRequest>(MergePatch.MediaType, "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        quotes.MapDelete("{id}", DeletePullQuote)
            .WithName(nameof(DeletePullQuote))
            .WithSummary("Delete a pull-quote")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        return routes;
    }

    internal static async Task<Results<Ok<ItemList<PullQuoteResponse>>, ProblemHttpResult>> ListPullQuotes(
        string article, HttpContext context, ArticleStore articles, PullQuoteStore store, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var rows = await store.ListAsync(found.Id, cancellationToken);
        return TypedResults.Ok(new ItemList<PullQuoteResponse>(rows.Select(r => r.ToResponse()).ToList()));
    }

    internal static async Task<Results<Created<PullQuoteResponse>, ValidationProblem, ProblemHttpResult>> CreatePullQuote(
        string article, PullQuoteRequest request, HttpContext context, ArticleStore articles, PullQuoteStore store, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var write = await store.CreateAsync(found.Id, request, cancellationToken);
        return write.Row is { } row
            ? TypedResults.Created($"/api/v1/pull-quotes/{row.Id}", row.ToResponse())
            : Problems.Invalid(write.ErrorField!, write.Error!);
    }

    internal static async Task<Results<Ok<PullQuoteResponse>, ProblemHttpResult>> GetPullQuote(
        long id, HttpContext context, PullQuoteStore store, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        return row is not null && ArticleVisibility.IsVisible(row.ArticleStatus, context)
            ? TypedResults.Ok(row.ToResponse())
            : Problems.NotFound($"pull-quote {id}");
    }

    internal static async Task<Results<Ok<PullQuoteResponse>, ValidationProblem, ProblemHttpResult>> ReplacePullQuote(
        long id, PullQuoteRequest request, PullQuoteStore store, CancellationToken cancellationToken)
    {
        var write = await store.UpdateAsync(id, request, cancellationToken);
        if (write.Row is { } row)
        {
            return TypedResults.Ok(row.ToResponse());
        }

        return write.Error is null ? Problems.NotFound($"pull-quote {id}") : Problems.Invalid(write.ErrorField!, write.Error);
    }

    internal static async Task<Results<Ok<PullQuoteResponse>, ValidationProblem, ProblemHttpResult>> PatchPullQuote(
        long id, MergePatchDocument patch, PullQuoteStore store, IValidator<PullQuoteRequest> validator, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var current = await store.FindAsync(id, cancellationToken);
        if (current is null)
        {
            return Problems.NotFound($"pull-quote {id}");
        }

        var (request, problem) = await MergePatch.ApplyAndValidateAsync(current.ToRequest(), patch, validator, json.Value.SerializerOptions, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await ReplacePullQuote(id, request!, store, cancellationToken);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeletePullQuote(
        long id, PullQuoteStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"pull-quote {id}");
}
