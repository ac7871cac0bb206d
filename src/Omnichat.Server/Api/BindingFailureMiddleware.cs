using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Omnichat.Server.Api;

/// <summary>
/// Names the parameter when a route or query value cannot be bound. The compile-time request delegates
/// (RequestDelegateGenerator) answer such requests with a bare 400 instead of throwing, so this middleware
/// finds the offending parameter from the endpoint's binding metadata and writes a ValidationProblemDetails
/// naming it — the same answer the exception handler gives for bodies.
/// </summary>
public sealed class BindingFailureMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Response.StatusCode != StatusCodes.Status400BadRequest || context.Response.HasStarted
            || context.Response.ContentLength is > 0 || context.GetEndpoint() is not { } endpoint)
        {
            return;
        }

        var parameters = endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>();
        if (parameters.Count == 0 || FirstUnbindable(context, parameters) is not { } failure)
        {
            return;
        }

        var problem = new ValidationProblemDetails(new Dictionary<string, string[]> { [failure.Name] = [failure.Message] })
        {
            Status = StatusCodes.Status400BadRequest,
        };
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static (string Name, string Message)? FirstUnbindable(HttpContext context, IReadOnlyList<IParameterBindingMetadata> parameters)
    {
        foreach (var p in parameters)
        {
            if (!p.HasTryParse && p.ParameterInfo.ParameterType != typeof(string))
            {
                continue;
            }

            string? raw = context.Request.RouteValues.TryGetValue(p.Name, out var routeValue) ? routeValue?.ToString()
                : context.Request.Query.TryGetValue(p.Name, out var queryValue) ? queryValue.ToString() : null;
            if (string.IsNullOrEmpty(raw))
            {
                if (!p.IsOptional)
                {
                    return (p.Name, $"'{p.Name}' is required.");
                }

                continue;
            }

            if (!CanParse(Nullable.GetUnderlyingType(p.ParameterInfo.ParameterType) ?? p.ParameterInfo.ParameterType, raw))
            {
                return (p.Name, $"'{p.Name}' has the wrong type or format.");
            }
        }

        return null;
    }

    private static bool CanParse(Type type, string raw)
    {
        if (type == typeof(string))
        {
            return true;
        }

        if (type.IsEnum)
        {
            return Enum.TryParse(type, raw, ignoreCase: true, out _);
        }

        if (type == typeof(DateTimeOffset))
        {
            // The generated binder's own rule.
            return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out _);
        }

        var withProvider = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static,
            [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]);
        if (withProvider is not null)
        {
            return (bool)withProvider.Invoke(null, [raw, CultureInfo.InvariantCulture, null])!;
        }

        var plain = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]);
        return plain is null || (bool)plain.Invoke(null, [raw, null])!;
    }
}
