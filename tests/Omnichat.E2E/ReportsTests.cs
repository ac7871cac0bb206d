using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Omnichat.E2E;

/// <summary>Statistics in the browser: the live dashboard follows reality without a reload; reports drill down to transcripts; exports download.</summary>
public sealed class ReportsTests : E2ETestBase
{
    [Fact]
    public async Task The_dashboard_updates_live_and_a_report_drills_down_to_the_transcript_and_exports()
    {
        var supervisor = await SignInAsync("/reports/live", "admin", ServerProcess.AdminPassword);
        await supervisor.WaitForSelectorAsync("#reports-page[data-interactive=true]");
        await Assertions.Expect(supervisor.Locator("#live-total-queue")).ToHaveTextAsync("0");

        // A visitor writes while nobody is ready: the queue on the open dashboard shows it without a reload.
        var (_, _, widget) = await OpenWidgetAsync();
        await SendFromWidgetAsync(widget, "Где мой заказ 777?");
        await Assertions.Expect(supervisor.Locator("#live-total-queue")).ToHaveTextAsync("1");
        await Assertions.Expect(supervisor.Locator("#live-groups tr[data-id] .oc-live-queue")).ToHaveTextAsync("1");

        // An operator becomes ready and gets it: queue 0, one active, the operator's load 1 of 3.
        using var op = await Server.SignedInAsync("operator1", "Operator1-demo");
        (await op.PutAsJsonAsync("/api/v1/operators/me/status", new { status = "ready" }, Ct)).EnsureSuccessStatusCode();
        await Assertions.Expect(supervisor.Locator("#live-total-active")).ToHaveTextAsync("1");
        await Assertions.Expect(supervisor.Locator("#live-total-queue")).ToHaveTextAsync("0");
        await Assertions.Expect(supervisor.Locator("#live-total-answered")).ToHaveTextAsync("1");
        await Assertions.Expect(supervisor.Locator("#live-operators tr[data-state=working] .oc-live-load")).ToHaveTextAsync("1 / 3");

        // Today's report by group: the "offered" cell leads to the conversation behind it, and its transcript is one click away.
        await supervisor.GotoAsync("/reports?report=groups&preset=today");
        var offered = supervisor.Locator("#report-table tr[data-key]:not([data-key=total]) td[data-column=offered] a.oc-drill");
        await Assertions.Expect(offered).ToHaveTextAsync("1");
        await Assertions.Expect(supervisor.Locator("#report-chart")).ToBeVisibleAsync();
        await offered.ClickAsync();
        await supervisor.WaitForURLAsync("**/reports/conversations?**metric=offered**");
        await supervisor.WaitForSelectorAsync("#reports-page[data-interactive=true]");
        var row = supervisor.Locator("#report-conversations tr[data-conversation]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await ClickUntilVisibleAsync(row.Locator(".oc-transcript-open"), supervisor.Locator("#transcript"));
        await Assertions.Expect(supervisor.Locator("#transcript")).ToContainTextAsync("Где мой заказ 777?");

        // The list exports in the background; the finished file downloads with a BOM and the header row.
        await ClickUntilVisibleAsync(supervisor.Locator("#export-csv"), supervisor.Locator("#exports a.oc-download"));
        var download = await supervisor.RunAndWaitForDownloadAsync(() => supervisor.Locator("#exports a.oc-download").First.ClickAsync());
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("Id,Создано,Канал", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
