using Omnichat.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Files;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Api;

/// <summary>
/// Attachments: upload (multipart field <c>file</c>) and download for clients, staff API tools and the
/// workstation (cookie). Downloads never run in the page: markup is never accepted, every response has
/// <c>nosniff</c> and a sandboxing CSP, and only raster images are served inline.
/// </summary>
public static class FilesApi
{
    public static IEndpointRouteBuilder MapFilesApi(this IEndpointRouteBuilder app)
    {
        var client = app.MapGroup("/api/client/v1/files").WithTags("Client protocol v1")
            .RequireAuthorization(ClientApiSetup.ClientPolicy).ProducesProblem(StatusCodes.Status401Unauthorized);

        client.MapPost("/", async (HttpContext http, UploadFile.Handler h, CancellationToken ct) =>
            {
                var (name, stream) = await ReadFileAsync(http, ct);
                var view = await h.ForClientAsync(ClientOf(http), name, stream, ct);
                return TypedResults.Created($"/api/client/v1/files/{view.Id}", view);
            })
            .DisableAntiforgery()
            .Produces<AttachmentView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Upload a file (multipart field 'file'), then send its id in a message's attachmentIds.");

        client.MapGet("/{id:guid}", async (Guid id, HttpContext http, GetFile.Handler h, CancellationToken ct) =>
                Send(http, await h.ForClientAsync(ClientOf(http), id, preview: false, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Download a file of my conversations.");

        client.MapGet("/{id:guid}/preview", async (Guid id, HttpContext http, GetFile.Handler h, CancellationToken ct) =>
                Send(http, await h.ForClientAsync(ClientOf(http), id, preview: true, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("An image's small WebP preview.");

        var staff = app.MapGroup("/api/v1").WithTags("Files").ProducesProblem(StatusCodes.Status401Unauthorized);
        var upload = staff.MapGroup("").RequirePermission(Permissions.HandleConversations, Permissions.SuperviseConversations);
        var download = staff.MapGroup("").RequirePermission(Permissions.HandleConversations, Permissions.ViewConversations, Permissions.SuperviseConversations);

        upload.MapPost("/conversations/{id:guid}/files", async (Guid id, HttpContext http, OmnichatDbContext db, UploadFile.Handler h, CancellationToken ct) =>
            {
                var (name, stream) = await ReadFileAsync(http, ct);
                var view = await h.ForStaffAsync(await StaffScope.ForAsync(db, http.User, ct), id, name, stream, ct);
                return TypedResults.Created($"/api/v1/files/{view.Id}", view);
            })
            .DisableAntiforgery()
            .Produces<AttachmentView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Upload a file into a conversation I handle, then send its id in a reply's attachmentIds.");

        download.MapGet("/files/{id:guid}", async (Guid id, HttpContext http, OmnichatDbContext db, GetFile.Handler h, CancellationToken ct) =>
                Send(http, await h.ForStaffAsync(await StaffScope.ForAsync(db, http.User, ct), id, preview: false, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Download a file of a conversation visible to me.");

        download.MapGet("/files/{id:guid}/preview", async (Guid id, HttpContext http, OmnichatDbContext db, GetFile.Handler h, CancellationToken ct) =>
                Send(http, await h.ForStaffAsync(await StaffScope.ForAsync(db, http.User, ct), id, preview: true, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("An image's small WebP preview.");

        // The workstation's <img> and download links ride the staff cookie (GET only: nothing to forge).
        var workstation = app.MapGroup("/workstation/files")
            .RequirePermission(Permissions.HandleConversations, Permissions.ViewConversations, Permissions.SuperviseConversations).ExcludeFromDescription();
        workstation.MapGet("/{id:guid}", async (Guid id, HttpContext http, OmnichatDbContext db, GetFile.Handler h, CancellationToken ct) =>
            Send(http, await h.ForStaffAsync(await StaffScope.ForAsync(db, http.User, ct), id, preview: false, ct)));
        workstation.MapGet("/{id:guid}/preview", async (Guid id, HttpContext http, OmnichatDbContext db, GetFile.Handler h, CancellationToken ct) =>
            Send(http, await h.ForStaffAsync(await StaffScope.ForAsync(db, http.User, ct), id, preview: true, ct)));
        return app;
    }

    private static ClientPrincipal ClientOf(HttpContext http) =>
        ClientPrincipal.From(http.User) ?? throw new InvalidOperationException("The client policy let a non-client through.");

    /// <summary>The multipart field <c>file</c>; the body may be as large as the largest file any channel accepts.</summary>
    private static async Task<(string? Name, Stream Content)> ReadFileAsync(HttpContext http, CancellationToken ct)
    {
        var maxMb = http.RequestServices.GetRequiredService<IOptions<OmnichatOptions>>().Value.Files.MaxSizeMb;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = (maxMb + 1L) * 1024 * 1024;
        }

        if (!http.Request.HasFormContentType)
        {
            throw new FieldValidationException(UploadFile.Field, "Send the file as multipart/form-data in the field 'file'.");
        }

        var form = await http.Request.ReadFormAsync(ct);
        var file = form.Files.GetFile(UploadFile.Field)
            ?? throw new FieldValidationException(UploadFile.Field, "Send the file as multipart/form-data in the field 'file'.");
        return (file.FileName, file.OpenReadStream());
    }

    private static Microsoft.AspNetCore.Http.HttpResults.FileStreamHttpResult Send(HttpContext http, GetFile.Content content)
    {
        var headers = http.Response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers[HeaderNames.CacheControl] = "private, max-age=3600";
        var disposition = new ContentDispositionHeaderValue(content.Inline ? "inline" : "attachment");
        disposition.SetHttpFileName(content.FileName);
        headers[HeaderNames.ContentDisposition] = disposition.ToString();
        return TypedResults.Stream(content.Stream, content.ContentType, fileDownloadName: null, lastModified: null,
            entityTag: new EntityTagHeaderValue(content.ETag), enableRangeProcessing: true);
    }
}
