using Cms.Api.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cms.Api.Tests.Settings;

/// <summary>A mistake in a setting stops the service at start-up with a message naming it, instead of being ignored.</summary>
public sealed class SettingsTests
{
    private static string StartFailure(params (string Key, string Value)[] settings)
    {
        using var factory = new CmsFactory(settings: settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        try
        {
            var exception = Assert.Catch(() => factory.CreateClient());
            var messages = new List<string>();
            for (var e = exception; e is not null; e = e.InnerException)
            {
                messages.Add(e.Message);
                if (e is OptionsValidationException validation)
                {
                    messages.AddRange(validation.Failures);
                }
            }

            return string.Join("\n", messages);
        }
        finally
        {
            factory.DeleteDatabase();
        }
    }

    [Test]
    public void A_misspelt_setting_is_named_with_the_settings_that_exist()
    {
        var message = StartFailure(("Cms:Comments:FloodSecond", "5"));

        Assert.That(message, Does.Contain("Cms:Comments:FloodSecond: there is no such setting"));
        Assert.That(message, Does.Contain("Cms:Comments:FloodSeconds"));
    }

    [TestCase("Cms:Comments:FloodSeconds", "soon", "'soon' is not a whole number")]
    [TestCase("Cms:Caching:InProcess", "yes please", "'yes please' is not true or false")]
    [TestCase("Cms:SchedulerPollInterval", "half a minute", "is not a duration")]
    public void A_value_of_the_wrong_kind_is_refused(string key, string value, string expected)
    {
        var message = StartFailure((key, value));

        Assert.That(message, Does.Contain($"{key}: ").And.Contain(expected));
        Assert.That(message, Does.Not.Contain("System."), "the message speaks of settings, not .NET types");
    }

    [TestCase("Cms:Comments:FloodSeconds", "-1")]
    [TestCase("Cms:Comments:RateLimitPerMinute", "-5")]
    [TestCase("Cms:SchedulerPollInterval", "00:00:00")]
    [TestCase("Cms:Caching:PublicCacheControl", " ")]
    [TestCase("Cms:Caching:MaxMegabytes", "0")]
    [TestCase("Cms:Search:RankedMatches", "5")]
    public void A_value_out_of_range_is_refused(string key, string value)
    {
        Assert.That(StartFailure((key, value)), Does.Contain(key));
    }

    [Test]
    public void Proxies_and_origins_must_be_addresses()
    {
        var message = StartFailure(("Cms:TrustedProxies:0", "the-load-balancer"), ("Cms:Cors:Origins:0", "www.example.org"));

        Assert.That(message, Does.Contain("Cms:TrustedProxies:0: 'the-load-balancer' is neither an IP address nor a CIDR network"));
        Assert.That(message, Does.Contain("Cms:Cors:Origins:0: 'www.example.org' is not an origin"));
    }

    [Test]
    public void Every_setting_is_read_through_the_options()
    {
        using var factory = new CmsFactory(settings: new Dictionary<string, string?> { ["Cms:Caching:InProcess"] = "false" });
        try
        {
            using var client = factory.CreateClient();

            Assert.That(factory.Services.GetRequiredService<ResponseCache>().Enabled, Is.False);
        }
        finally
        {
            factory.DeleteDatabase();
        }
    }
}
