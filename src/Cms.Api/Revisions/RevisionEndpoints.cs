using Cms.Api.Articles;
using Cms.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Revisions;

public static class RevisionEndpoints
{
    public static IEndpointRouteBuilder MapRevisions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/articles/{id}/revisions").WithTags("Revisions").RequireAuthorization();

        group.MapGet("", ListRevisions)
            .WithName(nameof(ListRevisions))
            .WithSummary("An article's revisions, newest first")
            .WithDescription("Every change to the article's document (fields, sections, pull-quotes; by any route, upsert or import) is a revision: "
                + "who (the key's name) and when. The latest `Cms:Revisions:Keep` are kept per article; a deleted article's stay for "
                + "`Cms:Revisions:KeepDeletedDays`, and it can be restored from them. Pages by cursor.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("{number}", GetRevision)
            .WithName(nameof(GetRevision))
            .WithSummary("One revision: the whole document as it was after that change")
            .WithDescription("The article's fields, sections and pull-quotes as they were, with the version, when and by which key's name.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("{number}/diff", DiffRevision)
            .WithName(nameof(DiffRevision))
            .WithSummary("What changed between two revisions")
            .WithDescription("From revision `against` (default: the one before) to revision `number`: the fields that differ, and the sections and "
                + "pull-quotes added, removed or changed (by position), with a line diff of their text.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("{number}/restore", RestoreRevision)
            .WithName(nameof(RestoreRevision))
            .WithSummary("Restore an article to a revision")
            .WithDescription("Writes the revision's document back: fields, sections and pull-quotes exactly as they were (comments stay as they are). "
                + "Anything that differs makes a new version and a new revision. Honours `If-Match` (the article's ETag). "
                + "A deleted article is created again (201, with a new id that keeps its revisions); 409 if its slug is another article's now.")
            .WritePreconditions()
            .Produces<ArticleResponse>()
            .Produces<ArticleResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return routes;
    }

    internal static async Task<Results<Ok<Page<RevisionSummary>>, ValidationProblem, ProblemHttpResult>> ListRevisions(
        long id, int? limit, string? cursor, HttpContext context, RevisionStore store, CancellationToken cancellationToken)
    {
        if (!ListParameters.TryParse(limit, cursor, null, null, RevisionStore.Sort, out var paging, out var errors))
        {
            return Validation.Problem(errors);
        }

        if (await store.ListAsync(id, paging, cancellationToken) is not { } revisions)
        {
            return Problems.NotFound($"revisions of article {id}");
        }

        var (items, next) = paging.Cut(revisions, RevisionStore.Sort, r => ("", r.Number));
        PageLinks.AddNextLink(context, next);
        return TypedResults.Ok(new Page<RevisionSummary>(items, next));
    }

    internal static async Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> GetRevision(
        long id, long number, RevisionStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, number, cancellationToken) is { } revision
            ? TypedResults.Ok(revision)
            : Problems.NotFound($"revision {number} of article {id}");

    internal static async Task<Results<Ok<RevisionDiff>, ProblemHttpResult>> DiffRevision(
        long id, long number, long? against, RevisionStore store, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, number, cancellationToken) is not { } revision)
        {
            return Problems.NotFound($"revision {number} of article {id}");
        }

        var from = against ?? number - 1;
        RevisionResponse? before = null;
        if (from >= 1 && (before = await store.FindAsync(id, from, cancellationToken)) is null && against is not null)
        {
            return Problems.NotFound($"revision {from} of article {id}");
        }

        return TypedResults.Ok(RevisionDiffs.Compare(before?.Number, before?.Document, number, revision.Document));
    }

    internal static async Task<Results<Ok<ArticleResponse>, Created<ArticleResponse>, ValidationProblem, ProblemHttpResult>> RestoreRevision(
        long id, long number, HttpContext context, RevisionStore store, ScheduledPublisher publisher, ETags etags, CancellationToken cancellationToken)
    {
        var recreated = false;
        var result = await WriteResponses.ConditionalAsync<ArticleRow, ArticleResponse, Ok<ArticleResponse>>(
            context, etags, $"revision {number} of article {id}", r => r.ToResponse(),
            matches => store.RestoreAsync(id, number, matches, value => recreated = value, cancellationToken),
            response =>
            {
                publisher.WakeIfScheduled(response);
                return TypedResults.Ok(response);
            });
        return result.Result is Ok<ArticleResponse> { Value: { } article } && recreated
            ? TypedResults.Created($"/api/v1/articles/{article.Id}", article)
            : result.Result switch
            {
                Ok<ArticleResponse> ok => ok,
                ValidationProblem invalid => invalid,
                ProblemHttpResult problem => problem,
                _ => throw new InvalidOperationException("Unexpected result."),
            };
    }
}
