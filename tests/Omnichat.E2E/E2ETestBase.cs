using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>Each test gets the built server as a fresh process (its own SQLite folder, demo data) and headless Chromium.</summary>
public abstract class E2ETestBase : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _chromium;
    private ServerProcess? _server;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected ServerProcess Server => _server ?? throw new InvalidOperationException("Not initialised.");

    protected IBrowser Chromium => _chromium ?? throw new InvalidOperationException("Not initialised.");

    public async ValueTask InitializeAsync()
    {
        // CI runs test projects side by side on two cores: give the UI time, not a race.
        Assertions.SetDefaultExpectTimeout(15_000);
        (_playwright, _chromium) = await Browser.LaunchAsync();
        _server = await ServerProcess.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A new browser context on the server's address.</summary>
    protected Task<IBrowserContext> NewContextAsync() =>
        Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.BaseAddress.ToString() });

    /// <summary>A visitor on the demo site with the chat window open.</summary>
    protected async Task<(IBrowserContext Context, IPage Page, IFrameLocator Widget)> OpenWidgetAsync()
    {
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/demo");
        await page.ClickAsync("#omnichat-launcher");
        var frame = page.FrameLocator("#omnichat-frame");
        await Assertions.Expect(frame.Locator(".oc-input")).ToBeVisibleAsync();
        return (context, page, frame);
    }

    /// <summary>Types a message in the widget and presses Enter.</summary>
    protected static async Task SendFromWidgetAsync(IFrameLocator frame, string text)
    {
        await frame.Locator(".oc-input").FillAsync(text);
        await frame.Locator(".oc-input").PressAsync("Enter");
    }

    /// <summary>Opens <paramref name="path"/>, is sent to sign in, signs in and comes back.</summary>
    protected async Task<IPage> SignInAsync(string path, string login, string password)
    {
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.WaitForURLAsync("**/account/login**");
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync("**" + path);
        return page;
    }

    /// <summary>Presses a shortcut until what it opens shows: right after a reload the key handler may not be attached yet.</summary>
    protected static async Task PressUntilVisibleAsync(IPage page, string key, ILocator appears)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.Keyboard.PressAsync(key);
            try
            {
                await Assertions.Expect(appears).ToBeVisibleAsync(new() { Timeout = attempt < 3 ? 5_000 : 15_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                // try again
            }
        }
    }

    /// <summary>
    /// Clicks until <paramref name="appears"/> shows (at most three times): under CI load a click can land while the
    /// workstation re-renders and be dropped; a dead page still fails after the last try.
    /// </summary>
    protected static async Task ClickUntilVisibleAsync(ILocator button, ILocator appears)
    {
        for (var attempt = 1; ; attempt++)
        {
            await button.ClickAsync();
            try
            {
                await Assertions.Expect(appears).ToBeVisibleAsync(new() { Timeout = attempt < 3 ? 5_000 : 15_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                // try again
            }
        }
    }

    /// <summary>Signs a demo operator in to the workstation (operator1 is "Анна Смирнова") and waits until it is interactive.</summary>
    protected async Task<IPage> SignInOperatorAsync(string login, string password)
    {
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/workstation");
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync("**/workstation");
        await Assertions.Expect(page.Locator("#operator-name")).ToHaveTextAsync("Анна Смирнова");
        await page.WaitForSelectorAsync("body[data-workstation=interactive]");
        return page;
    }

    /// <summary>Polls until the condition holds or 20 s passed; returns the last value (the caller asserts on it).</summary>
    protected static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value) || TimeProvider.System.GetUtcNow() > deadline)
            {
                return value;
            }

            await Task.Delay(100, Ct);
        }
    }
}
