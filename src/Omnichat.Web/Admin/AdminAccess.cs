using Omnichat.Core.Access;

namespace Omnichat.Web.Admin;

/// <summary>
/// Who may open the administration console: anybody with one of its permissions. Each page then requires its own
/// (users.manage, groups.manage…), and <see cref="AdminData"/> checks the permission of every action again.
/// </summary>
public static class AdminAccess
{
    public const string Policy = PermissionPolicy.Console;
}
