using Cms.Api.Articles;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Articles;

public sealed class PublishingTests : ApiTest
{
    private ScheduledPublisher Publisher => Factory.Services.GetRequiredService<ScheduledPublisher>();

    private async Task<bool> IsPublic(long id) => (await Public.GetAsync($"/api/v1/articles/{id}")).StatusCode == HttpStatusCode.OK;

    /// <summary>Waits for the publisher's passes (driven by the fake clock) until the article is public; never sleeps.</summary>
    private async Task WaitUntilPublic(long id)
    {
        for (var pass = 0; pass < 5; pass++)
        {
            var next = Publisher.NextRunAsync();
            if (await IsPublic(id))
            {
                return;
            }

            await next.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Fail($"article {id} was not published after 5 passes of the publisher");
    }

    [Test]
    public async Task A_scheduled_article_goes_live_at_publishAt_without_any_request()
    {
        await Publisher.FirstRun;
        var article = await CreateArticle(new { title = "Embargoed", status = "scheduled", publishAt = "2026-11-25T10:00:00Z" });
        var id = (long)article["id"]!;
        var emptyList = await Body(await Public.GetAsync("/api/v1/articles")); // cached publicly before it goes live

        Assert.That((string?)article["status"], Is.EqualTo("scheduled"));
        Assert.That((string?)article["publishAt"], Is.EqualTo("2026-11-25T10:00:00.000Z"));
        Assert.That(await IsPublic(id), Is.False);

        Factory.Clock.Advance(TimeSpan.FromMinutes(59));
        Factory.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.That(await IsPublic(id), Is.False, "not a second early");

        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilPublic(id);

        var live = await Body(await Public.GetAsync($"/api/v1/articles/{id}"));
        var list = await Body(await Public.GetAsync("/api/v1/articles"));
        Assert.Multiple(() =>
        {
            Assert.That(emptyList["items"]!.AsArray(), Is.Empty);
            Assert.That(list["items"]!.AsArray(), Has.Count.EqualTo(1), "publishing empties the public cache");
            Assert.That((string?)live["status"], Is.EqualTo("published"));
            Assert.That((string?)live["publishedAt"], Is.EqualTo("2026-11-25T10:00:00.000Z"));
            Assert.That(live["publishAt"], Is.Null);
            Assert.That((int?)live["version"], Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_restart_after_publishAt_publishes_at_once()
    {
        var article = await CreateArticle(new { title = "Overnight", status = "scheduled", publishAt = "2026-11-25T11:00:00Z" });
        Factory.Dispose();

        using var restarted = Factory.OnSameDatabase();
        restarted.Clock.Advance(TimeSpan.FromHours(5));
        await restarted.Services.GetRequiredService<ScheduledPublisher>().FirstRun;

        var live = await Body(await restarted.Anonymous().GetAsync($"/api/v1/articles/{article["id"]}"));
        Assert.That((string?)live["status"], Is.EqualTo("published"));
        Assert.That((string?)live["publishedAt"], Is.EqualTo("2026-11-25T11:00:00.000Z"), "publishedAt is the scheduled moment");
    }

    [Test]
    public async Task Scheduling_needs_a_future_publishAt()
    {
        var missing = await ExpectFieldError(await Editor.PostAsync("/api/v1/articles", Json(new { title = "x", status = "scheduled" })), "publishAt");
        var past = await ExpectFieldError(await Editor.PostAsync("/api/v1/articles", Json(new { title = "x", status = "scheduled", publishAt = "2026-11-25T08:59:59Z" })), "publishAt");
        await ExpectFieldError(await Editor.PostAsync("/api/v1/articles", Json(new { title = "x", status = "scheduled", publishAt = "tomorrow" })), "publishAt");

        Assert.That(missing, Has.Some.Contains("needs 'publishAt'"));
        Assert.That(past, Has.Some.Contains("future"));
    }

    [Test]
    public async Task Rescheduling_and_unscheduling_with_patch()
    {
        var article = await CreateArticle(new { title = "Moving target", status = "scheduled", publishAt = "2026-11-25T10:00:00Z" });
        var url = $"/api/v1/articles/{article["id"]}";

        var later = await Expect(await Patch(Editor, url, """{"publishAt":"2026-11-26T10:00:00Z"}"""), HttpStatusCode.OK);
        var draft = await Expect(await Patch(Editor, url, """{"status":"draft"}"""), HttpStatusCode.OK);

        Assert.That((string?)later["publishAt"], Is.EqualTo("2026-11-26T10:00:00.000Z"));
        Assert.That(draft["publishAt"], Is.Null, "publishAt is cleared when the article is no longer scheduled");
        Factory.Clock.Advance(TimeSpan.FromDays(2));
        // Two passes, each set off by moving the clock a minute: a pass under way during the move may predate it, so the
        // second, which starts after the first ends, is one that saw the old publishAt long past.
        for (var pass = 0; pass < 2; pass++)
        {
            var next = Publisher.NextRunAsync();
            Factory.Clock.Advance(TimeSpan.FromMinutes(1));
            await next.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.That(await IsPublic((long)article["id"]!), Is.False);
    }

    [Test]
    public async Task Publish_and_unpublish_actions()
    {
        var article = await CreateArticle(new { title = "Breaking" });
        var id = (long)article["id"]!;

        var published = await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/publish", null), HttpStatusCode.OK);
        Assert.That(await IsPublic(id), Is.True);
        var unpublished = await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/unpublish", null), HttpStatusCode.OK);

        Assert.Multiple(async () =>
        {
            Assert.That((string?)published["status"], Is.EqualTo("published"));
            Assert.That((string?)published["publishedAt"], Is.EqualTo("2026-11-25T09:00:00.000Z"));
            Assert.That((string?)unpublished["status"], Is.EqualTo("draft"));
            Assert.That((string?)unpublished["publishedAt"], Is.EqualTo("2026-11-25T09:00:00.000Z"));
            Assert.That(await IsPublic(id), Is.False);
            await ExpectProblem(await Public.PostAsync($"/api/v1/articles/{id}/publish", null), HttpStatusCode.Unauthorized);
            await ExpectProblem(await Editor.PostAsync("/api/v1/articles/999/publish", null), HttpStatusCode.NotFound);
        });
    }

    [Test]
    public async Task Archived_articles_leave_public_lists_and_routes()
    {
        var article = await CreatePublishedArticle("Old news");
        await Expect(await Patch(Editor, $"/api/v1/articles/{article["id"]}", """{"status":"archived"}"""), HttpStatusCode.OK);

        var list = await Body(await Public.GetAsync("/api/v1/articles"));

        Assert.That(list["items"]!.AsArray(), Is.Empty);
        await ExpectProblem(await Public.GetAsync("/api/v1/articles/old-news"), HttpStatusCode.NotFound);
        await ExpectProblem(await Public.GetAsync("/api/v1/articles/old-news/sections"), HttpStatusCode.NotFound);
    }
}
