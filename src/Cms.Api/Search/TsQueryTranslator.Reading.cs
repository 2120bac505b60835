namespace Cms.Api.Search;

internal static partial class TsQueryTranslator
{
    // Reading the query's text: FTS5's tokens (strings, barewords, keywords, punctuation) at the parser's position.
    private sealed partial class Parser
    {
        private string? ReadString()
        {
            if (!Peek('"'))
            {
                return null;
            }

            var value = SearchTerms.ReadQuoted(text, ref at, out var terminated);
            return terminated ? value : throw new SearchSyntaxException("unterminated string");
        }

        private string? ReadBareword(bool allowKeyword)
        {
            var start = at;
            while (at < text.Length && IsBareword(text[at]))
            {
                at++;
            }

            var word = text[start..at];
            if (word.Length == 0 || (!allowKeyword && word is "AND" or "OR" or "NOT"))
            {
                at = start;
                return null;
            }

            return word;
        }

        private bool StartsNearset()
        {
            SkipSpace();
            return at < text.Length && (IsBareword(text[at]) || text[at] is '"' or '-' or '{' or '^')
                && !PeekKeyword("AND") && !PeekKeyword("OR") && !PeekKeyword("NOT");
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpace();
            if (!PeekKeyword(keyword))
            {
                return false;
            }

            at += keyword.Length;
            return true;
        }

        private bool PeekKeyword(string keyword) =>
            string.CompareOrdinal(text, at, keyword, 0, keyword.Length) == 0
            && (at + keyword.Length == text.Length || !IsBareword(text[at + keyword.Length]));

        private bool PeekAfterKeyword(char c, string keyword)
        {
            var i = at + keyword.Length;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            return i < text.Length && text[i] == c;
        }

        private bool Peek(char c) => at < text.Length && text[at] == c;

        private void Expect(char c)
        {
            SkipSpace();
            if (!Peek(c))
            {
                throw Near();
            }

            at++;
        }

        private void SkipSpace()
        {
            while (at < text.Length && char.IsWhiteSpace(text[at]))
            {
                at++;
            }
        }

        private SearchSyntaxException Near() =>
            new($"fts5: syntax error near \"{(at < text.Length ? text[at..Math.Min(text.Length, at + 1)] : string.Empty)}\"");

        private static bool IsBareword(char c) => SearchTerms.IsBareword(c);
    }
}
