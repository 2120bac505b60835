namespace Cms.Api.Previews;

/// <summary>How long the link works.</summary>
public sealed record PreviewLinkRequest
{
    /// <summary>Seconds until the link stops working: 60 to 604800 (7 days), default 86400 (24 hours).</summary>
    public int? ExpiresIn { get; init; }
}

/// <param name="Url">The article's URL with the token: open it without a key to read the draft (read-only, never cached).</param>
/// <param name="Token">The token alone, for a page of your own: send it as <c>?preview=</c> on <c>GET /api/v1/articles/{article}</c>.</param>
/// <param name="ExpiresAt">When it stops working (earlier if the article is published or preview links are revoked).</param>
public sealed record PreviewLinkResponse(string Url, string Token, DateTimeOffset ExpiresAt);
