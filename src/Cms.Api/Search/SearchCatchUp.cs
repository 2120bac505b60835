using Cms.Api.Data;
namespace Cms.Api.Search;

internal static class SearchIndexerEndpoints
{
    /// <summary>
    /// Writes through these endpoints answer only once the search index has their change (read-your-writes for
    /// search). Runs before the result is written. A failure there is logged, not answered: the write itself is
    /// committed, and the index catches up from the log on its next pass. Only SQLite has an indexer to wait for: on
    /// PostgreSQL, triggers rewrite the search document in the write itself.
    /// </summary>
    public static TBuilder CatchUpSearchIndexAfterWrites<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                // An idempotent request's write commits after this filter, when its answer is recorded: it catches up then.
                if (http.RequestServices.GetService<SearchIndexer>() is not { } indexer)
                {
                    return result;
                }

                await DeferredCommit.WhenCommittedAsync(async () =>
                {
                    try
                    {
                        await indexer.CatchUpAsync();
                    }
                    catch (Exception exception)
                    {
                        http.RequestServices.GetRequiredService<ILogger<SearchIndexer>>().LogError(exception, "Search index: catching up after a write failed");
                    }
                });
            }

            return result;
        });
}
