using Cms.Api.Caching;
using Cms.Api.Http;
using Cms.Api.Idempotency;
using Cms.Api.Search;
using Cms.Api.Transfer;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Articles.Sections;

public static class SectionEndpoints
{
    public static IEndpointRouteBuilder MapSections(this IEndpointRouteBuilder routes)
    {
        var byArticle = routes.MapGroup("/api/v1/articles/{article}/sections").WithTags("Sections").CatchUpSearchIndexAfterWrites();
        var sections = routes.MapGroup("/api/v1/sections").WithTags("Sections").CatchUpSearchIndexAfterWrites();

        byArticle.MapGet("", ListSections)
            .WithName(nameof(ListSections))
            .WithSummary("List an article's sections in order")
            .WithDescription("`article` is the numeric id or the slug. Sections of unpublished articles need a key.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        byArticle.MapPost("", CreateSection)
            .WithName(nameof(CreateSection))
            .WithMetadata(new Idempotent())
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
            .WithDescription("Replaces heading and body (an omitted heading is cleared). A different `position` moves the section; omitted keeps it. Honours `If-Match`.")
            .Validate<SectionRequest>()
            .WritePreconditions()
            .Produces<SectionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        sections.MapPatch("{id}", PatchSection)
            .WithName(nameof(PatchSection))
            .WithSummary("Change some of a section's fields (JSON Merge Patch)")
            .WithDescription("E.g. `{\"position\":1}` to move it to the top. Honours `If-Match`.")
            .Accepts<SectionRequest>(MergePatch.MediaType, "application/json")
            .ProducesValidationProblem()
            .WritePreconditions()
            .Produces<SectionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        sections.MapDelete("{id}", DeleteSection)
            .WithName(nameof(DeleteSection))
            .WithSummary("Delete a section")
            .WithDescription("The sections after it move up one. Pull-quotes placed in it stay on the article, unplaced. Honours `If-Match`.")
            .WritePreconditions()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        return routes;
    }

    internal static async Task<Results<CachedJson<ItemList<SectionResponse>>, ProblemHttpResult>> ListSections(
        string article, HttpContext context, ArticleStore articles, SectionStore store, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var items = (await store.ListAsync(found.Id, cancellationToken)).Select(r => r.ToResponse()).ToList();
        return new CachedJson<ItemList<SectionResponse>>(
            new ItemList<SectionResponse>(items),
            items.Count == 0 ? found.UpdatedAt : items.Max(s => s.UpdatedAt),
            [$"article-{found.Id}", $"sections-article-{found.Id}", .. items.Select(s => $"section-{s.Id}")]);
    }

    internal static async Task<Results<Created<SectionResponse>, ValidationProblem, ProblemHttpResult>> CreateSection(
        string article, SectionRequest request, HttpContext context, ArticleStore articles, SectionStore store, ETags etags, CancellationToken cancellationToken)
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
        return TypedResults.Created($"/api/v1/sections/{row.Id}", response);
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

    internal static async Task<Results<CachedJson<SectionResponse>, ProblemHttpResult>> GetSection(
        long id, HttpContext context, SectionStore store, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        return row is not null && ArticleVisibility.IsVisible(row.ArticleStatus, context)
            ? new CachedJson<SectionResponse>(row.ToResponse(), row.UpdatedAt, [$"section-{row.Id}", $"article-{row.ArticleId}"])
            : Problems.NotFound($"section {id}");
    }

    internal static Task<IResult> ReplaceSection(
        long id, SectionRequest request, HttpContext context, SectionStore store, ETags etags, CancellationToken cancellationToken) =>
        Write(id, _ => request, context, store, etags, cancellationToken);

    internal static async Task<IResult> PatchSection(
        long id, MergePatchDocument patch, HttpContext context, SectionStore store, IValidator<SectionRequest> validator, ETags etags, CancellationToken cancellationToken)
    {
        IDictionary<string, string[]>? errors = null;
        var result = await Write(
            id, current => MergePatch.ApplyAndValidate(current.ToRequest(), patch, validator, etags.SerializerOptions, out errors),
            context, store, etags, cancellationToken);
        return errors is null ? result : Validation.Problem(errors);
    }

    internal static Task<IResult> DeleteSection(long id, HttpContext context, SectionStore store, ETags etags, CancellationToken cancellationToken) =>
        ConditionalWrites.RunAsync<SectionRow, SectionResponse>(
            context, etags, $"section {id}", r => r.ToResponse(), s => s.Version,
            matches => store.DeleteAsync(id, matches, cancellationToken), _ => TypedResults.NoContent());

    private static Task<IResult> Write(
        long id, Func<SectionRow, SectionRequest?> change, HttpContext context, SectionStore store, ETags etags, CancellationToken cancellationToken) =>
        ConditionalWrites.RunAsync<SectionRow, SectionResponse>(
            context, etags, $"section {id}", r => r.ToResponse(), s => s.Version,
            matches => store.UpdateAsync(id, change, matches, cancellationToken), TypedResults.Ok);
}
