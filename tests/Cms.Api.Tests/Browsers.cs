using Microsoft.Playwright;

namespace Cms.Api.Tests;

/// <summary>
/// Debian's chromium, driven by Playwright through its path (browsers are never downloaded). Without it the browser
/// tests say so and are skipped; CI installs it. With CMS_SCREENSHOTS set to a directory, tests write their screenshots
/// there (docs/ holds the committed ones).
/// </summary>
internal sealed class Browsers : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    private Browsers(IPlaywright playwright, IBrowser browser)
    {
        Playwright = playwright;
        Browser = browser;
    }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    public static async Task<Browsers> LaunchAsync()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Ignore($"{Chromium} is not installed (apt-get install chromium): the browser tests are skipped.");
        }

        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        return new Browsers(playwright, browser);
    }

    public Task<IPage> NewPageAsync() => Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });

    /// <summary>The window as a person sees it, scrolled to <paramref name="focus"/>, or the whole page.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, ILocator? focus = null, bool fullPage = false)
    {
        if (Environment.GetEnvironmentVariable("CMS_SCREENSHOTS") is not { Length: > 0 } directory)
        {
            return;
        }

        if (focus is not null)
        {
            await focus.EvaluateAsync("element => element.scrollIntoView({ block: 'center' })");
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(directory, name + ".png"), FullPage = fullPage });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}
