namespace Cms.Api.Tests.Search;

/// <summary>
/// PostgreSQL's search index takes every saved document at once: nothing is left in the GIN index's pending list (fast
/// update), which every search reads through in full, so that searches stay fast while editors work.
/// </summary>
[Category(Engines.PostgresOnly)]
public sealed class PendingSearchEntriesTests : ApiTest
{
    private long Pending() => Factory.Scalar("SELECT pending_tuples FROM pgstatginindex('ix_article_search_document')");

    [Test]
    public async Task Edited_created_and_imported_documents_leave_nothing_pending_in_the_search_index()
    {
        Factory.Execute("CREATE EXTENSION IF NOT EXISTS pgstattuple");
        var id = (long)(await CreatePublishedArticle("Harbour council meets"))["id"]!;
        await CreateSection(id, new { heading = "Budget", body = "The council approved the harbour budget after a long debate." });
        await Expect(await Patch(Editor, $"/api/v1/articles/{id}", """{"standfirst":"A late-night vote on the harbour"}"""), HttpStatusCode.OK);
        Assert.That(Pending(), Is.Zero, "after an article's writes");

        var bundle = new { articles = Enumerable.Range(1, 30).Select(i => new { slug = $"imported-{i}", title = $"Imported story {i}", sections = new[] { new { body = $"Imported body {i} about the ferry timetable." } } }) };
        await Expect(await Editor.PostAsync("/api/v1/import", Json(bundle)), HttpStatusCode.OK);
        Assert.That(Pending(), Is.Zero, "after an import");

        var found = await Expect(await Editor.GetAsync("/api/v1/articles?q=ferry%20timetable&limit=50"), HttpStatusCode.OK);
        Assert.That(found["items"]!.AsArray(), Has.Count.EqualTo(30));
    }
}
