using System.Text;

namespace Cms.Api.Search;

/// <summary>
/// An article's PostgreSQL search document (a tsvector, in its text form), cut and folded exactly as SQLite's index does
/// (<see cref="SearchTerms"/>: letters and digits make words, compared lower-cased and without accents), so that both
/// engines find the same articles for the same query. Each column's words carry its weight: title A, standfirst B,
/// byline and headings C, bodies D. Positions run on across the columns with a gap between them, so that a phrase never
/// spans two; like PostgreSQL's own, they stop at 16,383 and a word keeps at most 256 of them.
/// </summary>
internal static class SearchDocument
{
    /// <summary>Saves documents (@Documents, their text forms) for the articles @Ids, replacing what was there.</summary>
    public const string Save = """
        INSERT INTO article_search (article_id, document)
        SELECT * FROM unnest(@Ids, CAST(@Documents AS tsvector[]))
        ON CONFLICT (article_id) DO UPDATE SET document = excluded.document
        """;

    /// <summary>
    /// Merges what GIN's fast update left pending into the search index, after documents are saved. Saving appends them
    /// to a pending list, in bulk and cheaply, but every search reads that list through in full, so searches slow down
    /// with each document left there until a vacuum merges them. (Migration 0015: only the index's owner can merge; for
    /// another role it does nothing.)
    /// </summary>
    public const string MergePending = "SELECT cms_merge_search_pending()";

    private const int MaxPosition = 16_383;
    private const int MaxPositionsPerWord = 256;
    private const int MaxWordBytes = 2_000;

    public static string Build(string title, string? standfirst, string? byline, string headings, string bodies)
    {
        var words = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var position = 0;
        foreach (var (text, weight) in new[] { (title, 3), (standfirst ?? string.Empty, 2), (byline ?? string.Empty, 1), (headings, 1), (bodies, 0) })
        {
            for (var at = 0; SearchTerms.NextToken(text, at, out var start, out var end); at = end)
            {
                var word = SearchTerms.Fold(text.AsSpan(start, end - start));
                if (Encoding.UTF8.GetByteCount(word) > MaxWordBytes)
                {
                    continue;
                }

                position = Math.Min(position + 1, MaxPosition);
                if (!words.TryGetValue(word, out var positions))
                {
                    words[word] = positions = [];
                }

                if (positions.Count < MaxPositionsPerWord)
                {
                    positions.Add(position << 2 | weight);
                }
            }

            position = Math.Min(position + 1, MaxPosition);
        }

        var document = new StringBuilder();
        foreach (var (word, positions) in words)
        {
            document.Append(document.Length == 0 ? "'" : " '").Append(word).Append("':");
            for (var i = 0; i < positions.Count; i++)
            {
                document.Append(i == 0 ? string.Empty : ",").Append(positions[i] >> 2).Append("DCBA"[positions[i] & 3]);
            }
        }

        return document.ToString();
    }
}
