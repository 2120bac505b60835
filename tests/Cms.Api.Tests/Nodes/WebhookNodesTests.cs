using Cms.Api.Tests.Webhooks;

namespace Cms.Api.Tests.Nodes;

/// <summary>Two nodes, two dispatchers, one outbox: each event is sent once, by one of them.</summary>
[Category(Engines.PostgresOnly)]
public sealed class WebhookNodesTests : ApiTest
{
    private static readonly Dictionary<string, string?> AllowReceiver = new() { ["Cms:Webhooks:AllowPrivateNetworks"] = "true" };

    protected override IDictionary<string, string?> Settings => AllowReceiver;

    [Test]
    public async Task Each_event_is_sent_once_whichever_node_wrote_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var nodeB = Factory.OnSameDatabase(AllowReceiver);
        using var editorB = nodeB.Editor();
        await Expect(await Editor.PostAsync("/api/v1/webhooks", Json(new { url = receiver.Url, events = new[] { "article.created" } })), HttpStatusCode.Created);

        for (var i = 0; i < 10; i++)
        {
            var client = i % 2 == 0 ? Editor : editorB;
            await Expect(await client.PostAsync("/api/v1/articles", Json(new { title = $"Article {i}" })), HttpStatusCode.Created);
        }

        for (var tries = 0; Factory.Scalar("SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'") < 10; tries++)
        {
            Assert.That(tries, Is.LessThan(500), "all ten delivered");
            await Task.Delay(20);
        }

        var received = receiver.Drain();
        Assert.Multiple(() =>
        {
            Assert.That(Factory.Scalar("SELECT count(*) FROM webhook_attempts"), Is.EqualTo(10), "one attempt per delivery");
            Assert.That(received.Select(r => r.Headers["webhook-id"]).Distinct().Count(), Is.EqualTo(received.Count));
            Assert.That(received, Has.Count.EqualTo(10));
        });
    }
}
