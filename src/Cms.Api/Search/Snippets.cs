using System.Text;

namespace Cms.Api.Search;

/// <summary>
/// The passage of a hit that shows why it matched, cut from its stored text the way FTS5's <c>snippet()</c> cuts it:
/// the window of <see cref="Tokens"/> tokens, in whichever column, holding the most different phrases of the search
/// (then the most matches), centred on them or started at a sentence; an ellipsis where text was cut, and every
/// phrase found marked. Done here rather than by SQLite because the index keeps no text: FTS5 would have to index the
/// page's articles again in a temporary table for every search. Matches are found by a vectorised case-insensitive
/// scan and tokens are counted only around them, so a long article costs little more than a short one; only when that
/// scan finds nothing (the text spells a word with accents the query left out) is every token folded and compared.
/// </summary>
internal static class Snippets
{
    public const int Tokens = 24;
    private const string Ellipsis = "…";

    /// <summary>A phrase found: its first character and the end of its last token.</summary>
    private readonly record struct Hit(int Start, int End, int Phrase);

    /// <summary>
    /// The snippet of <paramref name="columns"/> (title, standfirst, byline, headings, bodies) as HTML: the text escaped
    /// (only what HTML gives meaning to: accented letters and curly quotes stay as they are), matches in &lt;mark&gt;.
    /// </summary>
    public static string Cut(IReadOnlyList<SearchPhrase> phrases, IReadOnlyList<string> columns)
    {
        var found = columns.Select(text => FindExact(phrases, text)).ToArray();
        if (found.All(hits => hits.Count == 0))
        {
            found = [.. columns.Select(text => FindFolded(phrases, text))];
        }

        var best = (Score: 0, Column: 0, Start: SearchTerms.NextToken(columns[0], 0, out var first, out _) ? first : 0);
        for (var column = 0; column < columns.Count; column++)
        {
            var (text, hits) = (columns[column], found[column]);
            if (hits.Count == 0)
            {
                continue;
            }

            var longerThanAWindow = SearchTerms.NextToken(text, 0, out var firstToken, out _) && !Window(text, firstToken).ToLast;
            int previousHit = -1, previousSentence = -1;
            foreach (var hit in hits)
            {
                var (score, firstMatch, lastMatch) = Score(phrases.Count, text, hits, hit.Start);
                if (score > best.Score)
                {
                    best = (score, column, Centre(text, firstMatch, lastMatch));
                }

                // A window starting at the sentence the match is in reads better, and wins a tie and then some.
                var sentence = SentenceStart(text, hit.Start, previousHit, previousSentence);
                (previousHit, previousSentence) = (hit.Start, sentence);
                if (longerThanAWindow && sentence < hit.Start)
                {
                    var (sentenceScore, _, _) = Score(phrases.Count, text, hits, sentence);
                    sentenceScore += SearchTerms.PreviousTokenStart(text, sentence) < 0 ? 120 : 100;
                    if (sentenceScore > best.Score)
                    {
                        best = (sentenceScore, column, sentence);
                    }
                }
            }
        }

        return Render(columns[best.Column], found[best.Column], best.Start);
    }

    /// <summary>Every place a phrase occurs with its letters as the query has them (ignoring case), in text order.</summary>
    private static List<Hit> FindExact(IReadOnlyList<SearchPhrase> phrases, string text)
    {
        var hits = new List<Hit>();
        for (var p = 0; p < phrases.Count; p++)
        {
            var phrase = phrases[p];
            var term = phrase.Tokens[0];
            for (var at = text.IndexOf(term, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(term, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                if (at > 0 && SearchTerms.IsTokenChar(text[at - 1]))
                {
                    continue; // inside a word
                }

                SearchTerms.NextToken(text, at, out _, out var end);
                var matches = phrase.Prefix && phrase.Tokens.Length == 1 || end == at + term.Length;
                for (var t = 1; t < phrase.Tokens.Length && matches; t++)
                {
                    matches = SearchTerms.NextToken(text, end, out var start, out end)
                        && Matches(text.AsSpan(start, end - start), phrase.Tokens[t], phrase.Prefix && t == phrase.Tokens.Length - 1);
                }

                if (matches)
                {
                    hits.Add(new Hit(at, end, p));
                }
            }
        }

        hits.Sort((a, b) => a.Start.CompareTo(b.Start));
        return hits;
    }

    /// <summary>Every place a phrase occurs, every token folded as the index folds it.</summary>
    private static List<Hit> FindFolded(IReadOnlyList<SearchPhrase> phrases, string text)
    {
        var tokens = SearchTerms.Tokenize(text);
        var hits = new List<Hit>();
        for (var position = 0; position < tokens.Count; position++)
        {
            for (var p = 0; p < phrases.Count; p++)
            {
                var phrase = phrases[p];
                var length = phrase.Tokens.Length;
                var matches = position + length <= tokens.Count;
                for (var t = 0; t < length && matches; t++)
                {
                    var (start, end) = tokens[position + t];
                    matches = Matches(text.AsSpan(start, end - start), phrase.Tokens[t], phrase.Prefix && t == length - 1);
                }

                if (matches)
                {
                    hits.Add(new Hit(tokens[position].Start, tokens[position + length - 1].End, p));
                }
            }
        }

        return hits;
    }

    private static bool Matches(ReadOnlySpan<char> token, string term, bool prefix)
    {
        if (!Ascii.IsValid(token))
        {
            token = SearchTerms.Fold(token);
        }

        return prefix ? token.StartsWith(term, StringComparison.OrdinalIgnoreCase) : token.Equals(term, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// FTS5's score of the window starting at the token at <paramref name="from"/>: 1000 per different phrase in it, 1 per
    /// repeat; and where its first match starts and its last ends.
    /// </summary>
    private static (int Score, int First, int Last) Score(int phrases, string text, List<Hit> hits, int from)
    {
        var end = Window(text, from).End;
        var score = 0;
        Span<bool> seen = phrases <= 256 ? stackalloc bool[phrases] : new bool[phrases];
        int first = -1, last = -1;
        foreach (var hit in hits)
        {
            if (hit.Start >= from && hit.Start < end)
            {
                score += seen[hit.Phrase] ? 1 : 1000;
                seen[hit.Phrase] = true;
                first = first < 0 ? hit.Start : first;
                last = hit.End;
            }
        }

        return (score, first, last);
    }

    /// <summary>
    /// Where a window holding the matches from <paramref name="first"/> to <paramref name="last"/> starts so that they sit
    /// in its middle. Worked out only for a window that beats the best so far: it walks tokens both ways.
    /// </summary>
    private static int Centre(string text, int first, int last)
    {
        // Back by half of what the matches leave of the window; then, if that runs past the column's end, back until it does not.
        var start = first;
        for (var back = (Tokens - CountTokens(text, first, last)) / 2; back > 0 && SearchTerms.PreviousTokenStart(text, start) is var previous and >= 0; back--)
        {
            start = previous;
        }

        var (_, count, toLast) = Window(text, start);
        for (var back = toLast ? Tokens - count : 0; back > 0 && SearchTerms.PreviousTokenStart(text, start) is var previous and >= 0; back--)
        {
            start = previous;
        }

        return start;
    }

    /// <summary>The token that starts the sentence <paramref name="at"/> is in: after white space after a full stop or colon, or the column's first.</summary>
    private static int SentenceStart(string text, int at, int previousHit, int previousSentence)
    {
        for (var token = at; ; )
        {
            var i = token - 1;
            while (i >= 0 && text[i] is ' ' or '\t' or '\n' or '\r')
            {
                i--;
            }

            if (i < token - 1 && i >= 0 && text[i] is '.' or ':')
            {
                return token;
            }

            var previous = SearchTerms.PreviousTokenStart(text, token);
            if (previous < 0)
            {
                return token;
            }

            if (previous <= previousHit)
            {
                return previousSentence; // no sentence began since the previous match
            }

            token = previous;
        }
    }

    private static string Render(string text, List<Hit> hits, int from)
    {
        if (!SearchTerms.NextToken(text, 0, out _, out _))
        {
            return Escaped(new StringBuilder(), text, 0, text.Length).ToString();
        }

        var (end, _, toLast) = Window(text, from);
        var snippet = new StringBuilder(SearchTerms.PreviousTokenStart(text, from) >= 0 ? Ellipsis : string.Empty);
        var offset = from;
        // Matches that begin in the window are marked (up to its end); overlapping ones as one.
        var marks = new List<(int Start, int End)>();
        foreach (var hit in hits.Where(h => h.Start >= from && h.Start < end))
        {
            var stop = Math.Min(hit.End, end);
            if (marks.Count > 0 && hit.Start < marks[^1].End)
            {
                marks[^1] = (marks[^1].Start, Math.Max(marks[^1].End, stop));
            }
            else
            {
                marks.Add((hit.Start, stop));
            }
        }

        foreach (var (start, stop) in marks)
        {
            Escaped(Escaped(snippet, text, offset, start - offset).Append("<mark>"), text, start, stop - start).Append("</mark>");
            offset = stop;
        }

        var last = toLast ? text.Length : end;
        Escaped(snippet, text, offset, last - offset);
        return toLast ? snippet.ToString() : snippet.Append(Ellipsis).ToString();
    }

    private static StringBuilder Escaped(StringBuilder html, string text, int start, int length)
    {
        foreach (var c in text.AsSpan(start, length))
        {
            _ = c switch
            {
                '&' => html.Append("&amp;"),
                '<' => html.Append("&lt;"),
                '>' => html.Append("&gt;"),
                '"' => html.Append("&quot;"),
                '\'' => html.Append("&#39;"),
                _ => html.Append(c),
            };
        }

        return html;
    }

    /// <summary>The window of up to <see cref="Tokens"/> tokens from the token at <paramref name="from"/>: where it ends, how many it holds, and whether it reaches the column's last token.</summary>
    private static (int End, int Count, bool ToLast) Window(string text, int from)
    {
        var (end, count) = (from, 0);
        while (count < Tokens && SearchTerms.NextToken(text, end, out _, out var tokenEnd))
        {
            (end, count) = (tokenEnd, count + 1);
        }

        return (end, count, !SearchTerms.NextToken(text, end, out _, out _));
    }

    private static int CountTokens(string text, int from, int to)
    {
        var count = 0;
        for (var at = from; at < to && SearchTerms.NextToken(text, at, out _, out var end); at = end)
        {
            count++;
        }

        return count;
    }
}
