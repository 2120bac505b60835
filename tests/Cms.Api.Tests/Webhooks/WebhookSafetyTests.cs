namespace Cms.Api.Tests.Webhooks;

/// <summary>
/// A hook's URL cannot reach into the network the service runs in: refused when saved, and again when called (a hook
/// saved while private networks were allowed is refused once they are not).
/// </summary>
public sealed class WebhookSafetyTests : ApiTest
{
    [TestCase("http://127.0.0.1:8080/hook")]
    [TestCase("http://localhost/hook")]
    [TestCase("http://api.localhost/hook")]
    [TestCase("http://10.1.2.3/hook")]
    [TestCase("http://172.20.0.1/hook")]
    [TestCase("http://192.168.1.10/hook")]
    [TestCase("http://169.254.169.254/latest/meta-data")]
    [TestCase("http://[::1]/hook")]
    [TestCase("http://[fd00::1]/hook")]
    [TestCase("http://[::ffff:127.0.0.1]/hook")]
    [TestCase("http://0.0.0.0/hook")]
    public async Task Loopback_link_local_and_private_addresses_are_refused(string url)
    {
        var messages = await ExpectFieldError(await Editor.PostAsync("/api/v1/webhooks", Json(new { url, events = new[] { "*" } })), "url");
        Assert.That(messages.Single(), Does.Contain("Cms:Webhooks:AllowPrivateNetworks"));
    }

    [Test]
    public async Task A_public_address_is_accepted()
    {
        await Expect(await Editor.PostAsync("/api/v1/webhooks", Json(new { url = "https://hooks.example.com/cms", events = new[] { "*" } })), HttpStatusCode.Created);
    }

    [Test]
    public async Task A_hook_to_a_private_address_is_not_called_once_private_networks_are_not_allowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        Factory.Dispose();
        using (var allowing = Factory.OnSameDatabase(new Dictionary<string, string?> { ["Cms:Webhooks:AllowPrivateNetworks"] = "true" }))
        {
            await Expect(await allowing.Editor().PostAsync("/api/v1/webhooks", Json(new { url = receiver.Url, events = new[] { "article.created" } })), HttpStatusCode.Created);
        }

        using var strict = Factory.OnSameDatabase();
        using var editor = strict.Editor();
        await Expect(await editor.PostAsync("/api/v1/articles", Json(new { title = "Not sent" })), HttpStatusCode.Created);

        for (var tries = 0; ; tries++)
        {
            var page = await Expect(await editor.GetAsync("/api/v1/webhooks/1/deliveries"), HttpStatusCode.OK);
            if (page["items"]![0]!["attemptLog"]!.AsArray().FirstOrDefault() is { } attempt)
            {
                Assert.That(attempt["statusCode"], Is.Null);
                Assert.That((string?)attempt["error"], Does.StartWith("Refused: 127.0.0.1 resolves to a loopback"));
                break;
            }

            Assert.That(tries, Is.LessThan(500));
            await Task.Delay(20);
        }

        Assert.That(await receiver.AnyWithinAsync(0), Is.False, "the receiver was never called");
    }
}
