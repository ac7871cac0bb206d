using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>Debian's Chromium driven by Playwright (its own browser download does not work here).</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            var reason = $"{ChromiumPath} is missing: install Debian's 'chromium' package (scripts/test.sh does this as root).";
            if (InCi)
            {
                throw new InvalidOperationException("Browser tests are required under CI: " + reason);
            }

            Assert.Skip("Browser tests skipped: " + reason + " (under CI=true this fails the run instead).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
                // Everything here is on loopback, so a page served by Playwright's router counts as "public"
                // and Chromium's local-network-access check would block it from loading the widget.
                "--disable-features=LocalNetworkAccessChecks",
            ],
        });
        return (playwright, browser);
    }
}
