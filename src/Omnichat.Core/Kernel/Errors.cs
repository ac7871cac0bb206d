namespace Omnichat.Core.Kernel;

/// <summary>Base for failures the caller can fix; the host maps each to a ProblemDetails response.</summary>
public abstract class OmnichatException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>A request field is invalid (400), naming the field in JSON path form, e.g. <c>channelIds[1]</c>.</summary>
public sealed class FieldValidationException(string field, string message) : OmnichatException(message)
{
    public string Field { get; } = field;
}

/// <summary>The addressed resource does not exist (or is not visible to the caller) (404).</summary>
public sealed class NotFoundException(string resource, object id) : OmnichatException($"{resource} '{id}' was not found.")
{
    public string Resource { get; } = resource;
}

/// <summary>The request conflicts with the current state, e.g. a duplicate name or a forbidden transition (409).</summary>
public sealed class ConflictException(string message, string? field = null) : OmnichatException(message)
{
    public string? Field { get; } = field;
}

/// <summary>The caller is over a quota or rate (429), naming the field when one is to blame.</summary>
public sealed class TooManyRequestsException(string message, string? field = null) : OmnichatException(message)
{
    public string? Field { get; } = field;
}

/// <summary>The caller may see the resource but not do this to it (403), naming the field when one is to blame.</summary>
public sealed class ForbiddenException(string message, string? field = null) : OmnichatException(message)
{
    public string? Field { get; } = field;
}
