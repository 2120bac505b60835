using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Cms.Api.Search;

/// <summary>One phrase of a search: its tokens, folded; the last one matches as a prefix when the query said <c>word*</c>.</summary>
internal sealed record SearchPhrase(string[] Tokens, bool Prefix);

/// <summary>
/// What a search asks for, read the way FTS5 reads it (words, "quoted phrases", <c>prefix*</c>, <c>column:</c>
/// filters, AND/OR/NOT/NEAR and parentheses) but only to find what to mark in a snippet: the index itself decides what
/// matches, and a query it refuses never gets here. Tokens are cut and folded as the index's tokenizer does
/// (unicode61 with diacritics removed): letters, digits and private-use characters, compared lower-cased and unaccented.
/// </summary>
internal static class SearchTerms
{
    public static IReadOnlyList<SearchPhrase> Parse(string query)
    {
        var phrases = new List<SearchPhrase>();
        var i = 0;
        var afterComma = false;
        while (i < query.Length)
        {
            var c = query[i];
            if (c == '"')
            {
                Add(phrases, ReadQuoted(query, ref i, out _), IsPrefix(query, ref i));
                afterComma = false;
            }
            else if (c == '{')
            {
                var end = query.IndexOf('}', i);
                i = end < 0 ? query.Length : end + 1; // a column set; its ':' follows
            }
            else if (IsBareword(c))
            {
                var start = i;
                while (i < query.Length && IsBareword(query[i]))
                {
                    i++;
                }

                var word = query[start..i];
                var isColumn = i < query.Length && query[i] == ':';
                var isOperator = word is "AND" or "OR" or "NOT" or "NEAR";
                var isNearDistance = afterComma && word.All(char.IsAsciiDigit);
                var prefix = IsPrefix(query, ref i);
                if (!isColumn && !isOperator && !isNearDistance)
                {
                    Add(phrases, word, prefix);
                }

                afterComma = false;
            }
            else
            {
                afterComma = c == ',' || (afterComma && char.IsWhiteSpace(c));
                i++;
            }
        }

        return phrases;
    }

    /// <summary>Lower-cased and without diacritics, as the index compares tokens.</summary>
    public static string Fold(ReadOnlySpan<char> token)
    {
        if (Ascii.IsValid(token))
        {
            return string.Create(token.Length, token.ToString(), static (span, source) => Ascii.ToLower(source, span, out _));
        }

        var decomposed = token.ToString().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c);
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Letters, digits and private-use characters make tokens; everything else separates them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsTokenChar(char c) => c < 128 ? char.IsAsciiLetterOrDigit(c) : IsNonAsciiTokenChar(c);

    private static bool IsNonAsciiTokenChar(char c) => char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.PrivateUse
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => true,
            _ => false,
        };

    /// <summary>The tokens of a text: their start and end offsets.</summary>
    public static List<(int Start, int End)> Tokenize(string text)
    {
        var tokens = new List<(int, int)>();
        for (var at = 0; NextToken(text, at, out var start, out var end); at = end)
        {
            tokens.Add((start, end));
        }

        return tokens;
    }

    /// <summary>The token at or after <paramref name="from"/>.</summary>
    public static bool NextToken(string text, int from, out int start, out int end)
    {
        var i = from;
        while (i < text.Length && !IsTokenChar(text[i]))
        {
            i++;
        }

        start = i;
        while (i < text.Length && IsTokenChar(text[i]))
        {
            i++;
        }

        end = i;
        return end > start;
    }

    /// <summary>The start of the token before the one starting at <paramref name="before"/>; -1 when it is the first.</summary>
    public static int PreviousTokenStart(string text, int before)
    {
        var i = before - 1;
        while (i >= 0 && !IsTokenChar(text[i]))
        {
            i--;
        }

        if (i < 0)
        {
            return -1;
        }

        while (i > 0 && IsTokenChar(text[i - 1]))
        {
            i--;
        }

        return i;
    }

    /// <summary>
    /// The "quoted string" starting at <paramref name="i"/> (on its opening quote), with FTS5's "" for a quote inside;
    /// <paramref name="i"/> ends after it. Unterminated, it runs to the end of the query.
    /// </summary>
    public static string ReadQuoted(string query, ref int i, out bool terminated)
    {
        var text = new StringBuilder();
        for (i++; i < query.Length; i++)
        {
            if (query[i] == '"')
            {
                if (i + 1 < query.Length && query[i + 1] == '"')
                {
                    text.Append('"');
                    i++;
                    continue;
                }

                i++;
                terminated = true;
                return text.ToString();
            }

            text.Append(query[i]);
        }

        terminated = false;
        return text.ToString();
    }

    /// <summary>FTS5 barewords: ASCII letters, digits and '_', and any non-ASCII character.</summary>
    public static bool IsBareword(char c) => c >= 128 || char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsPrefix(string query, ref int i)
    {
        if (i < query.Length && query[i] == '*')
        {
            i++;
            return true;
        }

        return false;
    }

    private static void Add(List<SearchPhrase> phrases, string text, bool prefix)
    {
        var tokens = Tokenize(text).Select(t => Fold(text.AsSpan(t.Start, t.End - t.Start))).ToArray();
        if (tokens.Length > 0)
        {
            phrases.Add(new SearchPhrase(tokens, prefix));
        }
    }
}
