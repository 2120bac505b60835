using Microsoft.AspNetCore.Http.HttpResults;
using Cms.Api.Articles;
using Cms.Api.Auth;
using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Idempotency;

namespace Cms.Api.Transfer;

public static class TransferEndpoints
{
    public const string NdjsonMediaType = "application/x-ndjson";

    public static IEndpointRouteBuilder MapTransfer(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Seeding and transfer");

        group.MapPut("articles/by-slug/{slug}", UpsertArticle)
            .WithName(nameof(UpsertArticle))
            .WithSummary("Create or replace a whole article by slug (idempotent)")
            .WithDescription("The body is the whole article: its fields, its `sections` in order and its `pullQuotes` (each naming its "
                + "section by position). One transaction. 201 when created, 200 when changed, 200 with `\"unchanged\": true` — and no "
                + "version or updatedAt change — when the stored article already matches. Safe to run on every CI build.")
            .Accepts<ArticleDocument>("application/json")
            .Produces<UpsertResponse>(StatusCodes.Status200OK)
            .Produces<UpsertResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .RequireAuthorization();

        group.MapPost("import", Import)
            .WithName(nameof(Import))
            .WithSummary("Import a bundle of articles and comments, all or nothing")
            .WithDescription("`application/json`: `{\"articles\":[documents],\"comments\":[…]}`; or `application/x-ndjson`: one article document per line "
                + "(or `{\"comment\":{…}}`), read as a stream so large files keep memory flat. Everything is validated and every problem reported "
                + "with its JSON path (400); nothing is written unless all of it is valid. Articles are matched by slug (created / updated / unchanged); "
                + "a comment already present (same article, name, body and createdAt) is unchanged. `?dryRun=true` reports what would happen and writes "
                + "nothing. Honours `Idempotency-Key`.")
            .Accepts<ContentBundle>("application/json", NdjsonMediaType)
            .Produces<ImportResult>()
            .ProducesValidationProblem()
            .WithMetadata(new LargeBody(), new Idempotent())
            .RequireAuthorization();

        group.MapGet("export", Export)
            .WithName(nameof(Export))
            .WithSummary("Export articles and comments as a bundle (streamed)")
            .WithDescription("The import format: JSON, or NDJSON with `Accept: application/x-ndjson`. Optional `status` and `updatedSince`. "
                + "E-mail addresses are included only for admin keys. Exporting, importing into an empty database and exporting again gives the same bytes.")
            .Produces<ContentBundle>(StatusCodes.Status200OK, "application/json", NdjsonMediaType)
            .ProducesValidationProblem()
            .RequireAuthorization();

        return routes;
    }

    internal static Task<Results<Created<UpsertResponse>, Ok<UpsertResponse>, ValidationProblem>> UpsertArticle(
        string slug, ArticleDocument document, DocumentWriters writers, ArticleStore articles,
        ScheduledPublisher publisher, TimeProvider clock, CancellationToken cancellationToken) =>
        UpsertAsync(slug, document, writers, articles, publisher, clock, cancellationToken);

    /// <summary>PUT by slug, whichever format the document came in (JSON here, Markdown in <see cref="MarkdownEndpoints"/>).</summary>
    internal static async Task<Results<Created<UpsertResponse>, Ok<UpsertResponse>, ValidationProblem>> UpsertAsync(
        string slug, ArticleDocument document, DocumentWriters writers, ArticleStore articles,
        ScheduledPublisher publisher, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (document.Slug is not null && document.Slug != slug)
        {
            return Problems.Invalid("slug", $"The body's slug '{document.Slug}' differs from the path's '{slug}'. Omit it, or make them equal.");
        }

        var withSlug = document with { Slug = slug };
        var validation = new ArticleDocumentValidator().Validate(withSlug);
        if (!validation.IsValid)
        {
            return Validation.Problem(validation.ToDictionary());
        }

        var change = await writers.UpsertOneAsync(slug, withSlug, Timestamps.Now(clock), cancellationToken);

        publisher.Wake();
        var article = await WholeArticleAsync(articles, slug, cancellationToken);
        var response = new UpsertResponse(change == Change.Unchanged, article);
        return change == Change.Created
            ? TypedResults.Created($"/api/v1/articles/{article.Id}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>The article as just written, with its sections and pull-quotes.</summary>
    internal static async Task<ArticleResponse> WholeArticleAsync(ArticleStore articles, string slug, CancellationToken cancellationToken)
    {
        var page = (await articles.FindPageAsync(slug, ArticleIncludes.Sections | ArticleIncludes.PullQuotes, allComments: true, 0, cancellationToken))!;
        return page.Article.ToResponse() with
        {
            Sections = page.Sections!.Select(s => s.ToResponse()).ToList(),
            PullQuotes = page.PullQuotes!.Select(q => q.ToResponse()).ToList(),
        };
    }

    internal static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        HttpContext context, Importer importer, ETags etags, bool? dryRun, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var options = etags.SerializerOptions;
        IAsyncEnumerable<BundleItem> items;
        if (request.ContentType?.StartsWith(NdjsonMediaType, StringComparison.OrdinalIgnoreCase) == true)
        {
            items = BundleItem.FromNdjsonAsync(request.BodyReader, options, cancellationToken);
        }
        else if (request.HasJsonContentType())
        {
            items = BundleItem.FromJsonAsync(request.Body, options, cancellationToken);
        }
        else
        {
            return TypedResults.Problem(Problems.UnsupportedMediaType());
        }

        var (result, errors) = await importer.ImportAsync(items, dryRun ?? false, cancellationToken);
        if (errors.Count == 0)
        {
            return TypedResults.Ok(result);
        }

        return TypedResults.ValidationProblem(
            errors,
            detail: $"Nothing was imported: {errors.Count} problem(s) found. Each key is the JSON path of what to fix.",
            title: "The bundle is not valid.");
    }

    internal static async Task<Results<EmptyHttpResult, ValidationProblem>> Export(
        HttpContext context, Exporter exporter, string? status, DateTimeOffset? updatedSince, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryParseEnum<ArticleStatus>(status, "status", out var filter, out var errors))
        {
            return Validation.Problem(errors);
        }

        var ndjson = context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(NdjsonMediaType, StringComparison.OrdinalIgnoreCase));
        var withEmails = context.User.IsInRole(Roles.Admin);
        context.Response.ContentType = ndjson ? NdjsonMediaType : "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "private, no-store";
        await exporter.WriteAsync(context.Response.Body, ndjson, filter, updatedSince, withEmails, cancellationToken);
        return TypedResults.Empty;
    }
}
