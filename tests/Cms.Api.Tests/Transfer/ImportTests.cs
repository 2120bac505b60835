using System.Net.Http.Headers;
using System.Text;

namespace Cms.Api.Tests.Transfer;

public sealed class ImportTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:Database:WalLimitMegabytes"] = "1" };

    private static StringContent Ndjson(string lines) => new(lines, Encoding.UTF8, "application/x-ndjson");

    private async Task<int> ArticleCount() =>
        (int)(await Body(await Editor.GetAsync("/api/v1/articles?count=true&limit=1")))["totalCount"]!;

    internal static object Article(int i, string? title = null) => new
    {
        slug = $"story-{i}",
        title = title ?? $"Story {i}",
        status = "published",
        sections = new[] { new { heading = (string?)null, body = $"Body {i}." } },
    };

    [Test]
    public async Task One_bad_article_among_100_leaves_the_database_untouched_and_every_problem_is_reported()
    {
        var articles = Enumerable.Range(0, 100).Select(i => i == 57 ? Article(i, title: "") : Article(i)).ToList<object>();
        articles[80] = new { slug = "story-80", title = "ok", sections = new object[] { new { body = "x" }, new { heading = new string('h', 201), body = "" } } };

        var problem = await ExpectProblem(await Editor.PostAsync("/api/v1/import", Json(new { articles })), HttpStatusCode.BadRequest);

        Assert.Multiple(async () =>
        {
            Assert.That(problem["errors"]!.AsObject().Select(e => e.Key),
                Is.EquivalentTo(new[] { "articles[57].title", "articles[80].sections[1].heading", "articles[80].sections[1].body" }));
            Assert.That((string?)problem["detail"], Does.Contain("Nothing was imported"));
            Assert.That(await ArticleCount(), Is.Zero);
        });
    }

    [Test]
    public async Task A_comment_listed_twice_in_one_bundle_is_added_once_wherever_the_second_copy_is()
    {
        static string Comment(string article, string name, string createdAt) =>
            $$$"""{"comment":{"article":"{{{article}}}","name":"{{{name}}}","body":"Same words.","status":"approved","createdAt":"{{{createdAt}}}"}}""";
        var lines = new[]
        {
            """{"slug":"first","title":"First"}""",
            Comment("first", "Ann", "2026-11-20T10:00:00Z"),
            Comment("first", "Ann", "2026-11-20T10:00:00Z"), // right after its article
            Comment("first", "Bob", "2026-11-20T10:00:00Z"), // same words, another reader: a comment of its own
            """{"slug":"second","title":"Second"}""",
            Comment("first", "Ann", "2026-11-20T10:00:00Z"), // after another article
            Comment("second", "Cy", "2026-11-20T10:00:00.0001Z"),
            Comment("second", "Cy", "2026-11-20T10:00:00.0004Z"), // stored to the millisecond: the same
        };

        var result = await Expect(await Editor.PostAsync("/api/v1/import", Ndjson(string.Join('\n', lines))), HttpStatusCode.OK);

        var first = await Body(await Editor.GetAsync("/api/v1/articles/first/comments"));
        var second = await Body(await Editor.GetAsync("/api/v1/articles/second/comments"));
        Assert.Multiple(() =>
        {
            Assert.That(result["comments"]!.ToJsonString(), Is.EqualTo("""{"created":3,"updated":0,"unchanged":3}"""));
            Assert.That(first["items"]!.AsArray().Select(c => (string?)c!["name"]), Is.EqualTo(new[] { "Ann", "Bob" }));
            Assert.That(second["items"]!.AsArray(), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Import_counts_created_updated_and_unchanged_and_a_second_run_changes_nothing()
    {
        var bundle = new
        {
            articles = new[] { Article(1), Article(2) },
            comments = new object[]
            {
                new { article = "story-1", name = "Ann", body = "First!", status = "approved", createdAt = "2026-11-20T10:00:00Z" },
                new { article = "story-1", parent = 0, name = "Bob", body = "Reply", createdAt = "2026-11-20T11:00:00Z" },
            },
        };

        var first = await Expect(await Editor.PostAsync("/api/v1/import", Json(bundle)), HttpStatusCode.OK);
        var second = await Expect(await Editor.PostAsync("/api/v1/import", Json(bundle)), HttpStatusCode.OK);
        var changed = await Expect(await Editor.PostAsync("/api/v1/import", Json(new { articles = new[] { Article(1, "Story one, revised"), Article(3) } })), HttpStatusCode.OK);

        var comments = await Body(await Editor.GetAsync("/api/v1/articles/story-1/comments"));
        Assert.Multiple(() =>
        {
            Assert.That(first["articles"]!.ToJsonString(), Is.EqualTo("""{"created":2,"updated":0,"unchanged":0}"""));
            Assert.That(first["comments"]!.ToJsonString(), Is.EqualTo("""{"created":2,"updated":0,"unchanged":0}"""));
            Assert.That(second["articles"]!.ToJsonString(), Is.EqualTo("""{"created":0,"updated":0,"unchanged":2}"""));
            Assert.That(second["comments"]!.ToJsonString(), Is.EqualTo("""{"created":0,"updated":0,"unchanged":2}"""));
            Assert.That(changed["articles"]!.ToJsonString(), Is.EqualTo("""{"created":1,"updated":1,"unchanged":0}"""));
            var items = comments["items"]!.AsArray();
            Assert.That(items.Select(c => (string?)c!["status"]), Is.EqualTo(new[] { "approved", "pending" }), "statuses kept");
            Assert.That((string?)items[0]!["createdAt"], Is.EqualTo("2026-11-20T10:00:00.000Z"), "timestamps kept");
            Assert.That((long?)items[1]!["parentId"], Is.EqualTo((long?)items[0]!["id"]));
        });
    }

    [Test]
    [Category(Engines.SqliteOnly)]
    public async Task Each_import_checkpoints_and_empties_its_WAL()
    {
        // An import turns SQLite's automatic checkpoint off for its commit and checkpoints itself after it (beside the
        // search commit), emptying the log: without that, these imports' log would keep what they wrote. Drafts: a published
        // article's page is rendered after the import, in writes of its own.
        // The checkpoint does not wait for readers, and the service's background work reads as it starts: the first
        // import, not measured, lets that pass, so that what is measured is the imports' own checkpoints.
        long WalSize() => new FileInfo(Factory.DatabasePath + "-wal").Length;
        var sizes = new List<long>();
        for (var first = 0; first < 1200; first += 300)
        {
            var lines = Enumerable.Range(first, 300).Select(i => JsonSerializer.Serialize(new
            {
                slug = $"bulk-{i}",
                title = $"Bulk {i}",
                status = "draft",
                sections = new[] { new { body = $"{i} " + new string('x', 1000) } },
            }));
            await Expect(await Editor.PostAsync("/api/v1/import", Ndjson(string.Join('\n', lines))), HttpStatusCode.OK);
            if (first > 0)
            {
                sizes.Add(WalSize());
            }
        }

        Assert.That(sizes, Is.All.Zero);
    }

    [Test]
    [Category(Engines.SqliteOnly)]
    public async Task An_import_leaves_no_log_of_its_size_behind()
    {
        // A bulk write's log is cut back after it: on disk, and for a start after a crash to read back. (The limit
        // applies when a checkpointed log starts over; the import's own checkpoint empties it when no reader holds it.)
        var lines = Enumerable.Range(0, 1500).Select(i => JsonSerializer.Serialize(new
        {
            slug = $"bulk-{i}",
            title = $"Bulk {i}",
            sections = new[] { new { body = $"{i} " + new string('x', 2000) } },
        }));
        await Expect(await Editor.PostAsync("/api/v1/import", Ndjson(string.Join('\n', lines))), HttpStatusCode.OK);
        await Expect(await Editor.PostAsync("/api/v1/articles", Json(new { title = "A write after it" })), HttpStatusCode.Created);

        Assert.That(new FileInfo(Factory.DatabasePath + "-wal").Length, Is.LessThan(1024 * 1024), "the import wrote over 3 MB through it");
    }

    [Test]
    public async Task A_dry_run_reports_what_would_happen_and_writes_nothing()
    {
        var result = await Expect(await Editor.PostAsync("/api/v1/import?dryRun=true", Json(new { articles = new[] { Article(1), Article(2) } })), HttpStatusCode.OK);

        Assert.That((bool?)result["dryRun"], Is.True);
        Assert.That((int?)result["articles"]!["created"], Is.EqualTo(2));
        Assert.That(await ArticleCount(), Is.Zero);
    }

    [Test]
    public async Task Bundle_level_mistakes_are_reported_with_their_paths()
    {
        var problem = await ExpectProblem(await Editor.PostAsync("/api/v1/import", Json(new
        {
            articles = new object[] { Article(1), Article(1), new { title = "no slug" } },
            comments = new object[]
            {
                new { article = "missing", name = "A", body = "B" },
                new { article = "story-1", parent = 5, name = "A", body = "B" },
                new { article = "story-1", parent = -1, name = "A", body = "B" },
            },
        })), HttpStatusCode.BadRequest);
        var malformed = await ExpectProblem(await Editor.PostAsync("/api/v1/import", Json("""{"articles":[{"slug":"a","title":5}]}""")), HttpStatusCode.BadRequest);
        var ndjson = await ExpectProblem(await Editor.PostAsync("/api/v1/import", Ndjson("{\"slug\":\"a\",\"title\":\"A\"}\n{not json\n{\"slug\":\"b\",\"title\":\"B\",\"tittle\":1}\n")), HttpStatusCode.BadRequest);

        Assert.Multiple(async () =>
        {
            Assert.That(problem["errors"]!.AsObject().Select(e => e.Key),
                Is.EquivalentTo(new[] { "articles[1].slug", "articles[2].slug", "comments[0].article", "comments[1].parent", "comments[2].parent" }));
            Assert.That(malformed["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "articles[0].title" }));
            Assert.That(ndjson["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "line 2", "line 3, tittle" }));
            Assert.That(await ArticleCount(), Is.Zero);
            await ExpectProblem(await Editor.PostAsync("/api/v1/import", Json("x", "text/csv")), HttpStatusCode.UnsupportedMediaType);
            await ExpectProblem(await Public.PostAsync("/api/v1/import", Json(new { articles = Array.Empty<object>() })), HttpStatusCode.Unauthorized);
        });
    }

    [Test]
    public async Task Ndjson_lines_are_read_whatever_their_endings_and_however_the_body_arrives()
    {
        // A BOM, CRLF endings, blank lines, a last line with no line break, multi-byte characters, and a 200 KB line,
        // all sent a few bytes at a time so that lines and characters straddle the reads.
        var longBody = string.Concat(Enumerable.Repeat("Ünïcödé paragraph — ", 9_000));
        var text = "\uFEFF{\"slug\":\"crlf\",\"title\":\"Café ☕\",\"status\":\"published\"}\r\n"
            + "\r\n   \n"
            + "{\"comment\":{\"article\":\"crlf\",\"name\":\"Zoë\",\"body\":\"Très bien\",\"status\":\"approved\"}}\r\n"
            + $"{{\"title\":\"Long\",\"slug\":\"long\",\"sections\":[{{\"body\":\"{longBody}\"}}]}}";
        var content = new StreamContent(new TrickleStream(Encoding.UTF8.GetBytes(text), chunk: 7));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");

        var result = await Expect(await Editor.PostAsync("/api/v1/import", content), HttpStatusCode.OK);
        var cafe = await Body(await Editor.GetAsync("/api/v1/articles/crlf"));
        var comments = await Body(await Public.GetAsync("/api/v1/articles/crlf/comments"));
        var longArticle = await Body(await Editor.GetAsync("/api/v1/articles/long?include=sections"));
        var misplacedBom = await ExpectProblem(await Editor.PostAsync("/api/v1/import", Ndjson("{\"slug\":\"a\",\"title\":\"A\"}\n\uFEFF{\"slug\":\"b\",\"title\":\"B\"}\n[1]")), HttpStatusCode.BadRequest);

        Assert.Multiple(() =>
        {
            Assert.That((int?)result["articles"]!["created"], Is.EqualTo(2));
            Assert.That((int?)result["comments"]!["created"], Is.EqualTo(1));
            Assert.That((string?)cafe["title"], Is.EqualTo("Café ☕"));
            Assert.That((string?)comments["items"]![0]!["body"], Is.EqualTo("Très bien"));
            Assert.That((string?)longArticle["sections"]![0]!["body"], Is.EqualTo(longBody));
            Assert.That(misplacedBom["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "line 2", "line 3" }));
        });
    }

    [Test]
    public async Task A_large_ndjson_import_streams_with_flat_memory()
    {
        const int articles = 20_000;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var content = new StreamContent(new GeneratedNdjson(articles));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");

        var result = await Expect(await Editor.PostAsync("/api/v1/import", content), HttpStatusCode.OK);
        var growth = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.That((int?)result["articles"]!["created"], Is.EqualTo(articles));
        Assert.That(growth, Is.LessThan(64L * 1024 * 1024), "memory after a 20,000-article import stays far below what buffering it would take");
        Assert.That(await ArticleCount(), Is.EqualTo(articles));
    }

    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    /// <summary>A stream of generated NDJSON articles, produced on demand so the test itself never holds the body.</summary>
    private sealed class GeneratedNdjson(int count) : Stream
    {
        private int next;
        private byte[] pending = [];
        private int offset;

        public override int Read(byte[] buffer, int start, int length)
        {
            if (offset == pending.Length)
            {
                if (next == count)
                {
                    return 0;
                }

                next++;
                pending = Encoding.UTF8.GetBytes($"{{\"slug\":\"bulk-{next}\",\"title\":\"Bulk {next}\",\"status\":\"published\",\"sections\":[{{\"heading\":null,\"body\":\"Paragraph one of {next}.\\n\\nParagraph two.\"}}]}}\n");
                offset = 0;
            }

            var n = Math.Min(length, pending.Length - offset);
            Array.Copy(pending, offset, buffer, start, n);
            offset += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
