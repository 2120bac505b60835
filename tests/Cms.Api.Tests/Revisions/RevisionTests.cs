namespace Cms.Api.Tests.Revisions;

/// <summary>
/// Revisions: every path that changes an article's document records one (and nothing else does), restoring one brings
/// the document back exactly, diffs say what changed, and retention prunes.
/// </summary>
public sealed class RevisionTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:Revisions:Keep"] = "12" };

    [Test]
    public async Task Every_write_path_records_a_revision_with_who_made_it_and_nothing_else_does()
    {
        var id = (long)(await CreateArticle(new { title = "Storm", slug = "storm" }))["id"]!;
        await Patch($"/api/v1/articles/{id}", """{"title":"Storm warning"}""");
        var first = (long)(await CreateSection(id, new { heading = "Where", body = "The coast." }))["id"]!;
        var second = (long)(await CreateSection(id, new { heading = "When", body = "Tonight." }))["id"]!;
        await Patch($"/api/v1/sections/{first}", """{"body":"The whole coast."}""");
        await Expect(await Editor.PutAsync($"/api/v1/articles/{id}/sections/order", Json(new { sectionIds = new[] { second, first } })), HttpStatusCode.OK);
        await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/pull-quotes", Json(new { text = "Stay inside.", sectionId = first, afterParagraph = 1 })), HttpStatusCode.Created);
        await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/publish", null), HttpStatusCode.OK);
        await Expect(await Editor.PutAsync("/api/v1/articles/by-slug/storm", Json("""{"title":"Storm warning","sections":[{"heading":"Where","body":"Everywhere."}]}""")), HttpStatusCode.OK);
        await Expect(await Editor.PostAsync("/api/v1/import", Json("""{"articles":[{"slug":"storm","title":"Storm warning, imported","status":"published"}]}""")), HttpStatusCode.OK);

        // Not changes to the document: an identical PUT, an identical import, a comment.
        await Expect(await Editor.PostAsync("/api/v1/import", Json("""{"articles":[{"slug":"storm","title":"Storm warning, imported","status":"published"}]}""")), HttpStatusCode.OK);
        await Expect(await Public.PostAsync($"/api/v1/articles/{id}/comments", Json(new { name = "Ada", email = "ada@example.com", body = "Thanks." })), HttpStatusCode.Created);

        var page = await Expect(await Editor.GetAsync($"/api/v1/articles/{id}/revisions?limit=100"), HttpStatusCode.OK);
        var items = page["items"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(r => (long)r!["number"]!), Is.EqualTo(new long[] { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }), "newest first, one per change");
            Assert.That(items.Select(r => (string?)r!["keyName"]).Distinct(), Is.EqualTo(new[] { "admin (configuration)" }));
            Assert.That((string?)items[0]!["title"], Is.EqualTo("Storm warning, imported"));
            Assert.That((string?)items[2]!["status"], Is.EqualTo("published"));
            Assert.That(page.ToJsonString(), Does.Not.Contain("ada@example.com"));
        });
    }

    [Test]
    public async Task Restoring_brings_back_fields_sections_and_pull_quotes_exactly_as_a_new_version()
    {
        var id = (long)(await CreateArticle(new { title = "Original", standfirst = "As first written." }))["id"]!;
        var section = (long)(await CreateSection(id, new { heading = "One", body = "First paragraph.\n\nSecond paragraph." }))["id"]!;
        await CreateSection(id, new { heading = "Two", body = "More." });
        await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/pull-quotes", Json(new { text = "Quoted.", attribution = "A source", sectionId = section, afterParagraph = 1 })), HttpStatusCode.Created);
        var kept = await Expect(await Editor.GetAsync($"/api/v1/articles/{id}/revisions/4"), HttpStatusCode.OK);

        await Patch($"/api/v1/articles/{id}", """{"title":"Rewritten","standfirst":null}""");
        await Expect(await Editor.DeleteAsync($"/api/v1/sections/{section}"), HttpStatusCode.NoContent);
        var read = await Editor.GetAsync($"/api/v1/articles/{id}");
        var article = await Expect(read, HttpStatusCode.OK);

        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/articles/{id}/revisions/4/restore");
        stale.Headers.TryAddWithoutValidation("If-Match", "\"stale\"");
        await ExpectProblem(await Editor.SendAsync(stale), HttpStatusCode.PreconditionFailed);

        var restore = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/articles/{id}/revisions/4/restore");
        restore.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.Tag);
        var restored = await Expect(await Editor.SendAsync(restore), HttpStatusCode.OK);
        var latest = await Expect(await Editor.GetAsync($"/api/v1/articles/{id}/revisions/7"), HttpStatusCode.OK);
        var page = await Expect(await Editor.GetAsync($"/api/v1/articles/{id}?include=sections,pullQuotes"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(latest["document"]!.ToJsonString(), Is.EqualTo(kept["document"]!.ToJsonString()), "the document, byte for byte");
            Assert.That((string?)restored["title"], Is.EqualTo("Original"));
            Assert.That((long)restored["version"]!, Is.GreaterThan((long)article["version"]!));
            Assert.That(page["sections"]!.AsArray().Select(s => (string?)s!["body"]), Is.EqualTo(new[] { "First paragraph.\n\nSecond paragraph.", "More." }));
            Assert.That((string?)page["pullQuotes"]![0]!["text"], Is.EqualTo("Quoted."));
            Assert.That((long)page["pullQuotes"]![0]!["sectionId"]!, Is.EqualTo((long)page["sections"]![0]!["id"]!));
        });
    }

    [Test]
    public async Task A_diff_names_the_changed_fields_and_parts_with_a_line_diff()
    {
        var id = (long)(await CreateArticle(new { title = "Before" }))["id"]!;
        var section = (long)(await CreateSection(id, new { heading = "Kept", body = "Line one.\nLine two.\nLine three." }))["id"]!;
        await Patch($"/api/v1/articles/{id}", """{"title":"After"}""");
        await Patch($"/api/v1/sections/{section}", """{"body":"Line one.\nLine 2.\nLine three."}""");
        await CreateSection(id, new { body = "Added." });

        var diff = await Expect(await Editor.GetAsync($"/api/v1/articles/{id}/revisions/5/diff?against=2"), HttpStatusCode.OK);
        var lines = diff["sections"]![0]!["lines"]!.AsArray().Select(l => $"{l!["op"]}{l["text"]}");

        Assert.Multiple(() =>
        {
            Assert.That((long)diff["from"]!, Is.EqualTo(2));
            Assert.That(diff["fields"]!.ToJsonString(), Is.EqualTo("""[{"field":"title","before":"Before","after":"After"}]"""));
            Assert.That((string?)diff["sections"]![0]!["change"], Is.EqualTo("changed"));
            Assert.That(lines, Is.EqualTo(new[] { " Line one.", "-Line two.", "+Line 2.", " Line three." }));
            Assert.That((string?)diff["sections"]![1]!["change"], Is.EqualTo("added"));
            Assert.That(diff["pullQuotes"]!.AsArray(), Is.Empty);
        });
        await ExpectProblem(await Editor.GetAsync($"/api/v1/articles/{id}/revisions/5/diff?against=9"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Only_the_latest_revisions_are_kept()
    {
        var id = (long)(await CreateArticle(new { title = "Edit 0" }))["id"]!;
        for (var i = 1; i <= 14; i++)
        {
            await Patch($"/api/v1/articles/{id}", $$"""{"title":"Edit {{i}}"}""");
        }

        var page = await Expect(await Editor.GetAsync($"/api/v1/articles/{id}/revisions?limit=5"), HttpStatusCode.OK);
        var next = await Expect(await Editor.GetAsync($"/api/v1/articles/{id}/revisions?limit=100&cursor={Uri.EscapeDataString((string)page["nextCursor"]!)}"), HttpStatusCode.OK);
        Assert.That(page["items"]!.AsArray().Concat(next["items"]!.AsArray()).Select(r => (long)r!["number"]!), Is.EqualTo(Enumerable.Range(4, 12).Reverse().Select(n => (long)n)));
        await ExpectProblem(await Editor.GetAsync($"/api/v1/articles/{id}/revisions/3"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_deleted_article_is_restored_from_its_revisions_until_they_are_pruned()
    {
        var id = (long)(await CreatePublishedArticle("Deleted by mistake"))["id"]!;
        await CreateSection(id, new { heading = "Still here", body = "Yes." });
        await Expect(await Editor.DeleteAsync($"/api/v1/articles/{id}"), HttpStatusCode.NoContent);

        var listed = await Expect(await Editor.GetAsync($"/api/v1/articles/{id}/revisions"), HttpStatusCode.OK);
        Assert.That((string?)listed["items"]![0]!["deletedAt"], Is.EqualTo("2026-11-25T09:00:00.000Z"));
        var response = await Editor.PostAsync($"/api/v1/articles/{id}/revisions/2/restore", null);
        var restored = await Expect(response, HttpStatusCode.Created);
        var newId = (long)restored["id"]!;
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/articles/{newId}"));
        var page = await Expect(await Public.GetAsync($"/api/v1/articles/{newId}?include=sections"), HttpStatusCode.OK);
        Assert.That((string?)page["sections"]![0]!["heading"], Is.EqualTo("Still here"));
        var history = await Expect(await Editor.GetAsync($"/api/v1/articles/{newId}/revisions"), HttpStatusCode.OK);
        Assert.That(history["items"]!.AsArray().Select(r => (long)r!["number"]!), Is.EqualTo(new long[] { 3, 2, 1 }), "its history came along");
        Assert.That(history["items"]!.AsArray().Select(r => r!["deletedAt"]), Is.All.Null);

        // Deleted again, its revisions go once they are older than Cms:Revisions:KeepDeletedDays (30).
        await Expect(await Editor.DeleteAsync($"/api/v1/articles/{newId}"), HttpStatusCode.NoContent);
        Factory.Clock.Advance(TimeSpan.FromDays(31));
        for (var tries = 0; (await Editor.GetAsync($"/api/v1/articles/{newId}/revisions")).StatusCode != HttpStatusCode.NotFound; tries++)
        {
            Assert.That(tries, Is.LessThan(500), "pruned in the background");
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task Revisions_are_for_keys_only()
    {
        var id = (long)(await CreatePublishedArticle())["id"]!;
        await ExpectProblem(await Public.GetAsync($"/api/v1/articles/{id}/revisions"), HttpStatusCode.Unauthorized);
        await ExpectProblem(await Public.PostAsync($"/api/v1/articles/{id}/revisions/1/restore", null), HttpStatusCode.Unauthorized);
        await ExpectProblem(await Editor.GetAsync("/api/v1/articles/999/revisions"), HttpStatusCode.NotFound);
    }

    private async Task Patch(string url, string json) =>
        await Expect(await Editor.PatchAsync(url, Json(json, "application/merge-patch+json")), HttpStatusCode.OK);
}
