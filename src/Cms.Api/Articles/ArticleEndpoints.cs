using Cms.Api.Articles.Pages;
using Cms.Api.Auth;
using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Idempotency;
using Cms.Api.Search;
using Cms.Api.Transfer;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Articles;

public static class ArticleEndpoints
{
    /// <summary>How many comments <c>include=comments</c> embeds; the rest page through the comments route.</summary>
    internal const int IncludedComments = 50;

    public static IEndpointRouteBuilder MapArticles(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/articles").WithTags("Articles").CatchUpSearchIndexAfterWrites();

        group.MapGet("", ListArticles)
            .WithName(nameof(ListArticles))
            .WithSummary("List and search articles")
            .WithDescription("Without a key: published articles only. With a key: every status, optionally filtered with `status`. "
                + "Filter with `q` (full-text, ranked by relevance among the most recent matches, with a `snippet` on each hit), `byline`, `publishedAfter`, `publishedBefore`; "
                + "order with `sort`. Pages by cursor: follow `nextCursor` (also in the `Link: <…>; rel=\"next\"` header) until it is null. "
                + "`include=sections,pullQuotes` embeds each article's parts in the same response. `count=true` adds `totalCount`.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .AllowAnonymous();

        group.MapPost("", CreateArticle)
            .WithName(nameof(CreateArticle))
            .WithMetadata(new Idempotent())
            .WithSummary("Create an article")
            .WithDescription("Creates a draft unless `status` says otherwise (`scheduled` needs a future `publishAt`). The slug is derived from the "
                + "title when omitted (and numbered -2, -3… if taken); an explicit slug that is taken gives 409.")
            .Validate<ArticleRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization();

        group.MapGet("{article}", GetArticle)
            .WithName(nameof(GetArticle))
            .WithSummary("Get one article, optionally with everything its page needs")
            .WithDescription("`article` is the numeric id or the slug. `include=sections,pullQuotes,comments` embeds the ordered sections, "
                + $"the pull-quotes and the first {IncludedComments} comments (approved only without a key) — one request, one database round trip. "
                + "Drafts, scheduled and archived articles are 404 without a key. Send `If-None-Match` with the ETag to get 304 when nothing changed. "
                + "With `Accept: text/markdown`, the article as Markdown (the format POST and PUT by slug take).")
            .AddEndpointFilter<MarkdownView>()
            .Produces<ArticleResponse>(StatusCodes.Status200OK, "application/json", ArticleMarkdown.MediaType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();

        group.MapPut("{article}", ReplaceArticle)
            .WithName(nameof(ReplaceArticle))
            .WithSummary("Replace an article's fields")
            .WithDescription("Replaces the writable fields. Omitted `standfirst` and `byline` are cleared; omitted `slug` and `status` keep their values. "
                + "`version` goes up by one when anything changed, and stays when the body equals what is stored. "
                + "Send `If-Match` with the ETag you read to be sure you are not overwriting someone else's change (412 if you would).")
            .Validate<ArticleRequest>()
            .WritePreconditions()
            .Produces<ArticleResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization();

        group.MapPatch("{article}", PatchArticle)
            .WithName(nameof(PatchArticle))
            .WithSummary("Change some of an article's fields (JSON Merge Patch)")
            .WithDescription("Send only the fields to change, e.g. `{\"status\":\"published\"}`; `null` clears an optional field. "
                + "Accepts `application/merge-patch+json` or `application/json`. The result is validated like a PUT. Honours `If-Match`.")
            .Accepts<ArticleRequest>(MergePatch.MediaType, "application/json")
            .ProducesValidationProblem()
            .WritePreconditions()
            .Produces<ArticleResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization();

        group.MapPost("{article}/publish", PublishArticle)
            .WithName(nameof(PublishArticle))
            .WithSummary("Publish an article now")
            .WithDescription("Same as PATCH `{\"status\":\"published\"}`. `publishedAt` is set the first time. Honours `If-Match`.")
            .WritePreconditions()
            .Produces<ArticleResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        group.MapPost("{article}/unpublish", UnpublishArticle)
            .WithName(nameof(UnpublishArticle))
            .WithSummary("Take an article down (back to draft)")
            .WithDescription("Same as PATCH `{\"status\":\"draft\"}`: the public gets 404 from now on; `publishedAt` is kept. Honours `If-Match`.")
            .WritePreconditions()
            .Produces<ArticleResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        group.MapDelete("{article}", DeleteArticle)
            .WithName(nameof(DeleteArticle))
            .WithSummary("Delete an article with its sections, pull-quotes and comments")
            .WithDescription("Its revisions stay for `Cms:Revisions:KeepDeletedDays`, so it can be restored from them. Honours `If-Match`.")
            .WritePreconditions()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization();

        return routes;
    }

    internal static async Task<Results<CachedJson<Page<ArticleResponse>>, ValidationProblem, ChallengeHttpResult>> ListArticles(
        HttpContext context, ArticleListReader reader, [AsParameters] ArticleListParameters parameters, CancellationToken cancellationToken)
    {
        if (!parameters.TryValidate(out var query, out var errors))
        {
            return Validation.Problem(errors);
        }

        if (!context.HasKey())
        {
            if (query.Status is not null and not ArticleStatuses.Published)
            {
                return TypedResults.Challenge();
            }

            query = query with { Status = ArticleStatuses.Published };
        }

        ArticleListResult result;
        try
        {
            result = await reader.ReadAsync(query, cancellationToken);
        }
        catch (SearchSyntaxException exception)
        {
            return Problems.Invalid("q", $"The search could not be understood ({exception.Message}). Use words, \"quoted phrases\", OR, NOT and prefix* — or quote the whole text.");
        }

        var (rows, next) = query.Paging.Cut(result.Rows, query.Sort.Name, r => (ArticleSort.KeyOf(r), r.Id));
        var items = rows.Select(r => r.ToResponse() with
        {
            Sections = query.Includes.HasFlag(ArticleIncludes.Sections) ? result.Sections[r.Id].Select(s => s.ToResponse()).ToList() : null,
            PullQuotes = query.Includes.HasFlag(ArticleIncludes.PullQuotes) ? result.PullQuotes[r.Id].Select(q => q.ToResponse()).ToList() : null,
            Snippet = result.Snippets.GetValueOrDefault(r.Id),
        }).ToList();

        PageLinks.AddNextLink(context, next);
        var surrogateKeys = new List<string> { SurrogateKeys.Lists };
        if (query.Search is not null)
        {
            surrogateKeys.Add(SurrogateKeys.Search);
        }

        surrogateKeys.AddRange(items.SelectMany(ContentKeys));
        return new CachedJson<Page<ArticleResponse>>(
            new Page<ArticleResponse>(items, next, result.TotalCount),
            items.Count == 0 ? null : items.Max(LastModified),
            surrogateKeys);
    }

    internal static async Task<Results<Created<ArticleResponse>, ValidationProblem, ProblemHttpResult>> CreateArticle(
        ArticleRequest request, HttpContext context, ArticleStore store, ScheduledPublisher publisher, ETags etags, CancellationToken cancellationToken)
    {
        var write = await store.CreateAsync(request, cancellationToken);
        return write.ToHttp(context, etags, "article", r => r.ToResponse(), response =>
        {
            publisher.WakeIfScheduled(response);
            return TypedResults.Created($"/api/v1/articles/{response.Id}", response);
        });
    }

    internal static async Task<Results<CachedJson<ArticleResponse>, ValidationProblem, ProblemHttpResult>> GetArticle(
        string article, string? include, string? preview, HttpContext context, ArticleStore store, RenderedPages pages, PreviewLinks previews,
        CancellationToken cancellationToken)
    {
        if (!ArticleListParameters.TryParseIncludes(include, ArticleIncludes.Sections | ArticleIncludes.PullQuotes | ArticleIncludes.Comments, out var includes, out var error))
        {
            return Problems.Invalid("include", error!);
        }

        var keyed = context.HasKey();
        if (!keyed && preview is not null)
        {
            return await PreviewAsync(article, includes, preview, store, previews, cancellationToken)
                ?? await GetArticle(article, include, null, context, store, pages, previews, cancellationToken);
        }

        if (!keyed)
        {
            // The public's page, as rendered when it last changed; built from the tables below until it is rendered.
            var rendered = await pages.ReadAsync(article, includes, cancellationToken);
            if (!rendered.Exists)
            {
                return Problems.NotFound($"article '{article}'");
            }

            if (rendered.Json is { } json)
            {
                return CachedJson<ArticleResponse>.Serialized(json, rendered.LastModified, rendered.SurrogateKeys);
            }
        }

        var page = await store.FindPageAsync(article, includes, allComments: keyed, IncludedComments, cancellationToken);
        if (page is null || !(page.Article.IsPublished || keyed))
        {
            return Problems.NotFound($"article '{article}'");
        }

        var response = page.ToResponse(keyed);
        return new CachedJson<ArticleResponse>(response, LastModified(response), ContentKeys(response));
    }

    /// <summary>
    /// A draft shown through a preview link: what the public would see once it is published, never cached. Null for a
    /// published article, which the link shows as everyone sees it.
    /// </summary>
    private static async Task<Results<CachedJson<ArticleResponse>, ValidationProblem, ProblemHttpResult>?> PreviewAsync(
        string article, ArticleIncludes includes, string preview, ArticleStore store, PreviewLinks previews, CancellationToken cancellationToken)
    {
        var page = await store.FindPageAsync(article, includes, allComments: false, IncludedComments, cancellationToken);
        if (page is not null && page.Article.IsPublished)
        {
            return null;
        }

        if (page is null || !await previews.OpensAsync(preview, page.Article.Id, page.Article.PublishedAt, cancellationToken))
        {
            return Problems.NotFound($"article '{article}' (the preview link has expired, was revoked, or is for another article)");
        }

        var response = page.ToResponse(keyed: false);
        return new CachedJson<ArticleResponse>(response, LastModified(response), []) { Private = true };
    }

    internal static Task<Results<Ok<ArticleResponse>, ValidationProblem, ProblemHttpResult>> ReplaceArticle(
        string article, ArticleRequest request, HttpContext context, ArticleStore store, ScheduledPublisher publisher, ETags etags, CancellationToken cancellationToken) =>
        Write(article, _ => request, context, store, publisher, etags, cancellationToken);

    internal static Task<Results<Ok<ArticleResponse>, ValidationProblem, ProblemHttpResult>> PatchArticle(
        string article, MergePatchDocument patch, HttpContext context, ArticleStore store, ScheduledPublisher publisher,
        IValidator<ArticleRequest> validator, ETags etags, CancellationToken cancellationToken) =>
        Write(
            article, current => MergePatch.ApplyAndValidate(current.ToRequest(), patch, validator, etags.SerializerOptions),
            context, store, publisher, etags, cancellationToken);

    internal static Task<Results<Ok<ArticleResponse>, ValidationProblem, ProblemHttpResult>> PublishArticle(
        string article, HttpContext context, ArticleStore store, ScheduledPublisher publisher, ETags etags, CancellationToken cancellationToken) =>
        Write(article, current => current.ToRequest() with { Status = ArticleStatus.Published }, context, store, publisher, etags, cancellationToken);

    internal static Task<Results<Ok<ArticleResponse>, ValidationProblem, ProblemHttpResult>> UnpublishArticle(
        string article, HttpContext context, ArticleStore store, ScheduledPublisher publisher, ETags etags, CancellationToken cancellationToken) =>
        Write(article, current => current.ToRequest() with { Status = ArticleStatus.Draft }, context, store, publisher, etags, cancellationToken);

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteArticle(
        string article, HttpContext context, ArticleStore store, ETags etags, CancellationToken cancellationToken) =>
        await store.IdOfAsync(article, cancellationToken) is { } id
            ? await WriteResponses.ConditionalAsync<ArticleRow, ArticleResponse, NoContent>(
                context, etags, $"article '{article}'", r => r.ToResponse(), matches => store.DeleteAsync(id, matches, cancellationToken), _ => TypedResults.NoContent())
            : Problems.NotFound($"article '{article}'");

    /// <summary>The one write path for PUT, PATCH, publish and unpublish: If-Match, save, ETag of the result.</summary>
    private static async Task<Results<Ok<ArticleResponse>, ValidationProblem, ProblemHttpResult>> Write(
        string article, Func<ArticleRow, Proposed<ArticleRequest>> change, HttpContext context, ArticleStore store, ScheduledPublisher publisher,
        ETags etags, CancellationToken cancellationToken) =>
        await store.IdOfAsync(article, cancellationToken) is { } id
            ? await WriteResponses.ConditionalAsync<ArticleRow, ArticleResponse, Ok<ArticleResponse>>(
                context, etags, $"article '{article}'", r => r.ToResponse(), matches => store.UpdateAsync(id, change, matches, cancellationToken), response =>
                {
                    publisher.WakeIfScheduled(response);
                    return TypedResults.Ok(response);
                })
            : Problems.NotFound($"article '{article}'");

    private static DateTimeOffset LastModified(ArticleResponse article) => new[] { article.UpdatedAt }
        .Concat(article.Sections?.Select(s => s.UpdatedAt) ?? [])
        .Concat(article.PullQuotes?.Select(q => q.UpdatedAt) ?? [])
        .Concat(article.Comments?.Select(c => c.UpdatedAt) ?? [])
        .Max();

    /// <summary>Surrogate keys naming everything in a response, so a CDN can purge exactly what a change touches.</summary>
    private static IEnumerable<string> ContentKeys(ArticleResponse article) => new[] { SurrogateKeys.Article(article.Id) }
        .Concat(article.Sections?.Select(s => SurrogateKeys.Section(s.Id)) ?? [])
        .Concat(article.PullQuotes?.Select(q => SurrogateKeys.PullQuote(q.Id)) ?? [])
        .Concat(article.Comments is null ? [] : [SurrogateKeys.ArticleComments(article.Id)]);
}
