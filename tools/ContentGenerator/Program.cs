using System.Globalization;
using System.Text;

// Writes a synthetic NDJSON bundle of N articles to stdout: see scripts/generate-content.sh, which builds and runs this.
//
// Compiled rather than awk because the benchmark generates each chunk on the same two cores as the import of the last
// one: awk took ~3 CPU-seconds per 50,000 articles, a fifth of the import's own time, and this takes a tenth of that.
// The shape is awk's: the same vocabulary, lengths and counts, drawn from System.Random instead of awk's rand().
if (args.Length is < 1 or > 3 || !int.TryParse(args[0], out var count) || count < 0
    || !int.TryParse(args.ElementAtOrDefault(1) ?? "1", out var seed) || !int.TryParse(args.ElementAtOrDefault(2) ?? "1", out var first) || first < 1)
{
    Console.Error.WriteLine("usage: generate-content.sh N [SEED [FIRST]]");
    return 2;
}

using var stdout = Console.OpenStandardOutput();
using var output = new StreamWriter(stdout, new UTF8Encoding(false), 1 << 16);
new Generator(seed, first).Write(count, output);
return 0;

internal sealed class Generator
{
    private static readonly string[] Vocabulary = (
        "river harbour council ferry school flood market budget election station library bridge museum " +
        "festival weather storm hospital street village mayor report residents plans road park housing " +
        "water energy wind farm rail bus night morning week year town city county minister court police " +
        "fire rescue team match season club volunteers protest survey prices rents shops jobs factory " +
        "the a of and to in for on with after before over under new old local public early late").Split(' ');

    private static readonly string[] Names =
        ["Ada Penrose", "Ben Ruiz", "Chloe Okafor", "Dmitri Vale", "Elena Marsh", "Farid Haddad", "Grace Lin", "Hugo Brandt"];

    private static readonly DateTime Epoch = new(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // Text is drawn from a pool of random sentences made from the seed alone: sentences recur across articles, and a
    // chunk generated on its own (FIRST > 1) draws from the same pool as the whole dataset would.
    private const int PoolSize = 32_768;
    private readonly string[] pool = new string[PoolSize];
    private readonly Random random;
    private readonly int first;
    private readonly StringBuilder text = new();

    public Generator(int seed, int first)
    {
        var poolRandom = new Random(seed);
        for (var i = 0; i < PoolSize; i++)
        {
            pool[i] = Sentence(poolRandom);
        }

        random = new Random(first == 1 ? seed : seed + first);
        this.first = first;
    }

    public void Write(int count, TextWriter output)
    {
        for (var a = first; a < first + count; a++)
        {
            var slug = $"generated-{a:D7}";
            var published = Epoch.AddSeconds(300.0 * a);
            var title = Pooled().TrimEnd('.');
            var standfirst = Pooled() + " " + Pooled();
            output.Write($"{{\"slug\":\"{slug}\",\"title\":\"{title}\",\"standfirst\":\"{standfirst}\",\"byline\":\"{Pick(Names)}\",");
            output.Write($"\"status\":\"published\",\"publishAt\":null,\"publishedAt\":\"{Stamp(published)}\",\"sections\":[");
            var sections = 3 + random.Next(6);
            for (var s = 1; s <= sections; s++)
            {
                var heading = s == 1 ? "null" : "\"" + Words(2 + random.Next(4)) + "\"";
                output.Write($"{(s > 1 ? "," : "")}{{\"heading\":{heading},\"body\":\"");
                output.Write(Body());
                output.Write("\"}");
            }

            output.Write("],\"pullQuotes\":[");
            var quotes = random.Next(3);
            for (var q = 1; q <= quotes; q++)
            {
                output.Write($"{(q > 1 ? "," : "")}{{\"text\":\"{Pooled()}\",\"attribution\":\"{Pick(Names)}\",\"section\":{1 + random.Next(sections)},\"afterParagraph\":0}}");
            }

            output.Write("]}\n");
            var comments = random.Next(21);
            for (var c = 1; c <= comments; c++)
            {
                output.Write($"{{\"comment\":{{\"article\":\"{slug}\",\"name\":\"{Pick(Names)}\",\"email\":\"reader{c}@example.org\",");
                output.Write($"\"body\":\"{Pooled()}\",\"status\":\"approved\",\"createdAt\":\"{Stamp(published.AddSeconds(420.0 * c))}\"}}}}\n");
            }
        }
    }

    private static string Stamp(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", CultureInfo.InvariantCulture);

    private string Pick(string[] values) => values[random.Next(values.Length)];

    private string Pooled() => pool[random.Next(PoolSize)];

    private string Words(int count) => WordsFrom(random, count);

    private static string WordsFrom(Random random, int count)
    {
        var words = new string[count];
        for (var i = 0; i < count; i++)
        {
            words[i] = Vocabulary[random.Next(Vocabulary.Length)];
        }

        return string.Join(' ', words);
    }

    private static string Sentence(Random random)
    {
        var words = WordsFrom(random, 6 + random.Next(12));
        return char.ToUpperInvariant(words[0]) + words[1..] + ".";
    }

    // 300-1500 characters in 1-3 paragraphs, separated by a blank line (escaped for JSON).
    private StringBuilder Body()
    {
        var size = 300 + random.Next(1201);
        var paragraphs = 1 + random.Next(3);
        text.Clear();
        for (var p = 1; p <= paragraphs; p++)
        {
            if (p > 1)
            {
                text.Append("\\n\\n");
            }

            var start = text.Length;
            text.Append(Pooled());
            while (text.Length - start < (double)size / paragraphs)
            {
                text.Append(' ').Append(Pooled());
            }
        }

        return text;
    }
}
