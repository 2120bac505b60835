using FluentValidation;
using Cms.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Articles.Sections;

public static class SectionEndpoints
{
    private static readonly ArticlePart Part = new(
        Noun: "section",
        Nouns: "sections",
        TypeName: "Section",
        Tag: "Sections",
        ListSummary: "List an article's sections in order",
        ListDescription: "`article` is the numeric id or the slug. Sections of unpublished articles need a key.",
        CreateDescription: "Appends when `position` is omitted; a position inserts there and shifts the following sections down one.",
        ReplaceDescription: "Replaces heading and body (an omitted heading is cleared). A different `position` moves the section; omitted keeps it. Honours `If-Match`.",
        PatchDescription: "E.g. `{\"position\":1}` to move it to the top. Honours `If-Match`.",
        DeleteDescription: "The sections after it move up one. Pull-quotes placed in it stay on the article, unplaced. Honours `If-Match`.")
    {
        Searchable = true,
    };

    public static IEndpointRouteBuilder MapSections(this IEndpointRouteBuilder routes)
    {
        var parts = new ArticlePartRoutes<SectionRow, SectionRequest, SectionResponse, SectionStore>(Part);
        var (byArticle, byId) = parts.Groups(routes);
        parts.DescribeList(byArticle.MapGet("", (string article, HttpContext c, ArticleStore articles, SectionStore store, CancellationToken t) => parts.ListAsync(article, c, articles, store, t)));
        parts.DescribeCreate(byArticle.MapPost("", (string article, SectionRequest request, HttpContext c, ArticleStore articles, SectionStore store, ETags etags, CancellationToken t) => parts.CreateAsync(article, request, c, articles, store, etags, t)));
        parts.DescribeGet(byId.MapGet("{id}", (long id, HttpContext c, SectionStore store, CancellationToken t) => parts.GetAsync(id, c, store, t)));
        parts.DescribeReplace(byId.MapPut("{id}", (long id, SectionRequest request, HttpContext c, SectionStore store, ETags etags, CancellationToken t) => parts.ReplaceAsync(id, request, c, store, etags, t)));
        parts.DescribePatch(byId.MapPatch("{id}", (long id, MergePatchDocument patch, HttpContext c, SectionStore store, IValidator<SectionRequest> validator, ETags etags, CancellationToken t) => parts.PatchAsync(id, patch, c, store, validator, etags, t)));
        parts.DescribeDelete(byId.MapDelete("{id}", (long id, HttpContext c, SectionStore store, ETags etags, CancellationToken t) => parts.DeleteAsync(id, c, store, etags, t)));

        byArticle.MapPut("order", ReorderSections)
            .WithName(nameof(ReorderSections))
            .WithSummary("Put an article's sections in a new order")
            .WithDescription("The body lists every section id of the article exactly once, in the new order. All or nothing.")
            .Validate<SectionOrderRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        return routes;
    }

    internal static async Task<Results<Ok<ItemList<SectionResponse>>, ValidationProblem, ProblemHttpResult>> ReorderSections(
        string article, SectionOrderRequest request, HttpContext context, ArticleStore articles, SectionStore store, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var write = await store.ReorderAsync(found.Id, request.SectionIds!, cancellationToken);
        return write.Succeeded
            ? TypedResults.Ok(new ItemList<SectionResponse>(write.Row!.Rows.Select(r => r.ToResponse()).ToList()))
            : Validation.Problem(write.Errors!);
    }
}
