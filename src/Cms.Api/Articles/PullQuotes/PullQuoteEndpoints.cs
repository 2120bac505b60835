using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Articles.PullQuotes;

public static class PullQuoteEndpoints
{
    private static readonly ArticlePart Part = new(
        Noun: "pull-quote",
        Nouns: "pull-quotes",
        TypeName: "PullQuote",
        Tag: "Pull-quotes",
        ListSummary: "List an article's pull-quotes",
        ListDescription: "In the order they were added. `article` is the numeric id or the slug.",
        CreateDescription: "`sectionId` must be a section of the same article; `afterParagraph` (0 to that section's paragraph count) places it inside.",
        ReplaceDescription: "Omitted optional fields are cleared. Honours `If-Match`.",
        PatchDescription: "Honours `If-Match`.",
        DeleteDescription: "Honours `If-Match`.");

    public static IEndpointRouteBuilder MapPullQuotes(this IEndpointRouteBuilder routes)
    {
        var parts = new ArticlePartRoutes<PullQuoteRow, PullQuoteRequest, PullQuoteResponse, PullQuoteStore>(Part);
        var (byArticle, byId) = parts.Groups(routes);
        parts.DescribeList(byArticle.MapGet("", (string article, HttpContext c, ArticleStore articles, PullQuoteStore store, CancellationToken t) => parts.ListAsync(article, c, articles, store, t)));
        parts.DescribeCreate(byArticle.MapPost("", (string article, PullQuoteRequest request, HttpContext c, ArticleStore articles, PullQuoteStore store, ETags etags, CancellationToken t) => parts.CreateAsync(article, request, c, articles, store, etags, t)));
        parts.DescribeGet(byId.MapGet("{id}", (long id, HttpContext c, PullQuoteStore store, CancellationToken t) => parts.GetAsync(id, c, store, t)));
        parts.DescribeReplace(byId.MapPut("{id}", (long id, PullQuoteRequest request, HttpContext c, PullQuoteStore store, ETags etags, CancellationToken t) => parts.ReplaceAsync(id, request, c, store, etags, t)));
        parts.DescribePatch(byId.MapPatch("{id}", (long id, MergePatchDocument patch, HttpContext c, PullQuoteStore store, IValidator<PullQuoteRequest> validator, ETags etags, CancellationToken t) => parts.PatchAsync(id, patch, c, store, validator, etags, t)));
        parts.DescribeDelete(byId.MapDelete("{id}", (long id, HttpContext c, PullQuoteStore store, ETags etags, CancellationToken t) => parts.DeleteAsync(id, c, store, etags, t)));
        return routes;
    }
}
