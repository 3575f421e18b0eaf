using Microsoft.Playwright;

namespace BuildHooks.Web.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright (no browser download: .ci/run installs the distribution package).</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool Missing => !File.Exists(Path);

    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.False(Missing, $"Chromium is missing at {Path}: install it with 'apt-get install -y chromium' (.ci/run does this on CI).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = System.IO.Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
}
