using System.Globalization;
using System.Text;

// Writes a synthetic NDJSON bundle of N articles to stdout: see scripts/generate-content.sh, which builds and runs this.
//
// The text reads like an archive to a search engine: every word is drawn from 30,000 English words by a Zipf law (the
// rank-r word r times rarer than the commonest), so a few words are in every article, most are in few, and two
// ordinary words together match what they would in a real newsroom's archive. The same N and seed give the same bytes,
// and a chunk generated on its own (FIRST > 1) continues the whole dataset's numbering.
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
    private static readonly string[] Names =
        ["Ada Penrose", "Ben Ruiz", "Chloe Okafor", "Dmitri Vale", "Elena Marsh", "Farid Haddad", "Grace Lin", "Hugo Brandt"];

    private static readonly DateTime Epoch = new(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly ZipfWords words = ZipfWords.Load();
    private readonly FastRandom random;
    private readonly int first;
    private readonly StringBuilder text = new();

    public Generator(int seed, int first)
    {
        random = new FastRandom(first == 1 ? seed : seed + first);
        this.first = first;
    }

    public void Write(int count, TextWriter output)
    {
        for (var a = first; a < first + count; a++)
        {
            var slug = $"generated-{a:D7}";
            var published = Epoch.AddSeconds(300.0 * a);
            var title = Sentence(5, 12).TrimEnd('.');
            var standfirst = Sentence(12, 25);
            output.Write($"{{\"slug\":\"{slug}\",\"title\":\"{title}\",\"standfirst\":\"{standfirst}\",\"byline\":\"{Pick(Names)}\",");
            output.Write($"\"status\":\"published\",\"publishAt\":null,\"publishedAt\":\"{Stamp(published)}\",\"sections\":[");
            var sections = 3 + random.Next(6);
            for (var s = 1; s <= sections; s++)
            {
                var heading = s == 1 ? "null" : "\"" + Sentence(2, 5).TrimEnd('.') + "\"";
                output.Write($"{(s > 1 ? "," : "")}{{\"heading\":{heading},\"body\":\"");
                output.Write(Body());
                output.Write("\"}");
            }

            output.Write("],\"pullQuotes\":[");
            var quotes = random.Next(3);
            for (var q = 1; q <= quotes; q++)
            {
                output.Write($"{(q > 1 ? "," : "")}{{\"text\":\"{Sentence(8, 20)}\",\"attribution\":\"{Pick(Names)}\",\"section\":{1 + random.Next(sections)},\"afterParagraph\":0}}");
            }

            output.Write("]}\n");
            var comments = random.Next(21);
            for (var c = 1; c <= comments; c++)
            {
                output.Write($"{{\"comment\":{{\"article\":\"{slug}\",\"name\":\"{Pick(Names)}\",\"email\":\"reader{c}@example.org\",");
                output.Write($"\"body\":\"{Sentence(6, 30)}\",\"status\":\"approved\",\"createdAt\":\"{Stamp(published.AddSeconds(420.0 * c))}\"}}}}\n");
            }
        }
    }

    private static string Stamp(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", CultureInfo.InvariantCulture);

    private string Pick(string[] values) => values[random.Next(values.Length)];

    private string Sentence(int min, int max)
    {
        var sentence = new StringBuilder();
        AppendSentence(sentence, min + random.Next(max - min + 1));
        return sentence.ToString();
    }

    private void AppendSentence(StringBuilder into, int length)
    {
        var start = into.Length;
        for (var i = 0; i < length; i++)
        {
            if (i > 0)
            {
                into.Append(' ');
            }

            into.Append(words.Next(random));
        }

        into[start] = char.ToUpperInvariant(into[start]);
        into.Append('.');
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
            while (text.Length - start < (double)size / paragraphs)
            {
                if (text.Length > start)
                {
                    text.Append(' ');
                }

                AppendSentence(text, 6 + random.Next(14));
            }
        }

        return text;
    }
}

/// <summary>Words drawn by a Zipf law over the shipped list (commonest first), in constant time each (Vose's alias method).</summary>
internal sealed class ZipfWords
{
    private readonly string[] words;
    private readonly double[] probability;
    private readonly int[] alias;

    private ZipfWords(string[] words)
    {
        this.words = words;
        var n = words.Length;
        var weights = Enumerable.Range(1, n).Select(rank => 1.0 / rank).ToArray();
        var total = weights.Sum();
        var scaled = weights.Select(w => w * n / total).ToArray();
        probability = new double[n];
        alias = new int[n];
        var small = new Stack<int>(Enumerable.Range(0, n).Where(i => scaled[i] < 1));
        var large = new Stack<int>(Enumerable.Range(0, n).Where(i => scaled[i] >= 1));
        while (small.Count > 0 && large.Count > 0)
        {
            var less = small.Pop();
            var more = large.Pop();
            probability[less] = scaled[less];
            alias[less] = more;
            scaled[more] += scaled[less] - 1;
            (scaled[more] < 1 ? small : large).Push(more);
        }

        foreach (var rest in small.Concat(large))
        {
            probability[rest] = 1;
        }
    }

    public static ZipfWords Load()
    {
        using var stream = typeof(ZipfWords).Assembly.GetManifestResourceStream("words.txt")!;
        using var reader = new StreamReader(stream);
        return new ZipfWords(reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public string Next(FastRandom random)
    {
        var bits = random.NextUInt64();
        var column = (int)((bits & 0xFFFFFFFF) % (uint)words.Length);
        return (bits >> 40) * (1.0 / (1 << 24)) < probability[column] ? words[column] : words[alias[column]];
    }
}

/// <summary>
/// SplitMix64: a seeded System.Random runs .NET's old algorithm, and the text draws tens of millions of numbers per
/// chunk. Same seed, same numbers, on every machine.
/// </summary>
internal sealed class FastRandom(long seed)
{
    private ulong state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 1);

    public ulong NextUInt64()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>0 to <paramref name="max"/> - 1.</summary>
    public int Next(int max) => (int)(NextUInt64() % (uint)max);
}
