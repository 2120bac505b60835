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
        new ArticlePartRoutes<PullQuoteRow, PullQuoteRequest, PullQuoteResponse, PullQuoteStore>(Part).Map(routes);
        return routes;
    }
}
