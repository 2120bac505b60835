using System.Net;
using System.Text.RegularExpressions;
using System.Text;

namespace Cms.Api.Comments;

/// <summary>Plain-text comment handling: control characters out, safe HTML for display, link counting.</summary>
public static partial class CommentText
{
    /// <summary>Removes control characters (keeping line breaks and tabs) that readers cannot see but pages choke on.</summary>
    public static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsControl(c) || c is '\n' or '\r' or '\t')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static int CountLinks(string text) => Url().Count(text);

    /// <summary>A 64-bit fingerprint of the body, to find possible duplicates through an index.</summary>
    public static long Fingerprint(string body) =>
        BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)), 0);

    /// <summary>
    /// The body as HTML that is safe to insert into a page: everything escaped, paragraphs (blank lines) as &lt;p&gt;,
    /// single line breaks as &lt;br&gt;, and http(s) URLs as links with rel="nofollow ugc noopener".
    /// </summary>
    public static string ToHtml(string body)
    {
        var paragraphs = Paragraphs().Split(body.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n'))
            .Where(p => p.Trim().Length > 0)
            .Select(p => "<p>" + string.Join("<br>", p.Split('\n').Select(Linkify)) + "</p>");
        return string.Concat(paragraphs);
    }

    private static string Linkify(string line)
    {
        var html = new StringBuilder();
        var last = 0;
        foreach (Match match in Url().Matches(line))
        {
            html.Append(WebUtility.HtmlEncode(line[last..match.Index]));
            var href = WebUtility.HtmlEncode(match.Value);
            html.Append("<a href=\"").Append(href).Append("\" rel=\"nofollow ugc noopener\">").Append(href).Append("</a>");
            last = match.Index + match.Length;
        }

        return html.Append(WebUtility.HtmlEncode(line[last..])).ToString();
    }

    // Only http(s) URLs become links, so javascript: and data: never do. Trailing punctuation stays text.
    [GeneratedRegex(@"https?://[^\s<>""']+[^\s<>""'.,;:!?)\]]", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"\n[ \t]*\n+")]
    private static partial Regex Paragraphs();
}
