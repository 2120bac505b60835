using Cms.Api.Articles;
using Cms.Api.Auth;
using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Transfer;

/// <summary>
/// Articles as Markdown (<see cref="ArticleMarkdown"/>): <c>POST /articles</c> and <c>PUT /articles/by-slug/{slug}</c>
/// with <c>Content-Type: text/markdown</c> are routed here by their content type (the JSON operations document both),
/// and <c>GET /articles/{article}</c> with <c>Accept: text/markdown</c> answers through <see cref="MarkdownView"/>.
/// </summary>
public static class MarkdownEndpoints
{
    public static IEndpointRouteBuilder MapMarkdown(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/articles").ExcludeFromDescription().RequireAuthorization();

        group.MapPost("", CreateArticleFromMarkdown)
            .WithName(nameof(CreateArticleFromMarkdown))
            .Accepts<string>(ArticleMarkdown.MediaType);

        group.MapPut("by-slug/{slug}", UpsertArticleFromMarkdown)
            .WithName(nameof(UpsertArticleFromMarkdown))
            .Accepts<string>(ArticleMarkdown.MediaType);

        return routes;
    }

    internal static async Task<Results<Created<ArticleResponse>, ValidationProblem, ProblemHttpResult>> CreateArticleFromMarkdown(
        HttpContext context, DocumentWriters writers, ArticleStore articles, ScheduledPublisher publisher, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var proposed = ArticleMarkdown.Parse(await ReadAsync(context.Request, cancellationToken));
        if (proposed.Value is not { } document)
        {
            return Validation.Problem(proposed.Errors!);
        }

        var slug = document.Slug ?? Slugs.FromTitle(document.Title ?? "");
        var validation = new ArticleDocumentValidator().Validate(document with { Slug = slug });
        if (!validation.IsValid)
        {
            return Validation.Problem(validation.ToDictionary());
        }

        await using (var documents = await writers.BeginAsync(bulk: false, dryRun: false, cancellationToken))
        {
            // As a JSON create does: a slug asked for and taken is a conflict; one made from the title is numbered.
            if (await documents.ArticleExistsAsync(slug))
            {
                if (document.Slug is not null)
                {
                    return Problems.Conflict($"The slug '{slug}' is already in use.");
                }

                var number = 2;
                while (await documents.ArticleExistsAsync($"{slug}-{number}"))
                {
                    number++;
                }

                slug = $"{slug}-{number}";
            }

            var (_, id) = await documents.UpsertAsync(slug, document with { Slug = slug }, Timestamps.Now(clock));
            documents.Write.Changed(SurrogateKeys.Article(id), SurrogateKeys.Lists);
            await documents.CommitAsync();
        }

        publisher.Wake();
        var article = await TransferEndpoints.WholeArticleAsync(articles, slug, cancellationToken);
        return TypedResults.Created($"/api/v1/articles/{article.Id}", article);
    }

    internal static async Task<Results<Created<UpsertResponse>, Ok<UpsertResponse>, ValidationProblem>> UpsertArticleFromMarkdown(
        string slug, HttpContext context, DocumentWriters writers, ArticleStore articles, ScheduledPublisher publisher, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var proposed = ArticleMarkdown.Parse(await ReadAsync(context.Request, cancellationToken));
        return proposed.Value is { } document
            ? await TransferEndpoints.UpsertAsync(slug, document, writers, articles, publisher, clock, cancellationToken)
            : Validation.Problem(proposed.Errors!);
    }

    private static async Task<string> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}

/// <summary>
/// Answers <c>GET /articles/{article}</c> with the article as Markdown when the request's Accept asks for it: for the
/// public, published articles only, as the JSON view; with a key, any.
/// </summary>
internal sealed class MarkdownView(CmsDatabase database) : IEndpointFilter
{
    private static readonly string SelectDocument = DocumentRows.Select("articles a WHERE a.id = @Id OR a.slug = @Slug");

    public static bool IsWanted(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains(ArticleMarkdown.MediaType, StringComparison.OrdinalIgnoreCase);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!IsWanted(http.Request))
        {
            return await next(context);
        }

        var reference = (string)http.Request.RouteValues["article"]!;
        var id = long.TryParse(reference, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;
        await using var connection = await database.OpenAsync(http.RequestAborted);
        await using var rows = await connection.QueryMultipleAsync(new CommandDefinition(
            SelectDocument, new { Id = id, Slug = reference }, cancellationToken: http.RequestAborted));
        var stored = (await DocumentRows.ReadAsync(rows)).FirstOrDefault();
        if (stored is null || (stored.Document.Status != ArticleStatus.Published && !http.HasKey()))
        {
            return Problems.NotFound($"article '{reference}'");
        }

        http.Response.Headers.Vary = "Authorization, Accept";
        return TypedResults.Text(ArticleMarkdown.Write(stored.Document), ArticleMarkdown.MediaType + "; charset=utf-8");
    }
}
