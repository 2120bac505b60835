namespace Cms.Api.Search;

/// <summary>
/// Reads a search written in the query language SQLite's FTS5 accepts (the API's one language on both engines) and
/// writes it as a PostgreSQL tsquery over the documents <see cref="SearchDocument"/> builds: each word cut and folded as
/// there (a prefix* gets <c>:*</c>), a "quoted phrase" words that follow each other (<c>&lt;-&gt;</c>), AND/OR/NOT
/// <c>&amp;</c>, <c>|</c> and <c>&amp; !</c>, a column filter the weight that column's words carry (title A, standfirst
/// B, byline and headings C, bodies D). Where tsquery has no equivalent it asks less, never more: NEAR(…) is an AND of
/// its phrases and <c>^</c> (first word) is ignored. A query FTS5 would refuse is refused the same way, with
/// <see cref="SearchSyntaxException"/>.
/// </summary>
internal static partial class TsQueryTranslator
{
    private static readonly Dictionary<string, string> Weights = new(StringComparer.OrdinalIgnoreCase)
    {
        ["title"] = "A", ["standfirst"] = "B", ["byline"] = "C", ["headings"] = "C", ["bodies"] = "D",
    };

    private const string AllWeights = "ABCD";

    public static string Translate(string query) => new Parser(query).ParseAll();

    private sealed partial class Parser(string text)
    {
        private int at;

        public string ParseAll()
        {
            var tree = ParseOr(AllWeights);
            SkipSpace();
            if (at < text.Length)
            {
                throw Near();
            }

            return tree ?? string.Empty;
        }

        // As FTS5's grammar has it: OR binds loosest, then AND, then NOT; tightest, phrases side by side (an implied AND,
        // which a parenthesised group cannot join). An operand with no words drops out.
        private string? ParseOr(string weights)
        {
            var left = ParseAnd(weights);
            while (TryKeyword("OR"))
            {
                left = Combine(left, "|", ParseAnd(weights));
            }

            return left;
        }

        private string? ParseAnd(string weights)
        {
            var left = ParseNot(weights);
            while (TryKeyword("AND"))
            {
                left = Combine(left, "&", ParseNot(weights));
            }

            return left;
        }

        private string? ParseNot(string weights)
        {
            var left = ParsePrimary(weights);
            while (TryKeyword("NOT"))
            {
                var right = ParsePrimary(weights);
                left = left is null ? null : right is null ? left : $"({left} & !{right})";
            }

            return left;
        }

        // A (group), a column filter on a (group), or phrases and NEAR groups side by side, each with its own filter.
        private string? ParsePrimary(string weights)
        {
            SkipSpace();
            if (at >= text.Length)
            {
                throw Near();
            }

            var filtered = Filter(weights);
            if (Peek('('))
            {
                at++;
                var inner = ParseOr(filtered);
                Expect(')');
                return inner;
            }

            var all = ParseNearset(filtered);
            while (StartsNearset())
            {
                filtered = Filter(weights);
                all = Combine(all, "&", Peek('(') ? throw Near() : ParseNearset(filtered));
            }

            return all;
        }

        private string Filter(string weights)
        {
            var filter = TryColumnFilter();
            SkipSpace();
            return filter is null ? weights : new string([.. weights.Where(filter.Contains)]);
        }

        private string? ParseNearset(string weights)
        {
            if (PeekKeyword("NEAR") && PeekAfterKeyword('(', "NEAR"))
            {
                at += "NEAR".Length;
                SkipSpace();
                at++;
                var phrases = new List<string?>();
                SkipSpace();
                while (!Peek(')') && !Peek(','))
                {
                    phrases.Add(ParsePhrase(weights));
                    SkipSpace();
                }

                if (Peek(','))
                {
                    at++;
                    SkipSpace();
                    var digits = at;
                    while (at < text.Length && char.IsAsciiDigit(text[at]))
                    {
                        at++;
                    }

                    if (digits == at)
                    {
                        throw Near();
                    }
                }

                Expect(')');
                if (phrases.Count == 0)
                {
                    throw Near();
                }

                return phrases.Aggregate((string?)null, (all, p) => Combine(all, "&", p));
            }

            if (Peek('^'))
            {
                at++;
            }

            return ParsePhrase(weights);
        }

        // A phrase: a bareword or a "quoted string", with * after it for a prefix; phrase + phrase is one phrase. Its words
        // are cut and folded as the documents' were (SearchDocument), and follow each other (<->) when there are several.
        private string? ParsePhrase(string weights)
        {
            var tokens = new List<string>();
            bool prefix;
            while (true)
            {
                SkipSpace();
                var part = ReadString() ?? ReadBareword(allowKeyword: false) ?? throw Near();
                tokens.AddRange(SearchTerms.Tokenize(part).Select(t => SearchTerms.Fold(part.AsSpan(t.Start, t.End - t.Start))));
                prefix = Peek('*');
                if (prefix)
                {
                    at++;
                }

                SkipSpace();
                if (!Peek('+'))
                {
                    break;
                }

                at++;
            }

            if (tokens.Count == 0)
            {
                return null;
            }

            var suffix = weights.Length == AllWeights.Length ? string.Empty : weights;
            var lexemes = tokens.Select((t, i) => $"'{t}'" + Label(prefix && i == tokens.Count - 1, suffix));
            var phrase = tokens.Count == 1 ? lexemes.Single() : $"({string.Join(" <-> ", lexemes)})";

            // Filters that leave no column (title:(-title: x)) match nothing, as in FTS5: a phrase and its negation.
            return weights.Length == 0 ? $"({phrase} & !{phrase})" : phrase;
        }

        private static string Label(bool prefix, string weights) =>
            prefix || weights.Length > 0 ? $":{(prefix ? "*" : string.Empty)}{weights}" : string.Empty;

        // "col:", "-col:", "{a b}:" or "-{a b}:"; the weights the named columns carry (or all others for "-").
        private string? TryColumnFilter()
        {
            var start = at;
            var exclude = Peek('-');
            if (exclude)
            {
                at++;
            }

            var names = new List<string>();
            if (Peek('{'))
            {
                at++;
                SkipSpace();
                while (!Peek('}'))
                {
                    names.Add(ReadBareword(allowKeyword: true) ?? throw Near());
                    SkipSpace();
                }

                at++;
            }
            else
            {
                var name = ReadBareword(allowKeyword: true);
                SkipSpace();
                if (name is null || !Peek(':'))
                {
                    at = start;
                    return exclude ? throw Near() : null;
                }

                names.Add(name);
            }

            SkipSpace();
            Expect(':');
            var named = names.Select(n => Weights.TryGetValue(n, out var w) ? w : throw new SearchSyntaxException($"no such column: {n}"));
            var weights = string.Concat(named.Distinct());
            return exclude ? new string([.. AllWeights.Where(w => !weights.Contains(w))]) : weights;
        }

        private static string? Combine(string? left, string op, string? right) =>
            left is null ? right : right is null ? left : $"({left} {op} {right})";
    }
}
