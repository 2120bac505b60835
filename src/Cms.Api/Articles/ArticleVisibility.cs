using Cms.Api.Auth;




namespace Cms.Api.Articles;

internal static class ArticleVisibility
{
    /// <summary>The article if this caller may see it: published for everyone, any status with a key.</summary>
    public static async Task<ArticleRow?> FindVisibleAsync(this ArticleStore store, string reference, HttpContext context, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(reference, cancellationToken);
        return row is not null && (row.IsPublished || context.HasKey()) ? row : null;
    }

    public static bool IsVisible(string articleStatus, HttpContext context) =>
        articleStatus == ArticleStatuses.Published || context.HasKey();
}
