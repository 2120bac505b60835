using System.Globalization;
using System.Text;
using Cms.Api.Articles;
using Cms.Api.Data;

namespace Cms.Api.Transfer;

/// <summary>
/// An article document as Markdown, the way an editor writes one: optional front matter (<c>slug</c>, <c>byline</c>,
/// <c>status</c>, <c>publishAt</c>) between <c>---</c> lines, <c>#&#160;Title</c>, the standfirst as the first paragraph, then the
/// sections: <c>##&#160;Heading</c> starts one (paragraphs before the first heading are a first section without one), plain
/// paragraphs separated by a blank line, exactly as stored, and <c>&gt;&#160;quote — Attribution</c> on its own line is a
/// pull-quote set after the paragraph before it. Written back the same way, so Markdown → article → Markdown gives the
/// same bytes; front matter is written only for what differs from the defaults (the slug made from the title, a draft).
/// </summary>
internal static class ArticleMarkdown
{
    public const string MediaType = "text/markdown";

    private const string Rule = "---";
    private const string AttributionDash = " — ";

    public static string Write(ArticleDocument document)
    {
        var blocks = new List<string>();
        var front = new List<string>();
        if (document.Slug != Slugs.FromTitle(document.Title ?? ""))
        {
            front.Add($"slug: {document.Slug}");
        }

        if (document.Byline is { } byline)
        {
            front.Add($"byline: {byline}");
        }

        if (document.Status is { } status && status != ArticleStatus.Draft)
        {
            front.Add($"status: {ArticleStatuses.ToText(status)}");
        }

        if (document.PublishAt is { } publishAt)
        {
            front.Add($"publishAt: {Timestamps.ToText(publishAt)}");
        }

        var text = new StringBuilder();
        if (front.Count > 0)
        {
            text.Append(Rule).Append('\n').AppendJoin('\n', front).Append('\n').Append(Rule).Append("\n\n");
        }

        blocks.Add("# " + document.Title);
        if (document.Standfirst is { } standfirst)
        {
            blocks.Add(standfirst);
        }

        var sections = document.Sections ?? [];
        var quotes = document.PullQuotes ?? [];
        for (var i = 0; i < sections.Count; i++)
        {
            if (sections[i].Heading is { } heading)
            {
                blocks.Add("## " + heading);
            }

            var placed = quotes.Where(q => q.Section == i + 1).ToList();
            var paragraphs = (sections[i].Body ?? "").Split("\n\n");
            for (var p = 0; p <= paragraphs.Length; p++)
            {
                blocks.AddRange(placed.Where(q => (q.AfterParagraph ?? 0) == p).Select(Quote));
                if (p < paragraphs.Length)
                {
                    blocks.Add(paragraphs[p]);
                }
            }
        }

        // A pull-quote placed nowhere (its section was deleted) goes last: read back, it is set after the last paragraph.
        blocks.AddRange(quotes.Where(q => q.Section is null || q.Section > sections.Count).Select(Quote));
        return text.AppendJoin("\n\n", blocks).Append('\n').ToString();
    }

    /// <summary>The document the Markdown describes, or why it cannot be read (keyed by the document's JSON fields).</summary>
    public static Proposed<ArticleDocument> Parse(string markdown)
    {
        var text = markdown.ReplaceLineEndings("\n");
        var errors = new Dictionary<string, string[]>();
        var document = new ArticleDocument();
        if (text.StartsWith(Rule + "\n", StringComparison.Ordinal))
        {
            var end = text.IndexOf("\n" + Rule + "\n", Rule.Length, StringComparison.Ordinal);
            if (end < 0)
            {
                return Invalid("$", "The front matter starts with a '---' line and must end with one.");
            }

            foreach (var line in text[(Rule.Length + 1)..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var (key, value) = colon < 0 ? (line, "") : (line[..colon].Trim(), line[(colon + 1)..].Trim());
                document = key switch
                {
                    "slug" => document with { Slug = value },
                    "byline" => document with { Byline = value },
                    "status" when Enum.TryParse<ArticleStatus>(value, ignoreCase: true, out var status) && !int.TryParse(value, out _) =>
                        document with { Status = status },
                    "publishAt" when DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) =>
                        document with { PublishAt = instant },
                    _ => document,
                };
                if (key is not ("slug" or "byline" or "status" or "publishAt"))
                {
                    errors[key] = [$"'{key}' is not a front matter field; use slug, byline, status or publishAt."];
                }
                else if ((key == "status" && document.Status is null) || (key == "publishAt" && document.PublishAt is null))
                {
                    errors[key] = [key == "status" ? "status must be draft, scheduled, published or archived." : "publishAt must be an ISO 8601 instant."];
                }
            }

            text = text[(end + Rule.Length + 2)..];
        }

        var blocks = text.Split("\n\n").Select(b => b.Trim('\n')).Where(b => b.Length > 0).ToList();
        if (blocks.Count == 0 || !blocks[0].StartsWith("# ", StringComparison.Ordinal) || blocks[0].Contains('\n', StringComparison.Ordinal))
        {
            errors["title"] = ["Start with the title on a line of its own: '# Title'."];
            return new Proposed<ArticleDocument>(null, errors);
        }

        document = document with { Title = blocks[0][2..] };
        var at = 1;
        if (at < blocks.Count && IsParagraph(blocks[at]))
        {
            document = document with { Standfirst = blocks[at++] };
        }

        var sections = new List<SectionDocument>();
        var quotes = new List<PullQuoteDocument>();
        string? heading = null;
        var paragraphs = new List<string>();
        var open = false;
        void Close()
        {
            if (open)
            {
                sections.Add(new SectionDocument { Heading = heading, Body = string.Join("\n\n", paragraphs) });
            }

            (heading, paragraphs, open) = (null, [], false);
        }

        for (; at < blocks.Count; at++)
        {
            var block = blocks[at];
            if (block.StartsWith("## ", StringComparison.Ordinal))
            {
                Close();
                var newline = block.IndexOf('\n', StringComparison.Ordinal);
                (heading, open) = (newline < 0 ? block[3..] : block[3..newline], true);
                if (newline >= 0)
                {
                    paragraphs.Add(block[(newline + 1)..]);
                }
            }
            else if (block.StartsWith("> ", StringComparison.Ordinal))
            {
                var quote = string.Join('\n', block.Split('\n').Select(l => l.StartsWith("> ", StringComparison.Ordinal) ? l[2..] : l));
                var dash = quote.LastIndexOf(AttributionDash, StringComparison.Ordinal);
                quotes.Add(new PullQuoteDocument
                {
                    Text = dash < 0 ? quote : quote[..dash],
                    Attribution = dash < 0 ? null : quote[(dash + AttributionDash.Length)..],
                    Section = open ? sections.Count + 1 : Math.Max(sections.Count, 1),
                    AfterParagraph = open ? paragraphs.Count : null,
                });
            }
            else
            {
                open = true;
                paragraphs.Add(block);
            }
        }

        Close();
        if (errors.Count > 0)
        {
            return new Proposed<ArticleDocument>(null, errors);
        }

        return document with { Sections = sections, PullQuotes = quotes };
    }

    private static bool IsParagraph(string block) => !block.StartsWith("## ", StringComparison.Ordinal) && !block.StartsWith("> ", StringComparison.Ordinal);

    private static string Quote(PullQuoteDocument quote) =>
        "> " + quote.Text!.Replace("\n", "\n> ", StringComparison.Ordinal) + (quote.Attribution is { } by ? AttributionDash + by : "");

    private static Proposed<ArticleDocument> Invalid(string field, string message) =>
        new(null, new Dictionary<string, string[]> { [field] = [message] });
}
