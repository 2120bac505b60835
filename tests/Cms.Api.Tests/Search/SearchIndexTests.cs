using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Search;

/// <summary>
/// The search index lives in its own file, written by its own thread from a log of changes (migration 0010). After
/// every kind of write, the index must hold exactly the stored text: every term at every position of every article,
/// compared with an index built afresh from the articles_search view. And search must find the new words, not the old.
/// </summary>
[Category(Engines.SqliteOnly)]
public sealed class SearchIndexTests : ApiTest
{
    private async Task<string[]> Titles(string q)
    {
        var page = await Expect(await Editor.GetAsync($"/api/v1/articles?q={Uri.EscapeDataString(q)}"), HttpStatusCode.OK);
        return page["items"]!.AsArray().Select(a => (string)a!["title"]!).ToArray();
    }

    /// <summary>Compares every (term, article, column, position) in the index with a fresh index of the stored text.</summary>
    private Task AssertIndexMatchesText(string after) => AssertIndexMatchesText(Factory.DatabasePath, after);

    internal static async Task AssertIndexMatchesText(string databasePath, string after)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            ATTACH DATABASE @Search AS search;
            INSERT INTO search.articles_fts (articles_fts, rank) VALUES ('integrity-check', 0);
            CREATE VIRTUAL TABLE temp.expected USING fts5 (title, standfirst, byline, headings, bodies, tokenize = 'unicode61 remove_diacritics 2');
            INSERT INTO temp.expected (rowid, title, standfirst, byline, headings, bodies) SELECT id, title, standfirst, byline, headings, bodies FROM articles_search;
            CREATE VIRTUAL TABLE temp.expected_terms USING fts5vocab(temp, expected, instance);
            CREATE VIRTUAL TABLE temp.indexed_terms USING fts5vocab(search, articles_fts, instance);
            """;
        command.Parameters.AddWithValue("@Search", databasePath + "-search");
        await Assert.ThatAsync(() => command.ExecuteNonQueryAsync(), Throws.Nothing, $"the search index is consistent after {after}");
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM (SELECT * FROM temp.expected_terms EXCEPT SELECT * FROM temp.indexed_terms)),
                   (SELECT COUNT(*) FROM (SELECT * FROM temp.indexed_terms EXCEPT SELECT * FROM temp.expected_terms)),
                   (SELECT COUNT(*) FROM temp.expected_terms),
                   (SELECT COUNT(*) FROM search.articles_fts_docsize) - (SELECT COUNT(*) FROM articles)
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Multiple(() =>
        {
            Assert.That(reader.GetInt64(0), Is.Zero, $"terms of the stored text missing from the index after {after}");
            Assert.That(reader.GetInt64(1), Is.Zero, $"terms in the index that the stored text does not have after {after}");
            Assert.That(reader.GetInt64(2), Is.Positive, "the comparison compares something");
            Assert.That(reader.GetInt64(3), Is.Zero, $"one entry per article after {after}");
        });
    }

    [Test]
    public async Task Section_edits_keep_the_index_in_step_with_the_text()
    {
        var article = (long)(await CreatePublishedArticle("Harbour"))["id"]!;
        var first = (long)(await CreateSection(article, new { body = "Ferries resume." }))["id"]!;
        var second = (long)(await CreateSection(article, new { heading = "Timetable", body = "Every twenty minutes." }))["id"]!;
        var third = (long)(await CreateSection(article, new { heading = "Fares", body = "Unchanged." }))["id"]!;
        await AssertIndexMatchesText("adding sections");
        Assert.That(await Titles("twenty"), Is.EqualTo(new[] { "Harbour" }));

        await Expect(await Patch(Editor, $"/api/v1/sections/{second}", """{"body":"Every fifteen minutes."}"""), HttpStatusCode.OK);
        await AssertIndexMatchesText("editing a body");
        Assert.That((await Titles("twenty"), await Titles("fifteen")), Is.EqualTo((Array.Empty<string>(), new[] { "Harbour" })));

        await Expect(await Patch(Editor, $"/api/v1/sections/{third}", """{"heading":"Prices"}"""), HttpStatusCode.OK);
        await AssertIndexMatchesText("editing a heading");
        Assert.That((await Titles("fares"), await Titles("prices")), Is.EqualTo((Array.Empty<string>(), new[] { "Harbour" })));

        await Expect(await Editor.PutAsync($"/api/v1/sections/{third}", Json(new { position = 1, heading = "Tickets", body = "Cheaper." })), HttpStatusCode.OK);
        await AssertIndexMatchesText("moving and rewriting a section");
        await Expect(await Editor.PutAsync($"/api/v1/articles/{article}/sections/order", Json(new { sectionIds = new[] { second, first, third } })), HttpStatusCode.OK);
        await AssertIndexMatchesText("reordering sections");
        Assert.That(await Titles("cheaper"), Is.EqualTo(new[] { "Harbour" }));

        await Expect(await Editor.DeleteAsync($"/api/v1/sections/{first}"), HttpStatusCode.NoContent);
        await AssertIndexMatchesText("deleting a section");
        Assert.That((await Titles("ferries"), await Titles("fifteen")), Is.EqualTo((Array.Empty<string>(), new[] { "Harbour" })));
    }

    [Test]
    public async Task Article_edits_and_deletes_keep_the_index_in_step_with_the_text()
    {
        var kept = (long)(await CreatePublishedArticle("Library reopens"))["id"]!;
        await CreateSection(kept, new { body = "New reading room." });
        var article = (long)(await CreatePublishedArticle("Storm warning"))["id"]!;
        await CreateSection(article, new { body = "Gales along the coast." });

        await Expect(await Patch(Editor, $"/api/v1/articles/{article}", """{"title":"Gale warning","standfirst":"Ferries cancelled"}"""), HttpStatusCode.OK);
        await AssertIndexMatchesText("a PATCH of the title and standfirst");
        Assert.That((await Titles("storm"), await Titles("cancelled")), Is.EqualTo((Array.Empty<string>(), new[] { "Gale warning" })));

        await Expect(await Editor.PutAsync($"/api/v1/articles/{article}", Json(new { title = "Gale warning", byline = "Ada Penrose" })), HttpStatusCode.OK);
        await AssertIndexMatchesText("a PUT of the article");
        Assert.That((await Titles("cancelled"), await Titles("penrose")), Is.EqualTo((Array.Empty<string>(), new[] { "Gale warning" })));

        await Expect(await Editor.PostAsync($"/api/v1/articles/{article}/unpublish", null), HttpStatusCode.OK);
        await AssertIndexMatchesText("unpublishing");

        await Expect(await Editor.DeleteAsync($"/api/v1/articles/{article}"), HttpStatusCode.NoContent);
        await AssertIndexMatchesText("deleting an article with its sections");
        Assert.That((await Titles("gales"), await Titles("reading")), Is.EqualTo((Array.Empty<string>(), new[] { "Library reopens" })));
    }

    [Test]
    public async Task Whole_document_writes_keep_the_index_in_step_with_the_text()
    {
        const string Url = "/api/v1/articles/by-slug/ferry";
        object Document(string title, params string[] bodies) => new
        {
            title,
            status = "published",
            sections = bodies.Select(b => new { body = b }).ToArray(),
        };

        await Expect(await Editor.PutAsync(Url, Json(Document("Ferry", "Boats every twenty minutes.", "Fares unchanged."))), HttpStatusCode.Created);
        await AssertIndexMatchesText("creating a document");
        await Expect(await Editor.PutAsync(Url, Json(Document("Ferry timetable", "Boats every fifteen minutes."))), HttpStatusCode.OK);
        await AssertIndexMatchesText("replacing a document");
        Assert.That((await Titles("twenty"), await Titles("fifteen")), Is.EqualTo((Array.Empty<string>(), new[] { "Ferry timetable" })));

        var bundle = new JsonObject
        {
            ["articles"] = new JsonArray(
                JsonNode.Parse("""{"slug":"ferry","title":"Ferry timetable","status":"published","sections":[{"body":"Boats hourly."}]}"""),
                JsonNode.Parse("""{"slug":"bridge","title":"Bridge","status":"published","sections":[{"body":"Closed for repairs."}]}""")),
        };
        await Expect(await Editor.PostAsync("/api/v1/import", Json(bundle.ToJsonString())), HttpStatusCode.OK);
        await AssertIndexMatchesText("an import that updates one article and creates another");
        Assert.That((await Titles("fifteen"), await Titles("hourly"), await Titles("repairs")),
            Is.EqualTo((Array.Empty<string>(), new[] { "Ferry timetable" }, new[] { "Bridge" })));

        // Sections moved through the API no longer follow creation order; a document write that leaves them as they
        // are (only the title changes) must index them as stored, not in the document's order.
        var bridge = (long)(await Body(await Editor.GetAsync("/api/v1/articles/bridge")))["id"]!;
        await CreateSection(bridge, new { heading = "Detour", body = "Use the ferry." });
        var sections = (await Body(await Editor.GetAsync($"/api/v1/articles/{bridge}/sections")))["items"]!.AsArray();
        await Expect(await Editor.PutAsync($"/api/v1/articles/{bridge}/sections/order",
            Json(new { sectionIds = sections.Select(s => (long)s!["id"]!).Reverse().ToArray() })), HttpStatusCode.OK);
        await Expect(await Editor.PutAsync("/api/v1/articles/by-slug/bridge", Json(new
        {
            title = "Bridge closed",
            status = "published",
            sections = new object[] { new { heading = "Detour", body = "Use the ferry." }, new { heading = (string?)null, body = "Closed for repairs." } },
        })), HttpStatusCode.OK);
        await AssertIndexMatchesText("a document write over sections that were moved");
        Assert.That(await Titles("detour"), Is.EqualTo(new[] { "Bridge closed" }));

        // A failing import rolls back the index with everything else.
        bundle["articles"]!.AsArray().Add(JsonNode.Parse("""{"slug":"broken","title":""}"""));
        bundle["articles"]![0]!["sections"]![0]!["body"] = "Boats at dawn.";
        await ExpectProblem(await Editor.PostAsync("/api/v1/import", Json(bundle.ToJsonString())), HttpStatusCode.BadRequest);
        await AssertIndexMatchesText("a rolled-back import");
        Assert.That((await Titles("dawn"), await Titles("hourly")), Is.EqualTo((Array.Empty<string>(), new[] { "Ferry timetable" })));
    }

    [Test]
    public async Task A_catch_up_asked_for_while_a_batch_is_open_is_answered_when_the_batch_closes()
    {
        // An API write's catch-up can reach the indexer after an import opened its batch (the write turn was free again),
        // with a change to apply that the batch did not see: the catch-up must wait for the batch, not nest inside it.
        var article = (long)(await CreatePublishedArticle("Harbour"))["id"]!;
        var indexer = Factory.Services.GetRequiredService<Cms.Api.Search.SearchIndexer>();
        var batch = indexer.BeginBatch();
        await batch.Opened;
        await using (var connection = new SqliteConnection($"Data Source={Factory.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE articles SET title = 'Lighthouse' WHERE id = {article}";
            await command.ExecuteNonQueryAsync();
        }

        var catchUp = indexer.CatchUpAsync();
        batch.Dispose(); // rolled back, like a failed import

        await Assert.ThatAsync(() => catchUp, Throws.Nothing);
        Assert.That((await Titles("lighthouse"), await Titles("harbour")), Is.EqualTo((new[] { "Lighthouse" }, Array.Empty<string>())));
        await AssertIndexMatchesText("a catch-up during a batch");
    }

    [Test]
    public async Task An_import_indexes_new_articles_in_batches_and_updates_in_between()
    {
        // New articles' changes are recorded 1,000 at a time and their text handed to the indexer 256 at a time
        // (Transfer/DocumentStore.cs): 2,345 make full batches and a last one at commit, with an update in between of
        // an article from before.
        await Expect(await Editor.PutAsync("/api/v1/articles/by-slug/harbour", Json(new
        {
            title = "Harbour",
            status = "published",
            sections = new[] { new { body = "Moorings full." } },
        })), HttpStatusCode.Created);
        var lines = new List<string>();
        for (var i = 1; i <= 2345; i++)
        {
            lines.Add($$"""{"slug":"batch-{{i}}","title":"Batch {{i}}","status":"published","sections":[{"body":"Word tag{{i}}."}]}""");
            if (i == 1500)
            {
                lines.Add("""{"slug":"harbour","title":"Harbour","status":"published","sections":[{"body":"Moorings free."}]}""");
            }
        }

        var content = new StringContent(string.Join('\n', lines), System.Text.Encoding.UTF8, "application/x-ndjson");
        await Expect(await Editor.PostAsync("/api/v1/import", content), HttpStatusCode.OK);
        await AssertIndexMatchesText("an import of more than one batch");
        Assert.That(
            (await Titles("tag1"), await Titles("tag1000"), await Titles("tag1001"), await Titles("tag2345"), await Titles("full"), await Titles("free")),
            Is.EqualTo((new[] { "Batch 1" }, new[] { "Batch 1000" }, new[] { "Batch 1001" }, new[] { "Batch 2345" }, Array.Empty<string>(), new[] { "Harbour" })));
    }
}
