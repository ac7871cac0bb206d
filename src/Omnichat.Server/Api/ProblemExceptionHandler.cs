using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Clients;
using Omnichat.Core.Kernel;
using Omnichat.Core.Mail;

namespace Omnichat.Server.Api;

/// <summary>
/// Maps every exception to a ProblemDetails response: the caller's mistakes to 4xx naming the field,
/// anything unexpected to a 500 without internals (and a log entry).
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception);
        if (problem.Status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Map(Exception exception) => exception switch
    {
        FieldValidationException e => Invalid(e.Field, e.Message),
        BadHttpRequestException { InnerException: JsonException json } => Invalid(FieldOf(json.Path), ReadableJsonError(json)),
        BadHttpRequestException e when e.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            new ProblemDetails { Status = 413, Title = "The request body is too large." },
        BadHttpRequestException e when BindFailure().Match(e.Message) is { Success: true } m =>
            Invalid(m.Groups[1].Value, $"'{m.Groups[1].Value}' has the wrong type or format."),
        BadHttpRequestException e => new ProblemDetails { Status = e.StatusCode, Title = "Bad request.", Detail = e.Message },
        StartClientSession.ChannelDisabledException e => new ProblemDetails { Status = 403, Title = "Channel disabled.", Detail = e.Message },
        StartClientSession.VerificationRequiredException e => WithField(new ProblemDetails { Status = 403, Title = "Verified user required.", Detail = e.Message }, "user.userHash"),
        SendTestMail.TestMailFailedException e => new ProblemDetails { Status = 502, Title = "The test e-mail was not sent.", Detail = e.Message },
        NotFoundException e => new ProblemDetails { Status = 404, Title = "Not found.", Detail = e.Message },
        ConflictException e => WithField(new ProblemDetails { Status = 409, Title = "Conflict.", Detail = e.Message }, e.Field),
        ForbiddenException e => WithField(new ProblemDetails { Status = 403, Title = "Forbidden.", Detail = e.Message }, e.Field),
        TooManyRequestsException e => WithField(new ProblemDetails { Status = 429, Title = "Too many requests.", Detail = e.Message }, e.Field),
        SignInFailedException { TwoFactorRequired: true } e => WithField(new ProblemDetails
        {
            Status = 401, Title = "Two-factor code required.", Detail = e.Message, Extensions = { ["twoFactorRequired"] = true },
        }, "twoFactorCode"),
        SignInFailedException e => new ProblemDetails
        {
            Status = 401, Title = e.LockedOut ? "Account locked." : "Sign-in failed.", Detail = e.Message,
        },
        DbUpdateConcurrencyException => new ProblemDetails
        {
            Status = 409, Title = "Conflict.", Detail = "The resource was changed by someone else; reload and try again.",
        },
        DbUpdateException => new ProblemDetails
        {
            Status = 409, Title = "Conflict.", Detail = "The change conflicts with existing data (for example a duplicate).",
        },
        OperationCanceledException => new ProblemDetails { Status = 499, Title = "The request was cancelled." },
        _ => new ProblemDetails { Status = 500, Title = "An unexpected error occurred." },
    };

    private static ValidationProblemDetails Invalid(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = 400,
            Title = "One or more fields are invalid.",
        };

    private static ProblemDetails WithField(ProblemDetails problem, string? field)
    {
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        return problem;
    }

    /// <summary>"$.skillGroupIds[1]" → "skillGroupIds[1]"; the whole body when the path is the root.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string ReadableJsonError(JsonException json) =>
        json.Path is null or "$" ? "The request body is not valid JSON of the expected shape." : $"The value at '{FieldOf(json.Path)}' has the wrong type or format.";

    /// <summary>Minimal APIs report query/route binding failures as: Failed to bind parameter "Type name" from "value".</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?:[^\"]* )?(\\w+)\" from")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
