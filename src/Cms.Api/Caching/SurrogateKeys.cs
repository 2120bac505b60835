namespace Cms.Api.Caching;

/// <summary>
/// The names public views carry in their <c>Surrogate-Key</c> header, and that writes name when they change them: a write
/// evicts exactly the views that carry one of the keys it names (in memory at once, and at a CDN that purges by key).
/// </summary>
public static class SurrogateKeys
{
    /// <summary>Every list of articles, searches included: any change to which articles are published, or to their order.</summary>
    public const string Lists = "articles";

    /// <summary>Every search result: a change to an article's searchable text.</summary>
    public const string Search = "search";

    /// <summary>Everything (a bulk import).</summary>
    public const string All = "*";

    /// <summary>Every view that shows the article: its page in every form, its parts' lists and views, the list pages it is on.</summary>
    public static string Article(long id) => $"article-{id}";

    /// <summary>The article an <see cref="Article"/> key names; null for any other key.</summary>
    public static long? ArticleId(string key) =>
        key.StartsWith("article-", StringComparison.Ordinal)
        && long.TryParse(key.AsSpan("article-".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;

    public static string Section(long id) => $"section-{id}";

    public static string PullQuote(long id) => $"pull-quote-{id}";

    public static string Comment(long id) => $"comment-{id}";

    /// <summary>Every view that shows the article's comments (its page with include=comments among them).</summary>
    public static string ArticleComments(long articleId) => $"comments-article-{articleId}";
}
