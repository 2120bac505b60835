using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Common;

public sealed class HostingTests : ApiTest
{
    [Test]
    public async Task Settings_files_are_not_watched_because_the_database_lives_beside_them()
    {
        await Public.GetAsync("/healthz");
        var configuration = (IConfigurationRoot)Factory.Services.GetRequiredService<IConfiguration>();

        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.That(files, Is.Not.Empty, "appsettings.json is read");
        Assert.That(files.Select(f => f.Source.ReloadOnChange), Is.All.False);
    }
}
