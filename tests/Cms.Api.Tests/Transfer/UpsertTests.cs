namespace Cms.Api.Tests.Transfer;

public sealed class UpsertTests : ApiTest
{
    private const string Url = "/api/v1/articles/by-slug/ferry-timetable";

    private static object Document(string title = "Ferry timetable", string secondBody = "Every 20 minutes.") => new
    {
        title,
        status = "published",
        sections = new object[] { new { heading = (string?)null, body = "From Monday.\n\nAll day." }, new { heading = "Times", body = secondBody } },
        pullQuotes = new[] { new { text = "At last.", section = 1, afterParagraph = 1 } },
    };

    [Test]
    public async Task Upsert_creates_then_changes_then_leaves_an_identical_document_alone()
    {
        var created = await Editor.PutAsync(Url, Json(Document()));
        var createdBody = await Expect(created, HttpStatusCode.Created);
        Factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var changed = await Expect(await Editor.PutAsync(Url, Json(Document(secondBody: "Every 15 minutes."))), HttpStatusCode.OK);
        Factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var same = await Expect(await Editor.PutAsync(Url, Json(Document(secondBody: "Every 15 minutes."))), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/articles/{createdBody["article"]!["id"]}"));
            Assert.That((bool?)createdBody["unchanged"], Is.False);
            Assert.That(createdBody["article"]!["sections"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That((long?)createdBody["article"]!["pullQuotes"]![0]!["sectionId"], Is.EqualTo((long?)createdBody["article"]!["sections"]![0]!["id"]));
            Assert.That((bool?)changed["unchanged"], Is.False);
            Assert.That((int?)changed["article"]!["version"], Is.EqualTo(2));
            Assert.That((string?)changed["article"]!["sections"]![1]!["body"], Is.EqualTo("Every 15 minutes."));
            Assert.That((bool?)same["unchanged"], Is.True);
            Assert.That((int?)same["article"]!["version"], Is.EqualTo(2));
            Assert.That((string?)same["article"]!["updatedAt"], Is.EqualTo((string?)changed["article"]!["updatedAt"]));
        });
    }

    [Test]
    public async Task Search_finds_the_sections_a_whole_document_write_put_in_and_not_the_ones_it_replaced()
    {
        async Task<string[]> Found(string q) =>
            (await Body(await Public.GetAsync($"/api/v1/articles?q={q}")))["items"]!.AsArray().Select(a => (string)a!["slug"]!).ToArray();

        await Expect(await Editor.PutAsync(Url, Json(Document(secondBody: "Boats every twenty minutes."))), HttpStatusCode.Created);
        var afterCreate = (await Found("twenty"), await Found("monday"));
        await Expect(await Editor.PutAsync(Url, Json(Document(secondBody: "Boats every fifteen minutes."))), HttpStatusCode.OK);
        var afterReplace = (await Found("twenty"), await Found("fifteen"), await Found("monday"));

        // Editing one section through its own endpoint afterwards still re-indexes (the triggers are back on).
        var article = await Body(await Editor.GetAsync("/api/v1/articles/ferry-timetable?include=sections"));
        var first = (long)article["sections"]![0]!["id"]!;
        await Expect(await Editor.PatchAsync($"/api/v1/sections/{first}", Json("""{"body":"From Tuesday."}""")), HttpStatusCode.OK);

        Assert.Multiple(async () =>
        {
            Assert.That(afterCreate, Is.EqualTo((new[] { "ferry-timetable" }, new[] { "ferry-timetable" })));
            Assert.That(afterReplace, Is.EqualTo((Array.Empty<string>(), new[] { "ferry-timetable" }, new[] { "ferry-timetable" })));
            Assert.That(await Found("monday"), Is.Empty);
            Assert.That(await Found("tuesday"), Is.EqualTo(new[] { "ferry-timetable" }));
        });
    }

    [Test]
    public async Task Upsert_refuses_invalid_documents_with_paths_and_writes_nothing()
    {
        var bad = new
        {
            title = "",
            sections = new[] { new { body = "" } },
            pullQuotes = new[] { new { text = "Q", section = 3 } },
        };

        var problem = await ExpectProblem(await Editor.PutAsync(Url, Json(bad)), HttpStatusCode.BadRequest);
        await ExpectFieldError(await Editor.PutAsync(Url, Json(new { slug = "other", title = "x" })), "slug");
        await ExpectFieldError(await Editor.PutAsync("/api/v1/articles/by-slug/Not%20A%20Slug", Json(new { title = "x" })), "slug");
        await ExpectProblem(await Public.PutAsync(Url, Json(Document())), HttpStatusCode.Unauthorized);

        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "title", "sections[0].body", "pullQuotes[0].section" }));
        await ExpectProblem(await Editor.GetAsync("/api/v1/articles/ferry-timetable"), HttpStatusCode.NotFound);
    }
}
