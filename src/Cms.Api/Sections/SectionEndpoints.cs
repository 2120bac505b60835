using Cms.Api.Articles;
using Cms.Api.Common;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Cms.Api.Sections;

public static class SectionEndpoints
{
    public static IEndpointRouteBuilder MapSections(this IEndpointRouteBuilder routes)
    {
        var byArticle = routes.MapGroup("/api/v1/articles/{article}/sections").WithTags("Sections");
        var sections = routes.MapGroup("/api/v1/sections").WithTags("Sections");

        byArticle.MapGet("", ListSections)
            .WithName(nameof(ListSections))
            .WithSummary("List an article's sections in order")
            .WithDescription("`article` is the numeric id or the slug. Sections of drafts and archived articles need a key.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        byArticle.MapPost("", CreateSection)
            .WithName(nameof(CreateSection))
            .WithSummary("Add a section to an article")
            .WithDescription("Appends when `position` is omitted; a position inserts there and shifts the following sections down one.")
            .Validate<SectionRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        byArticle.MapPut("order", ReorderSections)
            .WithName(nameof(ReorderSections))
            .WithSummary("Put an article's sections in a new order")
            .WithDescription("The body lists every section id of the article exactly once, in the new order. All or nothing.")
            .Validate<SectionOrderRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        sections.MapGet("{id}", GetSection)
            .WithName(nameof(GetSection))
            .WithSummary("Get one section")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        sections.MapPut("{id}", ReplaceSection)
            .WithName(nameof(ReplaceSection))
            .WithSummary("Replace a section")
            .WithDescription("Replaces heading and body (an omitted heading is cleared). A different `position` moves the section; omitted keeps it.")
            .Validate<SectionRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        sections.MapPatch("{id}", PatchSection)
            .WithName(nameof(PatchSection))
            .WithSummary("Change some of a section's fields (JSON Merge Patch)")
            .Accepts<SectionRequest>(MergePatch.MediaType, "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        sections.MapDelete("{id}", DeleteSection)
            .WithName(nameof(DeleteSection))
            .WithSummary("Delete a section")
            .WithDescription("The sections after it move up one. Pull-quotes placed in it stay on the article, unplaced.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        return routes;
    }

    internal static async Task<Results<Ok<ItemList<SectionResponse>>, ProblemHttpResult>> ListSections(
        string article, HttpContext context, ArticleStore articles, SectionStore store, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var rows = await store.ListAsync(found.Id, cancellationToken);
        return TypedResults.Ok(new ItemList<SectionResponse>(rows.Select(r => r.ToResponse()).ToList()));
    }

    internal static async Task<Results<Created<SectionResponse>, ValidationProblem, ProblemHttpResult>> CreateSection(
        string article, SectionRequest request, HttpContext context, ArticleStore articles, SectionStore store, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var write = await store.CreateAsync(found.Id, request, cancellationToken);
        return write.Row is { } row
            ? TypedResults.Created($"/api/v1/sections/{row.Id}", row.ToResponse())
            : Problems.Invalid(write.ErrorField!, write.Error!);
    }

    internal static async Task<Results<Ok<ItemList<SectionResponse>>, ValidationProblem, ProblemHttpResult>> ReorderSections(
        string article, SectionOrderRequest request, HttpContext context, ArticleStore articles, SectionStore store, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var (rows, error) = await store.ReorderAsync(found.Id, request.SectionIds!, cancellationToken);
        return rows is not null
            ? TypedResults.Ok(new ItemList<SectionResponse>(rows.Select(r => r.ToResponse()).ToList()))
            : Problems.Invalid("sectionIds", error!);
    }

    internal static async Task<Results<Ok<SectionResponse>, ProblemHttpResult>> GetSection(
        long id, HttpContext context, SectionStore store, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        return row is not null && ArticleVisibility.IsVisible(row.ArticleStatus, context)
            ? TypedResults.Ok(row.ToResponse())
            : Problems.NotFound($"section {id}");
    }

    internal static async Task<Results<Ok<SectionResponse>, ValidationProblem, ProblemHttpResult>> ReplaceSection(
        long id, SectionRequest request, SectionStore store, CancellationToken cancellationToken)
    {
        var write = await store.UpdateAsync(id, request, cancellationToken);
        if (write.Row is { } row)
        {
            return TypedResults.Ok(row.ToResponse());
        }

        return write.Error is null ? Problems.NotFound($"section {id}") : Problems.Invalid(write.ErrorField!, write.Error);
    }

    internal static async Task<Results<Ok<SectionResponse>, ValidationProblem, ProblemHttpResult>> PatchSection(
        long id, MergePatchDocument patch, SectionStore store, IValidator<SectionRequest> validator, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var current = await store.FindAsync(id, cancellationToken);
        if (current is null)
        {
            return Problems.NotFound($"section {id}");
        }

        var (request, problem) = await MergePatch.ApplyAndValidateAsync(current.ToRequest(), patch, validator, json.Value.SerializerOptions, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await ReplaceSection(id, request!, store, cancellationToken);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteSection(
        long id, SectionStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"section {id}");
}
