using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Idempotency;
using Cms.Api.Search;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Articles;

/// <summary>A stored part of an article (a section, a pull-quote), with what the public may see of it.</summary>
internal interface IArticlePartRow<TRequest, TResponse>
{
    long Id { get; }

    long ArticleId { get; }

    /// <summary>The owning article's status: the public sees parts of published articles only.</summary>
    string ArticleStatus { get; }

    DateTimeOffset UpdatedAt { get; }

    TResponse ToResponse();

    TRequest ToRequest();
}

/// <summary>The reads and writes every kind of article part has; the reads are the same for every kind.</summary>
internal abstract class ArticlePartStore<TRow, TRequest>(CmsDatabase database, string selectByArticle, string selectById)
    where TRow : class
    where TRequest : class
{
    protected CmsDatabase Database { get; } = database;

    /// <summary>The article's parts, in their order (@ArticleId).</summary>
    public Task<List<TRow>> ListAsync(long articleId, CancellationToken cancellationToken) =>
        Database.ListAsync<TRow>(selectByArticle, new { ArticleId = articleId }, cancellationToken);

    public Task<TRow?> FindAsync(long id, CancellationToken cancellationToken) =>
        Database.SingleOrDefaultAsync<TRow>(selectById, new { Id = id }, cancellationToken);

    public abstract Task<WriteResult<TRow>> CreateAsync(long articleId, TRequest request, CancellationToken cancellationToken);

    public abstract Task<WriteResult<TRow>> UpdateAsync(
        long id, Func<TRow, Proposed<TRequest>> change, Func<TRow, bool> precondition, CancellationToken cancellationToken);

    public abstract Task<WriteResult<TRow>> DeleteAsync(long id, Func<TRow, bool> precondition, CancellationToken cancellationToken);
}

/// <summary>How a kind of part is named and described; the routes and their behaviour are the same for every kind.</summary>
internal sealed record ArticlePart(
    string Noun,
    string Nouns,
    string TypeName,
    string Tag,
    string ListSummary,
    string ListDescription,
    string CreateDescription,
    string ReplaceDescription,
    string PatchDescription,
    string DeleteDescription)
{
    /// <summary>Whether writes change searchable text (they then answer once search has them).</summary>
    public bool Searchable { get; init; }
}

/// <summary>
/// The one shape of an article's child resources: listed and created under their article
/// (<c>/articles/{article}/{nouns}</c>), read, replaced, patched and deleted by their own id (<c>/{nouns}/{id}</c>).
/// Public reads see the parts of published articles; writes honour If-Match and answer with the part's ETag.
/// Each kind maps its six routes with one-line handlers of its own types calling these, so that the request delegate
/// generator compiles them at build time (it does not take handlers of a generic class); these describe the routes.
/// </summary>
internal sealed class ArticlePartRoutes<TRow, TRequest, TResponse, TStore>(ArticlePart part)
    where TRow : class, IArticlePartRow<TRequest, TResponse>
    where TRequest : class
    where TResponse : IVersioned
    where TStore : ArticlePartStore<TRow, TRequest>
{
    public (RouteGroupBuilder ByArticle, RouteGroupBuilder ById) Groups(IEndpointRouteBuilder routes)
    {
        var byArticle = routes.MapGroup($"/api/v1/articles/{{article}}/{part.Nouns}").WithTags(part.Tag);
        var byId = routes.MapGroup($"/api/v1/{part.Nouns}").WithTags(part.Tag);
        if (part.Searchable)
        {
            byArticle.CatchUpSearchIndexAfterWrites();
            byId.CatchUpSearchIndexAfterWrites();
        }

        return (byArticle, byId);
    }

    public void DescribeList(RouteHandlerBuilder route) => route
        .WithName($"List{part.TypeName}s")
        .WithSummary(part.ListSummary)
        .WithDescription(part.ListDescription)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .AllowAnonymous();

    public void DescribeCreate(RouteHandlerBuilder route) => route
        .WithName($"Create{part.TypeName}")
        .WithMetadata(new Idempotent())
        .WithSummary($"Add a {part.Noun} to an article")
        .WithDescription(part.CreateDescription)
        .Validate<TRequest>()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .RequireAuthorization();

    public void DescribeGet(RouteHandlerBuilder route) => route
        .WithName($"Get{part.TypeName}")
        .WithSummary($"Get one {part.Noun}")
        .WithDescription($"Public while its article is published; with a key, any. Send `If-None-Match` with the ETag to get 304 when nothing changed.")
        .ProducesProblem(StatusCodes.Status404NotFound)
        .AllowAnonymous();

    public void DescribeReplace(RouteHandlerBuilder route) => route
        .WithName($"Replace{part.TypeName}")
        .WithSummary($"Replace a {part.Noun}")
        .WithDescription(part.ReplaceDescription)
        .Validate<TRequest>()
        .WritePreconditions()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .RequireAuthorization();

    public void DescribePatch(RouteHandlerBuilder route) => route
        .WithName($"Patch{part.TypeName}")
        .WithSummary($"Change some of a {part.Noun}'s fields (JSON Merge Patch)")
        .WithDescription(part.PatchDescription)
        .Accepts<TRequest>(MergePatch.MediaType, "application/json")
        .WritePreconditions()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .RequireAuthorization();

    public void DescribeDelete(RouteHandlerBuilder route) => route
        .WithName($"Delete{part.TypeName}")
        .WithSummary($"Delete a {part.Noun}")
        .WithDescription(part.DeleteDescription)
        .WritePreconditions()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .RequireAuthorization();

    public async Task<Results<CachedJson<ItemList<TResponse>>, ProblemHttpResult>> ListAsync(
        string article, HttpContext context, ArticleStore articles, TStore store, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var rows = await store.ListAsync(found.Id, cancellationToken);
        return new CachedJson<ItemList<TResponse>>(
            new ItemList<TResponse>(rows.Select(r => r.ToResponse()).ToList()),
            rows.Count == 0 ? found.UpdatedAt : rows.Max(r => r.UpdatedAt),
            [SurrogateKeys.Article(found.Id), $"{part.Nouns}-article-{found.Id}", .. rows.Select(r => $"{part.Noun}-{r.Id}")]);
    }

    public async Task<Results<Created<TResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string article, TRequest request, HttpContext context, ArticleStore articles, TStore store, ETags etags, CancellationToken cancellationToken)
    {
        var found = await articles.FindVisibleAsync(article, context, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"article '{article}'");
        }

        var write = await store.CreateAsync(found.Id, request, cancellationToken);
        return write.ToHttp(context, etags, $"article '{article}'", r => r.ToResponse(), response => TypedResults.Created($"/api/v1/{part.Nouns}/{write.Row!.Id}", response));
    }

    public async Task<Results<CachedJson<TResponse>, ProblemHttpResult>> GetAsync(long id, HttpContext context, TStore store, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        return row is not null && ArticleVisibility.IsVisible(row.ArticleStatus, context)
            ? new CachedJson<TResponse>(row.ToResponse(), row.UpdatedAt, [$"{part.Noun}-{row.Id}", SurrogateKeys.Article(row.ArticleId)])
            : Problems.NotFound($"{part.Noun} {id}");
    }

    public Task<Results<Ok<TResponse>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        long id, TRequest request, HttpContext context, TStore store, ETags etags, CancellationToken cancellationToken) =>
        WriteAsync(id, _ => request, context, store, etags, cancellationToken);

    public Task<Results<Ok<TResponse>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        long id, MergePatchDocument patch, HttpContext context, TStore store, IValidator<TRequest> validator, ETags etags, CancellationToken cancellationToken) =>
        WriteAsync(id, current => MergePatch.ApplyAndValidate(current.ToRequest(), patch, validator, etags.SerializerOptions), context, store, etags, cancellationToken);

    public Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        long id, HttpContext context, TStore store, ETags etags, CancellationToken cancellationToken) =>
        WriteResponses.ConditionalAsync<TRow, TResponse, NoContent>(
            context, etags, $"{part.Noun} {id}", r => r.ToResponse(), matches => store.DeleteAsync(id, matches, cancellationToken), _ => TypedResults.NoContent());

    private Task<Results<Ok<TResponse>, ValidationProblem, ProblemHttpResult>> WriteAsync(
        long id, Func<TRow, Proposed<TRequest>> change, HttpContext context, TStore store, ETags etags, CancellationToken cancellationToken) =>
        WriteResponses.ConditionalAsync<TRow, TResponse, Ok<TResponse>>(
            context, etags, $"{part.Noun} {id}", r => r.ToResponse(), matches => store.UpdateAsync(id, change, matches, cancellationToken), TypedResults.Ok);
}
