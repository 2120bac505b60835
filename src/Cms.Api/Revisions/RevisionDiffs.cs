using System.Globalization;
using Cms.Api.Articles;
using Cms.Api.Transfer;

namespace Cms.Api.Revisions;

/// <summary>Compares two revisions' documents: fields by name, sections and pull-quotes by position, text by line.</summary>
internal static class RevisionDiffs
{
    public static RevisionDiff Compare(long? from, ArticleDocument? before, long to, ArticleDocument after)
    {
        var fields = new List<FieldChange>();
        void Field(string name, string? was, string? now)
        {
            if (was != now)
            {
                fields.Add(new FieldChange(name, was, now));
            }
        }

        Field("slug", before?.Slug, after.Slug);
        Field("title", before?.Title, after.Title);
        Field("standfirst", before?.Standfirst, after.Standfirst);
        Field("byline", before?.Byline, after.Byline);
        Field("status", Status(before?.Status), Status(after.Status));
        Field("publishAt", Time(before?.PublishAt), Time(after.PublishAt));
        Field("publishedAt", Time(before?.PublishedAt), Time(after.PublishedAt));
        Field("commentsOpen", Flag(before?.CommentsOpen), Flag(after.CommentsOpen));

        var sections = Parts(before?.Sections ?? [], after.Sections ?? [], s => s.Body, s =>
            [("heading", s.Heading)]);
        var quotes = Parts(before?.PullQuotes ?? [], after.PullQuotes ?? [], q => q.Text, q =>
            [("attribution", q.Attribution), ("section", Number(q.Section)), ("afterParagraph", Number(q.AfterParagraph))]);
        return new RevisionDiff(from, to, fields, sections, quotes);
    }

    private static List<PartChange> Parts<T>(
        IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string?> text, Func<T, (string Name, string? Value)[]> others)
        where T : class
    {
        var changes = new List<PartChange>();
        for (var i = 0; i < Math.Max(before.Count, after.Count); i++)
        {
            var was = i < before.Count ? before[i] : null;
            var now = i < after.Count ? after[i] : null;
            if (was is not null && now is not null && was.Equals(now))
            {
                continue;
            }

            var wasFields = was is null ? [] : others(was);
            var nowFields = now is null ? [] : others(now);
            var fields = new List<FieldChange>();
            foreach (var name in wasFields.Select(f => f.Name).Union(nowFields.Select(f => f.Name)))
            {
                var a = wasFields.FirstOrDefault(f => f.Name == name).Value;
                var b = nowFields.FirstOrDefault(f => f.Name == name).Value;
                if (a != b)
                {
                    fields.Add(new FieldChange(name, a, b));
                }
            }

            var change = was is null ? "added" : now is null ? "removed" : "changed";
            var (wasText, nowText) = (was is null ? null : text(was), now is null ? null : text(now));
            changes.Add(new PartChange(i + 1, change, fields, wasText == nowText ? [] : Lines(wasText, nowText)));
        }

        return changes;
    }

    /// <summary>A line diff by longest common subsequence (texts are an article's paragraphs: small enough for the quadratic table).</summary>
    internal static List<DiffLine> Lines(string? before, string? after)
    {
        var a = before is null ? [] : before.Split('\n');
        var b = after is null ? [] : after.Split('\n');
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var lines = new List<DiffLine>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add(new DiffLine(" ", a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || common[x + 1, y] >= common[x, y + 1]))
            {
                lines.Add(new DiffLine("-", a[x++]));
            }
            else
            {
                lines.Add(new DiffLine("+", b[y++]));
            }
        }

        return lines;
    }

    private static string? Status(ArticleStatus? status) => status is { } s ? ArticleStatuses.ToText(s) : null;

    private static string? Time(DateTimeOffset? time) => time is { } t ? Data.Timestamps.ToText(t) : null;

    private static string? Flag(bool? flag) => flag switch { true => "true", false => "false", null => null };

    private static string? Number(int? number) => number?.ToString(CultureInfo.InvariantCulture);
}
