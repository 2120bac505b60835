using Cms.Api.Articles;
using Cms.Api.Auth;
using Cms.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cms.Api.Previews;

/// <summary>
/// Preview links (<see cref="PreviewLinks"/>): an editor shares a draft with someone who has no key, a colleague or a
/// lawyer; <c>GET /api/v1/articles/{article}?preview=</c> shows it to them.
/// </summary>
public static class PreviewEndpoints
{
    public static IEndpointRouteBuilder MapPreviews(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/articles/{article}/preview-link", IssuePreviewLink)
            .WithName(nameof(IssuePreviewLink))
            .WithTags("Articles")
            .WithSummary("Make a preview link to share a draft")
            .WithDescription("A URL that shows this unpublished article, read-only and never cached, to anyone who has it, without a key, "
                + "until `expiresIn` seconds have passed (default 24 hours, at most 7 days), the article is published, or preview links are revoked. "
                + "409 for an article that is already published: its own URL shows it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization();

        routes.MapDelete("/api/v1/preview-links", RevokePreviewLinks)
            .WithName(nameof(RevokePreviewLinks))
            .WithTags("Articles")
            .WithSummary("Revoke every preview link (admin)")
            .WithDescription("Replaces the secret the links are signed with: every link given out so far stops working, on every node.")
            .Produces(StatusCodes.Status204NoContent)
            .RequireAuthorization(Roles.AdminPolicy);

        return routes;
    }

    internal static async Task<Results<Ok<PreviewLinkResponse>, ValidationProblem, ProblemHttpResult>> IssuePreviewLink(
        string article, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] PreviewLinkRequest? request,
        HttpContext context, ArticleStore articles, PreviewLinks links, CancellationToken cancellationToken)
    {
        var lifetime = request?.ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : PreviewLinks.DefaultLifetime;
        if (lifetime < TimeSpan.FromMinutes(1) || lifetime > PreviewLinks.MaxLifetime)
        {
            return Problems.Invalid("expiresIn", "'expiresIn' is in seconds: 60 to 604800 (7 days).");
        }

        if (await articles.FindAsync(article, cancellationToken) is not { } found)
        {
            return Problems.NotFound($"article '{article}'");
        }

        if (found.IsPublished)
        {
            return Problems.Conflict($"The article '{found.Slug}' is published: its own URL shows it to everyone.");
        }

        var (token, expiresAt) = await links.IssueAsync(found.Id, found.PublishedAt, lifetime, cancellationToken);
        var url = $"{context.Request.Scheme}://{context.Request.Host}/api/v1/articles/{found.Id}?preview={token}";
        return TypedResults.Ok(new PreviewLinkResponse(url, token, expiresAt));
    }

    internal static async Task<NoContent> RevokePreviewLinks(PreviewLinks links, CancellationToken cancellationToken)
    {
        await links.RevokeAllAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
