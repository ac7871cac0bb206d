using System.Text;
using Microsoft.Playwright;
using SkiaSharp;

namespace Omnichat.E2E;

/// <summary>
/// Files both ways in real Chromium: the client attaches an image in the widget and the operator sees its
/// preview; the operator sends a PDF from the workstation and the client downloads it; refused files get a
/// clear message; hostile file names stay text.
/// </summary>
public sealed class FilesTests : E2ETestBase
{
    private static byte[] Png()
    {
        using var bitmap = new SKBitmap(640, 480);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SeaGreen);
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task Client_sends_an_image_operator_sees_the_preview_and_answers_with_a_pdf_the_client_downloads()
    {
        var op = await SignInOperatorAsync("operator1", "Operator1-demo");
        await op.GetByRole(AriaRole.Switch).ClickAsync();
        await Assertions.Expect(op.GetByRole(AriaRole.Switch)).ToBeCheckedAsync();

        var (context, page, widget) = await OpenWidgetAsync();
        await SendFromWidgetAsync(widget, "Вот скриншот ошибки");
        await Assertions.Expect(widget.Locator(".oc-mine:not(.oc-pending) .oc-text")).ToHaveTextAsync("Вот скриншот ошибки");

        // Refused before upload (type) and by the server (a PDF that calls itself .png): the widget says why.
        await widget.Locator(".oc-file-input").SetInputFilesAsync(new FilePayload { Name = "setup.exe", MimeType = "application/octet-stream", Buffer = [0x4D, 0x5A, 0x90] });
        await Assertions.Expect(widget.Locator(".oc-file-status")).ToContainTextAsync("«setup.exe» не отправлен: такой тип файла не принимается");
        await widget.Locator(".oc-file-input").SetInputFilesAsync(new FilePayload { Name = "cat.png", MimeType = "image/png", Buffer = Pdf });
        await Assertions.Expect(widget.Locator(".oc-file-status")).ToContainTextAsync("but the content is a PDF document");

        // A real image with a hostile name: sent, shown with its preview on both sides, the name as text.
        // (Browsers send a quote in a file name as %22, so this payload does without quotes.)
        var imageName = "<img src=x onerror=window.__xss=1>.png";
        await widget.Locator(".oc-file-input").SetInputFilesAsync(new FilePayload { Name = imageName, MimeType = "image/png", Buffer = Png() });
        await Assertions.Expect(widget.Locator(".oc-file-status")).ToBeEmptyAsync();
        var clientImage = widget.Locator(".oc-mine:not(.oc-pending) .oc-file-img");
        await Assertions.Expect(clientImage).ToHaveAttributeAsync("alt", "_img src=x onerror=window.__xss=1_.png");
        // Loaded, not broken. Polled: under load the message list may re-render the <img> (pending → sent) between
        // two separate checks, and a fresh element is "complete" only once its own load ends.
        Assert.True(await Eventually(() => clientImage.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0"), w => w > 0) > 0);

        var item = op.Locator("[data-conversation]").First;
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await item.ClickAsync();
        var operatorImage = op.Locator("#messages .oc-in .oc-file-img");
        await Assertions.Expect(operatorImage).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(operatorImage).ToHaveAttributeAsync("alt", "_img src=x onerror=window.__xss=1_.png");
        await op.WaitForFunctionAsync("() => { const i = document.querySelector('#messages .oc-in .oc-file-img'); return i && i.complete && i.naturalWidth === 480; }");

        // The operator sends a PDF (the file input the drop zone and paste also feed). Blazor's InputFile listens
        // only once its start-up call has reached the browser (under CI load that can come after the image).
        await op.WaitForFunctionAsync("() => document.getElementById('attach-input')?._blazorInputFileNextFileId !== undefined");
        await op.Locator("#attach-input").SetInputFilesAsync(new FilePayload { Name = "счёт.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await Assertions.Expect(op.Locator("#messages .oc-out .oc-file-name")).ToHaveTextAsync("📎 счёт.pdf", new() { Timeout = 15_000 });

        var received = widget.Locator(".oc-theirs .oc-file");
        await Assertions.Expect(received).ToContainTextAsync("📎 счёт.pdf", new() { Timeout = 15_000 });
        var download = await page.RunAndWaitForDownloadAsync(() => received.ClickAsync());
        Assert.Equal("счёт.pdf", download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(path, Ct));

        // No script from a file name ran anywhere.
        Assert.Equal("undefined", await page.Frames.First(f => f.Url.Contains("/widget/frame.html", StringComparison.Ordinal)).EvaluateAsync<string>("() => typeof window.__xss"));
        Assert.Equal("undefined", await op.EvaluateAsync<string>("() => typeof window.__xss"));
        await context.CloseAsync();
    }
}
