using Microsoft.AspNetCore.Identity;

namespace Omnichat.Core.Operators;

/// <summary>The sign-in account of a staff member (ASP.NET Core Identity); its id is the operator id.</summary>
public sealed class StaffUser : IdentityUser<Guid>
{
}

/// <summary>Built-in roles. Custom roles and permissions arrive with access control.</summary>
public static class StaffRoles
{
    public const string Administrator = "administrator";
    public const string Supervisor = "supervisor";
    public const string Operator = "operator";
    public const string Analyst = "analyst";

    public static IReadOnlyList<string> All { get; } = [Administrator, Supervisor, Operator, Analyst];
}
