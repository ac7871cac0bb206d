using Omnichat.Core.Operators;

namespace Omnichat.Web.Admin;

/// <summary>
/// Who may use the administration console: the one place the console names it (the pages' <c>[Authorize]</c>
/// in <c>_Imports.razor</c>, the workstation's link and <see cref="AdminData"/>'s own check all read this).
/// </summary>
public static class AdminAccess
{
    public const string Role = StaffRoles.Administrator;
}
